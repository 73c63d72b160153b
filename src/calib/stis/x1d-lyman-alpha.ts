/**
 * calstis6's geocoronal-line windows of a first-order grating spectrum (findlya.c FindLya) and the MAMA's
 * background smoothing around them (background.c SmoothBack for a first-order MAMA: a polynomial fitted over
 * the columns outside the windows, without the CCD's running median). Lyα 1216 Å is located by
 * cross-correlating the column sums with a box as wide as the slit's image, within 50 columns of where the
 * WCS puts it; O I 1300 Å is offset from it. The windows also keep the trace search off those columns.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */

import { fitOverColumns } from "./x1d-background.js";
import type { X1dImage } from "./x1d-image.js";

const f = Math.fround;
/** Columns added on either side of the slit's image (findlya.c SAFETY_MARGIN). */
const SAFETY_MARGIN = 15;
const FLT_MAX = 3.4028234663852886e38;
/** The windows [start1, end1, start2, end2] (image columns, exclusive), all 0 when the lines miss the image. */
export type LymanAlphaWindows = [number, number, number, number];
export const NO_WINDOWS: LymanAlphaWindows = [0, 0, 0, 0];

export interface SpectralWcs {
  /** CRVAL1 (Å), CRPIX1 (one-indexed, used as calstis does), CD1_1 (Å per pixel), CD2_2 (degrees per pixel). */
  crval1: number;
  crpix1: number;
  cd: [number, number];
  ltm: [number, number];
  /** The aperture's WIDTH1 (arcsec). */
  width1: number;
  sdqflags: number;
}

/** FindLya for a grating: the avoidance windows of Lyα and O I 1300 on `im`. */
export function lymanAlphaWindows(im: X1dImage, w: SpectralWcs): LymanAlphaWindows {
  const centera = Math.trunc((1216 - w.crval1) / w.cd[0] + w.crpix1);
  const centerb = Math.trunc((1300 - w.crval1) / w.cd[0] + w.crpix1);
  const width = Math.trunc((w.width1 / w.cd[1] / 3600 / w.ltm[1]) * w.ltm[0]);
  const half = Math.trunc(width / 2);
  if (centerb + half < 0 || centera - half > im.nx) return NO_WINDOWS;
  const columns = new Float32Array(im.nx);
  for (let j = 0; j < im.ny; j++) {
    for (let i = 0; i < im.nx; i++) {
      const k = j * im.nx + i;
      if (!(im.dq[k] & w.sdqflags)) columns[i] = f(columns[i] + im.sci[k]);
    }
  }
  const crosscor = new Float32Array(im.nx);
  for (let i = 0; i < im.nx; i++) {
    let norm = 0;
    for (let b = 0; b < width; b++) {
      const k = b - half + i;
      if (k > -1 && k < im.nx) {
        crosscor[i] = f(crosscor[i] + columns[k]);
        norm++;
      }
    }
    if (norm > 0) crosscor[i] = f(crosscor[i] / norm);
  }
  const offset = centerb - centera;
  const windows = (peak: number): LymanAlphaWindows => {
    const [a1, a2] = [peak - half - SAFETY_MARGIN, peak + half + SAFETY_MARGIN];
    return [a1, a2, a1 + offset, a2 + offset];
  };
  for (let attempt = 1; attempt <= 5; attempt++) {
    let peak = 0;
    let value = -FLT_MAX;
    for (let i = 0; i < im.nx; i++) {
      if (crosscor[i] > value) {
        value = crosscor[i];
        peak = i;
      }
    }
    if (Math.abs(peak - centera) <= 50) return windows(peak);
    crosscor[peak] = -FLT_MAX;
  }
  return windows(centera);
}

/** isValid: a column the MAMA's background polynomial is fitted to and replaces. */
function fitted(i: number, size: number, w: LymanAlphaWindows): boolean {
  if (i < 10 || i > size - 10) return false;
  if (w[0] === 0) return true;
  return !(i > w[0] && i < w[1]) && !(i > w[2] && i < w[3]);
}

/**
 * SmoothBack's PolynomialFilter for a first-order MAMA spectrum: the windows narrowed by five columns at
 * each end, the polynomial of `order` through the other columns (10 … npts − 10), which it replaces; the
 * columns in the windows keep their background. Too few columns: left unsmoothed, as cs6 does for the FUV.
 */
export function smoothMamaBackground(background: Float32Array, order: number, w: LymanAlphaWindows): Float32Array {
  const narrowed: LymanAlphaWindows = w[0] !== 0 ? [w[0] + 5, w[1] - 5, w[2] + 5, w[3] - 5] : w;
  const out = Float32Array.from(background);
  const columns: number[] = [];
  for (let i = 0; i < out.length; i++) if (fitted(i, out.length, narrowed)) columns.push(i);
  return fitOverColumns(out, columns, order);
}
