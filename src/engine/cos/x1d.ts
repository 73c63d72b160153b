/**
 * X1DCORR of a NUV spectroscopic exposure (calcos' extract1D with XTRCTALG = BOXCAR): the three stripes
 * NUVA/B/C extracted from the `_flt` and `_counts` images (calib/cos/boxcar.ts) with their XTRACTAB rows,
 * wavelengths from the DISPTAB relation at each pixel of the extended image (DPIXEL1 once WAVECORR is
 * COMPLETE), shifted to heliocentric under HELCORR; FLUX from NET under FLUXCORR (and TDSCORR), at the
 * wavelengths before HELCORR as calcos does. TWOZONE is refused by name, not skipped.
 */
import { basename } from "node:path";
import { type BoxcarRow, type BoxcarSpectrum, boxcarExtract } from "../../calib/cos/boxcar.js";
import { SPEED_OF_LIGHT, wavelengthAt } from "../../calib/cos/doppcorr.js";
import { NUV_X } from "../../calib/cos/events.js";
import { FitsFile, type Header } from "../../fits/index.js";
import type { Env } from "../reference-files.js";
import { fluxCorrect } from "./fluxcorr.js";
import type { SpectroTables } from "./spectro-tables.js";
import { requiredReference } from "./switches.js";

export const NUV_STRIPES = ["NUVA", "NUVB", "NUVC"] as const;

export interface StripeSpectrum extends BoxcarSpectrum {
  segment: string;
  exptime: number;
  wavelength: Float64Array;
  restWavelength: Float64Array;
  flux: Float32Array;
  height: number;
  bSpec: number;
  slope: number;
  /** The background boxes (the SCI header's B_BKG1_x … B_HGT2_x). */
  backgroundBoxes?: Pick<BoxcarRow, "bBkg1" | "bBkg2" | "bHgt1" | "bHgt2">;
}

export interface X1dResult {
  stripes: StripeSpectrum[];
  trailer: string[];
  /** Switch keywords the `_x1d` primary gets (X1DCORR, BACKCORR, HELCORR, FLUXCORR, TDSCORR) and their values. */
  completed: Record<string, string>;
}

const upper = (h: Header, key: string, fallback: string) =>
  String(h.get(key) ?? fallback)
    .trim()
    .toUpperCase();

/** SNR_FF of the flat's first extension when FLATCORR was done (calcos' getSnrFf), else 0. */
function flatSnr(primary: Header, env: Env): number {
  if (upper(primary, "FLATCORR", "OMIT") !== "COMPLETE") return 0;
  const file = FitsFile.open(requiredReference(primary, "FLATFILE", env, "X1DCORR"));
  try {
    return file.hdus[1]?.header.getNumber("SNR_FF", 0) ?? 0;
  } finally {
    file.close();
  }
}

export function extractNuv(
  primary: Header,
  sci: Header,
  images: { flt: Float32Array; counts: Float32Array; dq: Int16Array; nx: number; ny: number },
  tables: SpectroTables,
  env: Env,
): X1dResult {
  const xtractab = basename(requiredReference(primary, "XTRACTAB", env, "X1DCORR"));
  const backcorr = upper(primary, "BACKCORR", "OMIT") === "PERFORM";
  const helcorr = ["PERFORM", "COMPLETE"].includes(upper(primary, "HELCORR", "OMIT"));
  const wavecorrDone = upper(primary, "WAVECORR", "OMIT") === "COMPLETE";
  const snrFf = flatSnr(primary, env);
  const { nx, ny } = images;
  const xOffset = sci.getInt("X_OFFSET", 0);
  const exptime = sci.getNumber("EXPTIME", 0);
  const vHelio = sci.getNumber("V_HELIO", 0);
  const base = {
    OPT_ELEM: primary.getString("OPT_ELEM").trim(),
    CENWAVE: primary.getInt("CENWAVE"),
    APERTURE: primary.getString("APERTURE", "PSA").trim(),
  };
  const trailer = [`X1DCORR   PERFORM (BOXCAR, XTRACTAB ${xtractab})`, `BACKCORR  ${backcorr ? "PERFORM" : "OMIT"}`];
  const stripes = NUV_STRIPES.map((segment) => {
    const filter = { ...base, SEGMENT: segment };
    const row = tables.boxcarRow(filter, "X1DCORR");
    const dispersion = tables.dispersion({ ...filter, FPOFFSET: primary.getInt("FPOFFSET", 0) });
    const letter = segment.slice(-1);
    const dpixel1 = wavecorrDone ? sci.getNumber(`DPIXEL1${letter}`, 0) : 0;
    const wavelength = new Float64Array(nx);
    const restWavelength = new Float64Array(nx);
    for (let i = 0; i < nx; i++) {
      const wl = wavelengthAt(dispersion, i - xOffset + dpixel1);
      restWavelength[i] = wl;
      wavelength[i] = helcorr ? wl + (wl * -vHelio) / SPEED_OF_LIGHT : wl;
    }
    const spectrum = boxcarExtract(
      {
        flt: { data: images.flt, nx, ny },
        counts: { data: images.counts, nx, ny },
        dq: { data: images.dq, nx, ny },
        row,
        xOffset,
        shift1: sci.getNumber(`SHIFT1${letter}`, 0),
        shift2: 0,
        sdqflags: sci.getInt("SDQFLAGS", 0),
        snrFf,
        exptime,
        backcorr,
        detectorX: NUV_X,
      },
      `${segment} of XTRACTAB ${xtractab}`,
    );
    trailer.push(`${segment} spectrum extracted at y = ${spectrum.location.toFixed(2)}`);
    const { height, bSpec, slope } = row;
    const flux = new Float32Array(nx);
    const backgroundBoxes = { bBkg1: row.bBkg1, bBkg2: row.bBkg2, bHgt1: row.bHgt1, bHgt2: row.bHgt2 };
    return { ...spectrum, segment, exptime, wavelength, restWavelength, flux, height, bSpec, slope, backgroundBoxes };
  });
  const completed: Record<string, string> = { X1DCORR: "COMPLETE" };
  if (backcorr) completed.BACKCORR = "COMPLETE";
  if (upper(primary, "FLUXCORR", "OMIT") === "PERFORM") {
    const fluxtab = requiredReference(primary, "FLUXTAB", env, "FLUXCORR");
    const tdsPerform = upper(primary, "TDSCORR", "OMIT") === "PERFORM";
    const tdsNa = ["", "N/A"].includes(upper(primary, "TDSTAB", "N/A"));
    const tdstab = tdsPerform && !tdsNa ? requiredReference(primary, "TDSTAB", env, "TDSCORR") : undefined;
    const done = fluxCorrect(primary, sci, stripes, { fluxtab, tdstab });
    Object.assign(completed, done.completed);
    if (tdsPerform && tdsNa) completed.TDSCORR = "SKIPPED";
    trailer.push(...done.trailer);
  }
  if (helcorr) completed.HELCORR = "COMPLETE";
  return { stripes, trailer, completed };
}
