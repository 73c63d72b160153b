/**
 * AstroDrizzle's step parameters under their own names (as in its configuration, the MDRIZTAB columns and the
 * product's header), with drizzlepac 3.6.2's defaults; parsing of the values given as text (MDRIZTAB cells,
 * command-line options) with one error naming the parameter and the value.
 */
import {
  BLOT_INTERPOLATIONS,
  type BlotInterpolation,
  DRIZZLE_KERNELS,
  type DrizzleKernel,
} from "../../calib/drizzle/types.js";
import { DrizzleStageError } from "./errors.js";

export const SKY_METHODS = ["localmin", "globalmin", "match", "globalmin+match"] as const;
export type SkyMethod = (typeof SKY_METHODS)[number];
export const SKY_STATS = ["median", "mode", "mean", "midpt"] as const;
export const COMBINE_TYPES = ["median", "imedian", "mean", "iaverage", "minimum", "minmed", "iminmed"] as const;
export type CombineType = (typeof COMBINE_TYPES)[number];

/** The steps before the final drizzle, with AstroDrizzle's switches and parameters. */
export interface AdrizParameters {
  static: boolean;
  static_sig: number;
  skysub: boolean;
  skymethod: SkyMethod;
  skystat: (typeof SKY_STATS)[number];
  skywidth: number;
  skylower?: number;
  skyupper?: number;
  skyclip: number;
  skylsigma: number;
  skyusigma: number;
  /** DQ bits that are good for the sky statistics (0: every flagged pixel is left out). */
  sky_bits: number;
  use_static: boolean;
  /** The SCI keyword holding a sky the user already subtracted (skysub off), or "@file" of sky values; "" none. */
  skyuser: string;
  /** A file of sky values per image (skysub on): "name sky [sky…]" lines, "# applied = yes"; "" none. */
  skyfile: string;
  driz_separate: boolean;
  driz_sep_kernel: DrizzleKernel;
  driz_sep_pixfrac: number;
  /** DQ bits that are good in the single drizzle (-1: the detector's default, as final_bits). */
  driz_sep_bits: number;
  median: boolean;
  median_newmasks: boolean;
  combine_type: CombineType;
  combine_maskpt: number;
  combine_nsigma: [number, number];
  combine_nlow: number;
  combine_nhigh: number;
  combine_lthresh?: number;
  combine_hthresh?: number;
  combine_grow: number;
  blot: boolean;
  blot_interp: BlotInterpolation;
  blot_sinscl: number;
  blot_addsky: boolean;
  driz_cr: boolean;
  driz_cr_snr: [number, number];
  driz_cr_scale: [number, number];
  driz_cr_grow: number;
  driz_cr_ctegrow: number;
  crbit: number;
}

/** AstroDrizzle 3.6.2's defaults (its configuration file), the bits aside: -1 = the detector's default. */
export const ADRIZ_DEFAULTS: AdrizParameters = {
  static: true,
  static_sig: 4,
  skysub: true,
  skymethod: "localmin",
  skystat: "median",
  skywidth: 0.1,
  skyclip: 5,
  skylsigma: 4,
  skyusigma: 4,
  sky_bits: 0,
  use_static: true,
  skyuser: "",
  skyfile: "",
  driz_separate: true,
  driz_sep_kernel: "turbo",
  driz_sep_pixfrac: 1,
  driz_sep_bits: -1,
  median: true,
  median_newmasks: true,
  combine_type: "minmed",
  combine_maskpt: 0.3,
  combine_nsigma: [4, 3],
  combine_nlow: 0,
  combine_nhigh: 0,
  combine_grow: 1,
  blot: true,
  blot_interp: "poly5",
  blot_sinscl: 1,
  blot_addsky: true,
  driz_cr: true,
  driz_cr_snr: [3.5, 3],
  driz_cr_scale: [1.2, 0.7],
  driz_cr_grow: 1,
  driz_cr_ctegrow: 0,
  crbit: 4096,
};

/** Every step before the final drizzle switched off: the final drizzle alone. */
export const FINAL_DRIZZLE_ONLY: Partial<AdrizParameters> = {
  static: false,
  skysub: false,
  driz_separate: false,
  median: false,
  blot: false,
  driz_cr: false,
};

/** The steps that need two exposures or more (MDRIZTAB's numimages=1 rows and runastrodriz switch them off). */
export const CR_STEPS = ["driz_separate", "median", "blot", "driz_cr"] as const;

type Kind = "boolean" | "number" | "integer" | "pair" | "string" | readonly string[];

/** How each parameter is read from text; parameters not listed are not AstroDrizzle step parameters. */
export const PARAMETER_KINDS: Record<keyof AdrizParameters, Kind> = {
  static: "boolean",
  static_sig: "number",
  skysub: "boolean",
  skymethod: SKY_METHODS,
  skystat: SKY_STATS,
  skywidth: "number",
  skylower: "number",
  skyupper: "number",
  skyclip: "integer",
  skylsigma: "number",
  skyusigma: "number",
  sky_bits: "integer",
  use_static: "boolean",
  skyuser: "string",
  skyfile: "string",
  driz_separate: "boolean",
  driz_sep_kernel: DRIZZLE_KERNELS,
  driz_sep_pixfrac: "number",
  driz_sep_bits: "integer",
  median: "boolean",
  median_newmasks: "boolean",
  combine_type: COMBINE_TYPES,
  combine_maskpt: "number",
  combine_nsigma: "pair",
  combine_nlow: "integer",
  combine_nhigh: "integer",
  combine_lthresh: "number",
  combine_hthresh: "number",
  combine_grow: "integer",
  blot: "boolean",
  blot_interp: BLOT_INTERPOLATIONS,
  blot_sinscl: "number",
  blot_addsky: "boolean",
  driz_cr: "boolean",
  driz_cr_snr: "pair",
  driz_cr_scale: "pair",
  driz_cr_grow: "integer",
  driz_cr_ctegrow: "integer",
  crbit: "integer",
};

export type ParameterValue = AdrizParameters[keyof AdrizParameters];

/** DQ bits written as a sum ("336"), a list ("16,64,256" or "16+64+256"), or blank/None (0). */
export function parseBits(name: string, text: string): number {
  const t = text.trim();
  if (t === "" || /^(none|indef)$/i.test(t)) return 0;
  const parts = t.split(/[,+]/).map((s) => Number(s.trim()));
  if (parts.some((p) => !Number.isInteger(p) || p < 0)) throw new Error(`${name} '${text}': not DQ bits`);
  return parts.reduce((a, b) => a | b, 0);
}

/** A parameter's value from text; undefined for the blank/INDEF/None of an optional one. */
export function parseParameter(name: keyof AdrizParameters, text: string): ParameterValue | undefined {
  const kind = PARAMETER_KINDS[name];
  const t = text.trim();
  const bad = (): never => {
    throw new Error(`${name} '${text}': not a valid value`);
  };
  if (name === "sky_bits" || name === "driz_sep_bits" || name === "crbit") return parseBits(name, t);
  if (kind === "string") return /^(none|indef)$/i.test(t) ? "" : t;
  if (Array.isArray(kind)) return kind.includes(t.toLowerCase()) ? (t.toLowerCase() as ParameterValue) : bad();
  if (kind === "boolean") {
    if (/^(true|yes|t|1)$/i.test(t)) return true;
    return /^(false|no|f|0)$/i.test(t) ? false : bad();
  }
  if (kind === "pair") {
    const v = t.split(/[,;\s]+/).map(Number);
    return v.length === 2 && v.every(Number.isFinite) ? [v[0], v[1]] : bad();
  }
  if (t === "" || /^(none|indef|nan)$/i.test(t)) {
    return name === "skylower" || name === "skyupper" || name.endsWith("thresh") ? undefined : bad();
  }
  const v = Number(t);
  if (!Number.isFinite(v) || (kind === "integer" && !Number.isInteger(v))) bad();
  return v;
}

/** Checks what no single value can: nlow+nhigh below the images, grow and sigmas positive. */
export function checkParameters(p: AdrizParameters, images: number, file?: string): void {
  const fail = (detail: string) => {
    throw new DrizzleStageError(detail, file);
  };
  if (p.median && !p.combine_type.includes("minmed") && p.combine_nlow + p.combine_nhigh >= images) {
    fail(`combine_nlow ${p.combine_nlow} + combine_nhigh ${p.combine_nhigh} reject all ${images} images`);
  }
  if (p.combine_grow < 0 || p.driz_cr_grow < 1 || p.driz_cr_ctegrow < 0) {
    fail("combine_grow and driz_cr_ctegrow must be >= 0 and driz_cr_grow >= 1");
  }
  if (!(p.combine_maskpt >= 0 && p.combine_maskpt <= 1)) fail(`combine_maskpt ${p.combine_maskpt}: not in [0, 1]`);
  if (!(p.driz_sep_pixfrac > 0 && p.driz_sep_pixfrac <= 1))
    fail(`driz_sep_pixfrac ${p.driz_sep_pixfrac}: not in (0, 1]`);
}
