/**
 * The STIS MAMA steps of calstis1 on one image set (dononlin.c, donoise.c, dodark.c for the MAMAs), pure
 * functions on typed arrays: the global count rate and its nonlinearity correction (GLINCORR), the flagging of
 * locally nonlinear pixels and their neighbours (LFLGCORR), the Poisson error array and the MAMA dark scale.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "../common/errors.js";
import type { ImageSet } from "../common/imset.js";
import { sameString } from "../common/row-match.js";
import { SATPIXEL } from "./basic2d.js";

const f = Math.fround;

/** One MLINTAB row: the count-rate limits (counts/s) of one MAMA detector. */
export interface StisLinearityRow {
  DETECTOR: string;
  GLOBAL_LIMIT: number;
  LOCAL_LIMIT: number;
  TAU: number;
  EXPAND: number;
}

/** The MLINTAB row whose DETECTOR is the header's, spelt alike ("FUV-MAMA"; getlintab.c SameString). */
export function linearityRow(rows: readonly StisLinearityRow[], detector: string, table: string): StisLinearityRow {
  const row = rows.find((r) => sameString(r.DETECTOR, detector));
  if (!row) {
    throw new CalibrationError("TABLE_ROW_MISSING", `${table}: no row for DETECTOR = ${detector.trim()}`, {
      step: "GLINCORR",
    });
  }
  return row;
}

/** FindGlobRate: the sum of every pixel (flagged ones too) over the exposure time, in counts/s. */
export function globalRate(set: ImageSet, exptime: number): number {
  let sum = 0;
  for (let k = 0; k < set.sci.length; k++) sum += set.sci[k]!;
  return sum / exptime;
}

/** FindRate: true ÷ observed rate for y = x·exp(−τx), three Newton steps from x = y; 1 for y ≤ 0. */
export function trueRateRatio(observed: number, tau: number): number {
  if (observed <= 0) return 1;
  let x = observed;
  for (let n = 0; n < 3; n++) {
    const e = Math.exp(-tau * x);
    x += (observed - x * e) / ((1 - tau * x) * e);
  }
  return x / observed;
}

export interface NonlinearityResult {
  globrate: number;
  /** GLOBLIM: the global rate exceeded GLOBAL_LIMIT (the image is then left uncorrected). */
  exceeded: boolean;
  /** Pixels over the local limit (each flagged with its neighbourhood). */
  localCount: number;
}

/**
 * doNonLin: the global rate (with no exposure time, the header's GLOBRATE, as cs1 keeps it); over GLOBAL_LIMIT it is only reported, else (GLINCORR) SCI and ERR are scaled by
 * the true/observed ratio; then (LFLGCORR) every pixel over LOCAL_LIMIT × EXPTIME × bin area / 4 flags SATPIXEL
 * within EXPAND high-res pixels. Must run before DARKCORR and FLATCORR change the counts.
 */
export function nonlinearity(
  set: ImageSet,
  o: {
    row: StisLinearityRow;
    exptime: number;
    glincorr: boolean;
    lflgcorr: boolean;
    bin: [number, number];
    headerGlobrate?: number;
  },
): NonlinearityResult {
  const globrate = o.exptime > 0 ? globalRate(set, o.exptime) : (o.headerGlobrate ?? 0);
  const exceeded = globrate > o.row.GLOBAL_LIMIT;
  if (!exceeded && o.glincorr) {
    const ratio = f(trueRateRatio(globrate, o.row.TAU));
    for (let k = 0; k < set.sci.length; k++) {
      set.sci[k] = set.sci[k]! * ratio;
      set.err[k] = set.err[k]! * ratio;
    }
  }
  let localCount = 0;
  if (o.lflgcorr) {
    const limit = o.row.LOCAL_LIMIT * o.exptime * (f(o.bin[0] * o.bin[1]) / 4);
    const over: number[] = [];
    for (let k = 0; k < set.sci.length; k++) if (set.sci[k]! > limit) over.push(k);
    for (const k of over) expandFlag(set, f(o.row.EXPAND), o.bin, k % set.nx, Math.floor(k / set.nx));
    localCount = over.length;
  }
  return { globrate, exceeded, localCount };
}

/** ExpandDQ: SATPIXEL within an ellipse of `expand` high-res pixels around (i0, j0), bin-aware. */
function expandFlag(set: ImageSet, expand: number, bin: [number, number], i0: number, j0: number): void {
  const iexpand = Math.trunc(expand + 1);
  const reach = (b: number) => (b === 1 ? iexpand : Math.trunc((iexpand + 1) / b));
  const ilow = Math.max(0, i0 - reach(bin[0]));
  const ihigh = Math.min(set.nx - 1, i0 + reach(bin[0]));
  const jlow = Math.max(0, j0 - reach(bin[1]));
  const jhigh = Math.min(set.ny - 1, j0 + reach(bin[1]));
  const radius2 = f(expand * expand);
  const [bx2, by2] = [bin[0] * bin[0], bin[1] * bin[1]];
  for (let j = jlow; j <= jhigh; j++) {
    const dy = j - j0;
    for (let i = ilow; i <= ihigh; i++) {
      const dx = i - i0;
      if (dx * dx * bx2 + dy * dy * by2 <= radius2) set.dq[j * set.nx + i] |= SATPIXEL;
    }
  }
}

/** doNoise for a MAMA: an all-zero ERR becomes sqrt(SCI) where SCI > 0, else 0. Returns whether it did. */
export function initMamaErrors(set: ImageSet): boolean {
  const { sci, err } = set;
  for (let k = 0; k < err.length; k++) if (err[k] !== 0) return false;
  for (let k = 0; k < sci.length; k++) {
    const value = sci[k]!;
    err[k] = value > 0 ? Math.sqrt(value) : 0;
  }
  return true;
}

/** meanNUVDark: the mean of the good dark pixels, scaled to a 1024² (low-res) frame; the TDCTAB argument. */
export function meanNuvDark(dark: ImageSet): number {
  let sum = 0;
  let n = 0;
  for (let k = 0; k < dark.sci.length; k++) {
    if (dark.dq[k] === 0) {
      sum += dark.sci[k]!;
      n++;
    }
  }
  return ((((n > 0 ? sum / n : 0) * dark.nx) / 1024) * dark.ny) / 1024;
}
