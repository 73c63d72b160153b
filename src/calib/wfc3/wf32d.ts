/**
 * WF32D for one UVIS image set (calibration.md §4; hstcal wf32d/do2d.c), pure: ERR init if empty →
 * DARKCORR (DN) → FLATCORR (→ electrons) → SHADCORR (÷ 1 + SHADFILE / (EXPTIME / NCOMBINE), as ACS;
 * hstcal wf32d/doshad.c) → PHOTCORR → FLUXCORR → statistics. Returns the SCI/ERR keyword
 * updates and the primary switch values. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import type { Imphttab } from "../acs/imphttab.js";
import { correctShading } from "../acs/shading.js";
import { CalibrationError } from "../common/errors.js";
import type { ImageSet } from "../common/imset.js";
import { imageStatistics } from "../common/statistics.js";
import type { SwitchState } from "../common/switches.js";
import type { Wf3CcdParameters } from "./ccdtab.js";
import { applyFluxCorrection } from "./fluxcorr.js";
import { wf3Photmode, wf3PhotometryKeywords } from "./photometry.js";
import { type ImageReferenceLike, subtractUvisDark } from "./uvis-dark.js";
import { flatFieldToElectrons } from "./uvis-flat.js";
import { type ReferenceNote, stepHistory } from "./uvis-history.js";

export interface Wf32dSwitches {
  darkcorr: SwitchState;
  flatcorr: SwitchState;
  shadcorr: SwitchState;
  photcorr: SwitchState;
  fluxcorr: SwitchState;
}

export interface Wf32dInput {
  set: ImageSet;
  params: Wf3CcdParameters;
  switches: Wf32dSwitches;
  exptime: number;
  expstart: number;
  filter: string;
  sdqflags: number;
  dark?: ImageReferenceLike;
  pflt?: ImageReferenceLike;
  shad?: ImageReferenceLike;
  /** SCI NCOMBINE: SHADCORR uses EXPTIME / NCOMBINE. */
  ncombine: number;
  imphttab?: Imphttab;
}

export interface Wf32dResult {
  set: ImageSet;
  primary: Record<string, string | number>;
  sci: Record<string, string | number>;
  err: Record<string, string | number>;
  history: string[];
  warnings: string[];
}

function needed<T>(value: T | undefined, keyword: string): T {
  if (value === undefined) throw new CalibrationError("CAL_FILE_MISSING", `${keyword} is needed by WF32D`);
  return value;
}

export function runWf32d(input: Wf32dInput): Wf32dResult {
  const { set, params, switches } = input;
  const primary: Record<string, string | number> = {};
  const sci: Record<string, string | number> = {};
  const history: string[] = [];
  const warnings: string[] = [];
  const complete = (name: string, kind: "image" | "table" = "image", ref?: ReferenceNote) => {
    primary[name] = "COMPLETE";
    history.push(...stepHistory(name, kind, ref));
  };
  if (switches.darkcorr === "PERFORM") {
    const dark = needed(input.dark, "DARKFILE");
    sci.MEANDARK = subtractUvisDark(set, dark, params, input.exptime, input.sdqflags);
    complete("DARKCORR", "image", dark);
  }
  let bunit = "COUNTS";
  if (switches.flatcorr === "PERFORM") {
    const pflt = needed(input.pflt, "PFLTFILE");
    flatFieldToElectrons(set, pflt, params.meanGain);
    bunit = "ELECTRONS";
    complete("FLATCORR", "image", pflt);
  }
  if (switches.shadcorr === "PERFORM") {
    const shad = needed(input.shad, "SHADFILE");
    const shading = correctShading(set, shad, {
      exptime: input.exptime,
      ncombine: Math.max(input.ncombine, 1),
    });
    warnings.push(...shading.warnings);
    if (shading.state === "PERFORM") complete("SHADCORR", "image", shad);
    else {
      primary.SHADCORR = "SKIPPED";
      history.push("SHADCORR not performed ...");
    }
  }
  sci.BUNIT = bunit;
  sci.PHOTMODE = wf3Photmode("UVIS", set.chip, input.filter, input.expstart);
  if (switches.photcorr === "PERFORM") {
    const imphttab = needed(input.imphttab, "IMPHTTAB");
    const phot = wf3PhotometryKeywords(String(sci.PHOTMODE), imphttab);
    Object.assign(sci, phot.keywords);
    warnings.push(...phot.warnings);
    if (phot.state === "PERFORM") complete("PHOTCORR", "table", imphttab);
    else primary.PHOTCORR = "SKIPPED";
    if (switches.fluxcorr === "PERFORM" && phot.keywords.PHTFLAM1 !== undefined) {
      Object.assign(sci, applyFluxCorrection(set, phot.keywords.PHTFLAM1, phot.keywords.PHTFLAM2));
      complete("FLUXCORR");
    }
  }
  const stats = imageStatistics(set, input.sdqflags);
  Object.assign(sci, stats.sci);
  return { set, primary, sci, err: { BUNIT: bunit, ...stats.err }, history, warnings };
}
