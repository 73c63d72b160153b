/**
 * fitscut's `--autoscale=99.5` limits: a histogram of 50000 bins (plus one) between the data minimum and
 * maximum, the 0.5 % and 99.5 % cuts, a second pass on the narrowed range when the cuts fall within 10
 * bins of each other, and the noise guard that keeps the stretch of a noise-like image from being too
 * harsh. Blank (NaN) and masked pixels are left out. Counting follows fitscut's float arithmetic.
 */

export const HISTOGRAM_BINS = 50000;
const MAX_PASSES = 64;
const FLOAT_COUNT_LIMIT = 2 ** 24;

export interface ScaleLimits {
  min: number;
  max: number;
}

/** Minimum and maximum over the pixels that count (0, 0 when there are none). */
export function dataRange(data: Float32Array, masked?: Uint8Array): ScaleLimits | undefined {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  // NaN fails both comparisons, so blank pixels never change min or max.
  if (masked) {
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (masked[i]) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  } else {
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return min > max ? undefined : { min, max };
}

export function autoscaleLimits(data: Float32Array, masked?: Uint8Array, percentHigh = 99.5): ScaleLimits {
  const range = dataRange(data, masked);
  if (!range) return { min: 0, max: 0 };
  let { min: low, max: high } = range;
  for (let pass = 0; ; pass++) {
    const result = cutLimits(data, masked, low, high, percentHigh);
    if (!result.narrowed || pass === MAX_PASSES) return result.limits;
    ({ min: low, max: high } = result.narrowed);
  }
}

interface Histogram {
  bins: Float32Array;
  count: number;
  /** Extremes of the pixels that fell inside [low, high]. */
  inMin: number;
  inMax: number;
}

function histogram(data: Float32Array, masked: Uint8Array | undefined, low: number, high: number): Histogram {
  // Integer counts, capped below at the end where fitscut's float bins stop counting (2^24).
  const counts = new Int32Array(HISTOGRAM_BINS + 1);
  const binSize = (high - low) / (HISTOGRAM_BINS - 1);
  let count = 0;
  let inMin = Number.POSITIVE_INFINITY;
  let inMax = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (Number.isNaN(v) || masked?.[i]) continue;
    let bin: number;
    if (v < low) bin = 0;
    else if (v > high) bin = HISTOGRAM_BINS - 1;
    else {
      // fitscut divides 0 by a zero bin size (undefined behaviour) for a constant image; bin 0 here.
      bin = binSize > 0 ? Math.ceil((v - low) / binSize) : 0;
      if (v > inMax) inMax = v;
      if (v < inMin) inMin = v;
    }
    counts[bin]++;
    count++;
  }
  const bins = Float32Array.from(counts, (c) => Math.min(c, FLOAT_COUNT_LIMIT));
  if (inMin > inMax) inMin = inMax = Math.fround(0.5 * (low + high));
  return { bins, count, inMin, inMax };
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
): { limits: ScaleLimits; narrowed?: ScaleLimits } {
  const n = HISTOGRAM_BINS;
  const { bins, count: pixels, inMin, inMax } = histogram(data, masked, low, high);
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
