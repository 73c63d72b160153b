/**
 * The `_counts` and `_flt` images of a COS TIME-TAG exposure (calcos' writeImages): events binned at their
 * rounded (XFULL + x offset, YFULL), those with a serious DQ flag (burst, bad time, pulse height) left out.
 * counts = events / EXPTIME; flt = Σ EPSILON / EXPTIME; errors from the frequentist Poisson upper limit of the
 * event count, scaled for the flt by its Σ EPSILON / events.
 */

import type { CorrtagEvents } from "./events.js";
import { nint } from "./events.js";
import { frequentistUpperErrors } from "./poisson.js";

/** calcos' SERIOUS_DQ_FLAGS: DQ_BURST | DQ_BAD_TIME | DQ_PHA_OUT_OF_BOUNDS. */
export const SERIOUS_DQ_FLAGS = 64 | 2048 | 512;

export interface CountImages {
  counts: { sci: Float32Array; err: Float32Array };
  flt: { sci: Float32Array; err: Float32Array };
}

/** Event counts and Σ EPSILON per pixel, in one pass over the events. */
function bin(events: CorrtagEvents, nx: number, ny: number, xOffset: number): [Float32Array, Float32Array] {
  const counts = new Float32Array(nx * ny);
  const weights = new Float32Array(nx * ny);
  const { xfull, yfull, dq, epsilon } = events;
  const offset = Math.fround(xOffset);
  for (let k = 0; k < dq.length; k++) {
    if ((dq[k] & SERIOUS_DQ_FLAGS) !== 0) continue;
    const i = nint(Math.fround(xfull[k] + offset));
    const j = nint(yfull[k]);
    if (i < 0 || i >= nx || j < 0 || j >= ny) continue;
    const p = j * nx + i;
    counts[p] += 1;
    weights[p] += epsilon[k];
  }
  return [counts, weights];
}

export function countImages(
  events: CorrtagEvents,
  exptime: number,
  shape: { nx: number; ny: number; xOffset: number },
): CountImages {
  const { nx, ny, xOffset } = shape;
  const size = nx * ny;
  if (exptime <= 0) {
    const zero = () => new Float32Array(size);
    return { counts: { sci: zero(), err: zero() }, flt: { sci: zero(), err: zero() } };
  }
  const [c, e] = bin(events, nx, ny, xOffset);
  const upper = frequentistUpperErrors();
  const t = Math.fround(exptime);
  const counts = { sci: new Float32Array(size), err: new Float32Array(size) };
  const flt = { sci: new Float32Array(size), err: new Float32Array(size) };
  // most pixels (of an FUV segment's 16.8 M) have no event: rates 0, both errors the upper limit of 0 counts
  const empty = Math.fround(upper(0) / t);
  counts.err.fill(empty);
  flt.err.fill(empty);
  const errRates: number[] = [];
  for (let p = 0; p < size; p++) {
    const n = c[p];
    if (n === 0) continue;
    let errRate = errRates[n];
    if (errRate === undefined) errRate = errRates[n] = Math.fround(upper(n) / t);
    counts.sci[p] = n / t;
    counts.err[p] = errRate;
    flt.sci[p] = e[p] / t;
    const reciprocalFlat = Math.fround((e[p] === 0 ? 1 : e[p]) / n);
    flt.err[p] = errRate * reciprocalFlat;
  }
  return { counts, flt };
}
