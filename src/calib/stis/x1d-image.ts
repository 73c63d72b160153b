/**
 * The image calstis6 extracts from (one imset of a `_crj`/`_flt`) and hstcal's Interp2D on it: bilinear
 * interpolation in float with the flagged neighbours left out (their weights renormalised), the nearest pixel
 * when all four are flagged, DETECTORPROB beyond the edges, the variance-weighted error. Algorithms follow
 * hstcal (BSD-3-Clause, AURA).
 */
const f = Math.fround;
/** DQ flag of a pixel beyond the detector (stisdq.h DETECTORPROB). */
export const DETECTORPROB = 4;

/** hstcal's NINT: halves away from zero. */
export const nint = (x: number) => (x >= 0 ? Math.trunc(x + 0.5) : Math.trunc(x - 0.5));

export interface X1dImage {
  nx: number;
  ny: number;
  sci: Float32Array;
  err: Float32Array;
  dq: Uint16Array;
}

export interface Interpolated {
  sci: number;
  err: number;
  dq: number;
}

/** Interp2D at (ix, iy), zero-indexed, jacobian 1, WGT_VARIANCE. */
export function interpolate2d(im: X1dImage, sdqflags: number, ix: number, iy: number): Interpolated {
  const { nx, ny, sci, err, dq } = im;
  const iix = nint(ix);
  const iiy = nint(iy);
  if (iix < 0 || iix > nx - 1 || iiy < 0 || iiy > ny - 1) return { sci: 0, err: 0, dq: DETECTORPROB };
  const ii = Math.min(Math.max(Math.trunc(ix), 0), nx - 2);
  const ij = Math.min(Math.max(Math.trunc(iy), 0), ny - 2);
  const q = f(ix - ii);
  const p = f(1 - q);
  const s = f(iy - ij);
  const r = f(1 - s);
  const at = [ij * nx + ii, ij * nx + ii + 1, (ij + 1) * nx + ii, (ij + 1) * nx + ii + 1];
  const w = [f(p * r), f(q * r), f(p * s), f(q * s)];
  let ngood = 0;
  for (let k = 0; k < 4; k++) {
    if (dq[at[k]] & sdqflags) w[k] = 0;
    else ngood++;
  }
  const sumw = f(f(f(w[0] + w[1]) + w[2]) + w[3]);
  const flags = dq[at[0]] | dq[at[1]] | dq[at[2]] | dq[at[3]];
  if (ngood === 0 || sumw <= 0) {
    const nearest = iiy * nx + iix;
    return { sci: sci[nearest], err: err[nearest], dq: flags };
  }
  if (ngood < 4) for (let k = 0; k < 4; k++) w[k] = f(w[k] / sumw);
  let value = 0;
  let variance = 0;
  for (let k = 0; k < 4; k++) {
    value = f(value + f(w[k] * sci[at[k]]));
    variance = f(variance + f(f(w[k] * err[at[k]]) * err[at[k]]));
  }
  return { sci: value, err: variance > 0 ? f(Math.sqrt(variance)) : 0, dq: flags };
}
