/**
 * fitscut's `--autoscale=99.5` limits: a histogram of 50000 bins (plus one) between the data minimum and
 * maximum, the 0.5 % and 99.5 % cuts, a second pass on the narrowed range when the cuts fall within 10
 * bins of each other, and the noise guard that keeps the stretch of a noise-like image from being too
 * harsh. Blank (NaN) and masked pixels are left out. Counting follows fitscut's float arithmetic.
 */
import { forEachChunk } from "./chunks.js";
import { HISTOGRAM_BINS, histogram } from "./histogram.js";

export { HISTOGRAM_BINS } from "./histogram.js";

const MAX_PASSES = 64;

export interface ScaleLimits {
  min: number;
  max: number;
}

/** Minimum and maximum over the pixels that count (undefined when there are none). */
export function dataRange(data: Float32Array, masked?: Uint8Array): ScaleLimits | undefined {
  const extremes = new Float64Array([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
  forEachChunk(data.length, (start, end) => rangeChunk(data, masked, start, end, extremes));
  return extremes[0] > extremes[1] ? undefined : { min: extremes[0], max: extremes[1] };
}

// NaN fails both comparisons, so blank pixels never change min or max.
function rangeChunk(data: Float32Array, masked: Uint8Array | undefined, start: number, end: number, out: Float64Array) {
  let min = out[0];
  let max = out[1];
  if (masked) {
    for (let i = start; i < end; i++) {
      const v = data[i];
      if (masked[i] !== 0) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  } else {
    for (let i = start; i < end; i++) {
      const v = data[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  out[0] = min;
  out[1] = max;
}

/** The limits; `range` is dataRange(data, masked) when the caller already has it. */
export function autoscaleLimits(
  data: Float32Array,
  masked?: Uint8Array,
  percentHigh = 99.5,
  range = dataRange(data, masked),
): ScaleLimits {
  if (!range) return { min: 0, max: 0 };
  let { min: low, max: high } = range;
  for (let pass = 0; ; pass++) {
    // The first pass spans the data exactly, so every pixel is inside and the extremes are known.
    const result = cutLimits(data, masked, low, high, percentHigh, pass > 0);
    if (!result.narrowed || pass === MAX_PASSES) return result.limits;
    ({ min: low, max: high } = result.narrowed);
  }
}

/** `count += hist[i]` with an int count and float bins, as C does it. */
function addCount(count: number, bin: number): number {
  return Math.trunc(Math.fround(Math.fround(count) + bin));
}

function cutLimits(
  data: Float32Array,
  masked: Uint8Array | undefined,
  low: number,
  high: number,
  percentHigh: number,
  trackInside: boolean,
): { limits: ScaleLimits; narrowed?: ScaleLimits } {
  const n = HISTOGRAM_BINS;
  const { bins, count: pixels, inMin, inMax } = histogram(data, masked, low, high, trackInside);
  const cutoffHigh = Math.trunc((pixels * (100 - percentHigh)) / 100);
  let hh = n;
  for (let count = 0; hh >= 0; hh--) {
    count = addCount(count, bins[hh]);
    if (count > cutoffHigh) break;
  }
  const cutoffLow = Math.trunc((pixels * (100 - percentHigh)) / 100);
  let ll = 0;
  let count = 0;
  for (; ll <= n; ll++) {
    count = addCount(count, bins[ll]);
    if (count > cutoffLow) break;
  }
  let mm = ll;
  if (hh !== ll) {
    const cutoffMedian = Math.trunc(pixels * 0.5);
    while (count <= cutoffMedian) {
      mm++;
      if (mm > n) break;
      count = addCount(count, bins[mm]);
    }
  }
  const step = (high - low) / (n - 1);
  const min = ll === n ? high : step * (ll - 1) + low;
  let max = hh === n - 1 ? high : step * hh + low;
  const median = step * (mm - 0.5) + low;
  if (ll + 10 >= hh && inMin !== inMax) {
    return { limits: { min, max }, narrowed: { min: Math.max(inMin, min), max: Math.min(inMax, max) } };
  }
  if (median + 5 * (median - min) > max) max = median + 5 * (median - min);
  return { limits: { min, max } };
}
