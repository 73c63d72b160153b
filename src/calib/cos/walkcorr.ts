/**
 * XWLKCORR/YWLKCORR for an FUV segment (calcos' walkCorrection, bilinear_interpolation, applyWalkCorrection): the
 * walk of each event is read from a lookup image (rows: PHA 0 … nrows − 1, columns: XCORR), interpolated
 * linearly along XCORR between a column and the next (0 past the last); both corrections are computed from the
 * same XCORR and PHA, then subtracted from XCORR/YCORR of the events in the active area.
 */
import type { CorrtagEvents } from "./events.js";

export interface WalkImage {
  data: Float32Array | Float64Array;
  nx: number;
  ny: number;
}

/** The walk at each event (double precision, as numpy computes it). */
export function walkAt(events: CorrtagEvents, image: WalkImage): Float64Array {
  const { xcorr, pha } = events;
  const { data, nx, ny } = image;
  const at = (row: number, col: number) => (col < nx && row < ny ? data[row * nx + col] : 0);
  const delta = new Float64Array(xcorr.length);
  for (let k = 0; k < xcorr.length; k++) {
    const x = xcorr[k] < 0 ? 0 : xcorr[k] > nx - 1 ? nx - 1 : xcorr[k];
    const iy = pha[k] > ny - 1 ? ny - 1 : pha[k];
    const ix = Math.trunc(x);
    const dx1 = x - ix;
    const dx2 = 1 - dx1;
    // PHA is an integer: the second row's weight is 0 (numpy still adds its 0 × value terms)
    delta[k] =
      at(iy, ix) * dx2 * 1 + at(iy + 1, ix) * dx2 * 0 + at(iy, ix + 1) * dx1 * 1 + at(iy + 1, ix + 1) * dx1 * 0;
  }
  return delta;
}

export function applyWalk(events: CorrtagEvents, active: Uint8Array, dx?: Float64Array, dy?: Float64Array): void {
  const { xcorr, ycorr } = events;
  for (let k = 0; k < xcorr.length; k++) {
    if (!active[k]) continue;
    if (dx) xcorr[k] = xcorr[k] - dx[k];
    if (dy) ycorr[k] = ycorr[k] - dy[k];
  }
}

/** The walk of one event (walkAt's value for it). */
function walkOf(image: WalkImage, xcorr: number, pha: number): number {
  const { data, nx, ny } = image;
  const at = (row: number, col: number) => (col < nx && row < ny ? data[row * nx + col] : 0);
  const x = Math.min(Math.max(xcorr, 0), nx - 1);
  const iy = Math.min(pha, ny - 1);
  const ix = Math.trunc(x);
  const dx1 = x - ix;
  const dx2 = 1 - dx1;
  return at(iy, ix) * dx2 * 1 + at(iy + 1, ix) * dx2 * 0 + at(iy, ix + 1) * dx1 * 1 + at(iy + 1, ix + 1) * dx1 * 0;
}

/**
 * walkAt then applyWalk in one pass, without the per-event walk arrays: each event's two walks depend only on
 * its own XCORR and PHA before either is subtracted, so the result is the same.
 */
export function applyWalkImages(events: CorrtagEvents, active: Uint8Array, x?: WalkImage, y?: WalkImage): void {
  const { xcorr, ycorr, pha } = events;
  for (let k = 0; k < xcorr.length; k++) {
    if (!active[k]) continue;
    const before = xcorr[k];
    if (x) xcorr[k] = before - walkOf(x, before, pha[k]);
    if (y) ycorr[k] = ycorr[k] - walkOf(y, before, pha[k]);
  }
}
