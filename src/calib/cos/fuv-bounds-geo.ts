/**
 * fuvFlagOutOfBounds of calcos with GEOCORR (and DGEOCORR) done: the borders of the full-frame "subarray", moved
 * by TEMPCORR's stim map, are distorted like the events (geocorrect), interpolated back onto whole pixels
 * (ccos interp1d) and shifted by the Doppler extremes; every pixel outside them is flagged out of bounds (128),
 * the inside cleared row by row as ccos clear_rows does. numpy's float32 arange and the float32 arrays between
 * the steps are reproduced, so the border pixels are calcos' own.
 */
import { DQ_PIXEL_OUT_OF_BOUNDS, roundHalfEven } from "./dqicorr.js";
import type { DopplerSpan, StimMap } from "./fuv-segment.js";
import { type GeoImages, geocorrect } from "./geocorr.js";

const f = Math.fround;
const IDENTITY: StimMap = { xslope: 1, xintercept: 0, yslope: 1, yintercept: 0 };

/** numpy.arange(start, stop, dtype=float32): the first two values from doubles, the rest start + i·delta. */
export function arangeFloat32(start: number, stop: number): Float32Array {
  const n = Math.max(Math.ceil(stop - start), 0);
  const out = new Float32Array(n);
  if (n === 0) return out;
  out[0] = start;
  if (n === 1) return out;
  out[1] = start + 1;
  const first = out[0];
  const delta = f(out[1] - first);
  for (let i = 2; i < n; i++) out[i] = first + f(i * delta);
  return out;
}

/** ccos binarySearch: i with array[i] ≤ v ≤ array[i+1]; −1 below, n above (increasing or decreasing). */
function binarySearch(v: number, a: Float32Array): number {
  const n = a.length;
  if (n < 2) return 0;
  const increasing = a[0] < a[n - 1];
  if (increasing ? v < a[0] : v > a[0]) return -1;
  if (increasing ? v > a[n - 1] : v < a[n - 1]) return n;
  let low = 0;
  let high = n - 1;
  while (high - low > 1) {
    const k = (low + high) >> 1;
    if (v > a[k] === increasing) low = k;
    else high = k;
  }
  return low;
}

/** ccos interp1d onto 0 … n − 1 (in double), kept as float32 like the arrays it writes into. */
function interpolateOntoPixels(xa: Float32Array, ya: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let b = 0; b < n; b++) {
    if (xa.length === 1) {
      out[b] = ya[0];
      continue;
    }
    const i = binarySearch(b, xa);
    if (i === -1) out[b] = ya[0];
    else if (i === xa.length) out[b] = ya[xa.length - 1];
    else {
      const q = (b - xa[i]) / (xa[i + 1] - xa[i]);
      out[b] = (1 - q) * ya[i] + q * ya[i + 1];
    }
  }
  return out;
}

export function flagOutOfBoundsGeo(
  dq: Int16Array,
  shape: { nx: number; ny: number; xOffset: number },
  dopp: DopplerSpan,
  geo: readonly { images: GeoImages; interpolate: boolean }[],
  stims: StimMap = IDENTITY,
): void {
  const { nx, ny, xOffset } = shape;
  const dx = roundHalfEven(dopp.min);
  const xwidth = roundHalfEven(dopp.max - dopp.min);
  const { xslope, xintercept, yslope, yintercept } = stims;
  const x0 = xintercept;
  const y0 = yintercept;
  const x1 = xintercept + (nx - xwidth - 1) * xslope + 1;
  const y1 = yintercept + (ny - 1) * yslope + 1;
  const xLower = arangeFloat32(x0, x1);
  const xUpper = arangeFloat32(x0, x1);
  const yLeft = arangeFloat32(y0, y1);
  const yRight = arangeFloat32(y0, y1);
  const yLower = new Float32Array(xLower.length).fill(y0);
  const yUpper = new Float32Array(xUpper.length).fill(y1 - 1);
  const xLeft = new Float32Array(yLeft.length).fill(x0);
  const xRight = new Float32Array(yRight.length).fill(x1 - 1);
  for (const { images, interpolate } of geo) {
    geocorrect(xLower, yLower, images, interpolate);
    geocorrect(xUpper, yUpper, images, interpolate);
    geocorrect(xLeft, yLeft, images, interpolate);
    geocorrect(xRight, yRight, images, interpolate);
  }
  // calcos' applyOffsets: the zero point and the least Doppler shift, then the borders kept on the image
  const lower = interpolateOntoPixels(xLower, yLower, nx).map((v) => Math.max(v, 0));
  const upper = interpolateOntoPixels(xUpper, yUpper, nx).map((v) => Math.min(v, ny - 1));
  const left = interpolateOntoPixels(yLeft, xLeft, ny).map((v) => Math.max(f(f(v + xOffset) - dx), 0));
  const right = interpolateOntoPixels(yRight, xRight, ny).map((v) => Math.min(f(f(v + xOffset) - dx), nx - 1));
  const inside = clearRows(nx, ny, lower, upper, left, right);
  for (let p = 0; p < dq.length; p++) if (!inside[p]) dq[p] |= DQ_PIXEL_OUT_OF_BOUNDS;
}

/** ccos clear_rows: 1 for each pixel within the (curved) borders. */
function clearRows(
  nx: number,
  ny: number,
  lower: Float32Array,
  upper: Float32Array,
  left: Float32Array,
  right: Float32Array,
): Uint8Array {
  const inside = new Uint8Array(nx * ny);
  let ymin = lower[0];
  let ymax = upper[0];
  for (let i = 0; i < nx; i++) {
    ymin = Math.min(lower[i], ymin);
    ymax = Math.max(upper[i], ymax);
  }
  for (let j = Math.ceil(ymin); j <= Math.floor(ymax); j++) {
    for (let i = Math.ceil(left[j]); i <= Math.floor(right[j]); i++) {
      if (i < 0 || i >= nx) continue;
      if (j >= Math.floor(lower[i] + 0.5) && j <= Math.floor(upper[i] + 0.5)) inside[j * nx + i] = 1;
    }
  }
  return inside;
}
