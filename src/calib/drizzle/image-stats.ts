/**
 * stsci.imagestats' ImageStats, which AstroDrizzle's sky and static mask steps use: mean and standard deviation with
 * iterative sigma clipping (computeMean.c, float32 arithmetic as there), the median of the clipped pixels, and the
 * histogram mode (bins of binwidth × stddev over the whole image from the clipped minimum).
 */
import { CalibrationError } from "../common/errors.js";

export interface ImageStatsOptions {
  lower?: number;
  upper?: number;
  nclip?: number;
  lsig?: number;
  usig?: number;
  binwidth?: number;
  /** Whether to find the median (default true; ImageStats' fields without "median" skip its passes). */
  median?: boolean;
}

export interface ImageStatsResult {
  npix: number;
  mean: number;
  stddev: number;
  min: number;
  max: number;
  mode: number;
  median: number;
  /** IRAF's pseudo-median: where the histogram's cumulative sum crosses one half. */
  midpt: number;
  /** Bins of the mode's histogram (drizzlepac's static mask needs at least 2). */
  nbins: number;
}

const f = Math.fround;

function computeMean(image: Float32Array, clipmin: number, clipmax: number) {
  const lo = f(clipmin);
  const hi = f(clipmax);
  let min = Math.max(lo, image[0]);
  let max = Math.min(hi, image[0]);
  let n = 0;
  let sum = 0;
  for (const v of image) {
    if (v >= lo && v <= hi) {
      if (v <= min) min = v;
      if (v >= max) max = v;
      n++;
      sum += v;
    }
  }
  const mean = f(sum / n);
  let sumdiff = 0;
  for (const v of image) {
    if (v >= min && v <= max) {
      const d = f(v - mean);
      sumdiff += f(d * d);
    }
  }
  return { n, mean, stddev: f(Math.sqrt(sumdiff / (n - 1))), min, max };
}

/** ImageStats(image, lower, upper, nclip, lsig, usig, binwidth) with fields mode, median, mean, stddev. */
export function imageStats(image: Float32Array, options: ImageStatsOptions = {}): ImageStatsResult {
  const { nclip = 0, lsig = 3, usig = 3, binwidth = 0.1 } = options;
  let imin = Number.POSITIVE_INFINITY;
  let imax = Number.NEGATIVE_INFINITY;
  for (const v of image) {
    if (v < imin) imin = v;
    if (v > imax) imax = v;
  }
  const lower = options.lower ?? imin;
  const upper = options.upper ?? imax;
  if (image.length === 0 || lower > imax || upper < imin || lower > upper) {
    throw new CalibrationError("NO_GOOD_DATA", `image statistics: no pixel between ${lower} and ${upper}`);
  }
  let clipmin = lower;
  let clipmax = upper;
  let stats: ReturnType<typeof computeMean> | undefined;
  for (let iter = 0; iter <= nclip; iter++) {
    stats = computeMean(image, clipmin, clipmax);
    if (stats.n <= 0) {
      throw new CalibrationError("NO_GOOD_DATA", `image statistics: no pixel left after ${iter} clipping iterations`);
    }
    if (iter < nclip) {
      clipmin = Math.max(lower, stats.mean - lsig * stats.stddev);
      clipmax = Math.min(upper, stats.mean + usig * stats.stddev);
    }
  }
  const { n, mean, stddev, min, max } = stats!;
  const hwidth = binwidth * stddev;
  const range = max - min;
  const tiny = 10 * 2 ** -23;
  let nbins = 1;
  let dz = range;
  if (!(hwidth < tiny || Math.abs(range) < tiny || hwidth > range)) {
    nbins = Math.trunc(range / hwidth) + 1;
    dz = range / (nbins - 1);
  }
  const bins = histogram(image, nbins, dz, min);
  return {
    npix: n,
    mean,
    stddev,
    min,
    max,
    mode: modeOf(bins, min, hwidth),
    midpt: midptOf(bins, min, hwidth),
    median: options.median === false ? Number.NaN : clippedMedian(image, nclip > 0 ? [clipmin, clipmax] : undefined),
    nbins,
  };
}

/** buildHistogram.c's populate1DHist (float32 arithmetic). */
function histogram(image: Float32Array, nbins: number, width: number, min: number): Uint32Array {
  const bins = new Uint32Array(nbins);
  const lo = f(min);
  const w = f(width);
  const step = f(1 / w);
  let hi = f(min + width * nbins);
  const edge = f(lo + f(w * nbins));
  if (hi > edge) hi = edge;
  for (const v of image) {
    if (v >= lo && v < hi) bins[Math.trunc(f(step * f(v - lo)))]++;
  }
  return bins;
}

function modeOf(bins: Uint32Array, min: number, hwidth: number): number {
  const n = bins.length;
  if (n === 1) return min + 0.5 * hwidth;
  if (n === 2) {
    if (bins[0] > bins[1]) return min + 0.5 * hwidth;
    return bins[0] < bins[1] ? min + 1.5 * hwidth : min + hwidth;
  }
  let peak = 0;
  for (let k = 1; k < n; k++) if (bins[k] > bins[peak]) peak = k;
  if (peak === 0) return min + 0.5 * hwidth;
  if (peak === n - 1) return min + (n - 0.5) * hwidth;
  const dh1 = bins[peak] - bins[peak - 1];
  const dh2 = bins[peak] - bins[peak + 1];
  if (dh1 + dh2 === 0) return min + (peak + 0.5) * hwidth;
  const at = peak + 1 + (0.5 * (dh1 - dh2)) / (dh1 + dh2);
  return min + (at - 0.5) * hwidth;
}

function midptOf(bins: Uint32Array, min: number, hwidth: number): number {
  if (bins.length <= 1) return bins[0];
  // float32 cumulative fractions, as numpy's cumsum().astype(float32) / its last value
  const fractions = new Float32Array(bins.length);
  let sum = 0;
  for (let k = 0; k < bins.length; k++) fractions[k] = sum += bins[k];
  const total = fractions[bins.length - 1];
  for (let k = 0; k < bins.length; k++) fractions[k] = f(fractions[k] / total);
  const lo = fractions.findIndex((v) => v >= 0.5);
  const h1 = min + lo * hwidth;
  const hdiff = lo === 0 ? fractions[0] : f(fractions[lo] - fractions[lo - 1]);
  if (hdiff === 0) return h1;
  if (lo === 0) return h1 + (0.5 / hdiff) * hwidth;
  return h1 + ((0.5 - fractions[lo - 1]) / hdiff) * hwidth;
}

/**
 * numpy's median of the pixels inside the last clipping range (all pixels without clipping; NaNs then count, sorted
 * last as a typed array sorts them). The middle values are found by selection on the float's bits ordered as
 * numbers (-0 before +0, as the sort), two passes of 16-bit histograms each, instead of sorting a copy.
 */
function clippedMedian(image: Float32Array, clip: [number, number] | undefined): number {
  // numpy compares the float32 image with the limits rounded to float32
  const [lo, hi] = clip ? [f(clip[0]), f(clip[1])] : [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  const bits = new Uint32Array(image.buffer, image.byteOffset, image.length);
  let numbers = 0;
  for (const v of image) if (v >= lo && v <= hi) numbers++;
  const n = clip ? numbers : image.length;
  if (n === 0) return Number.NaN;
  const at = (rank: number) => (rank < numbers ? selectRank(image, bits, lo, hi, rank) : Number.NaN);
  return n % 2 ? at((n - 1) / 2) : f((at(n / 2 - 1) + at(n / 2)) / 2);
}

/** The float's bits as an unsigned key in numeric order (negatives reversed below the positives). */
const keyOf = (b: number) => (b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0);

/** The value of rank `rank` (0-based, ascending) among the pixels of `image` within [lo, hi]. */
function selectRank(image: Float32Array, bits: Uint32Array, lo: number, hi: number, rank: number): number {
  const counts = new Uint32Array(65536);
  for (let k = 0; k < image.length; k++) {
    const v = image[k];
    if (v >= lo && v <= hi) counts[keyOf(bits[k]) >>> 16]++;
  }
  let high = 0;
  while (rank >= counts[high]) rank -= counts[high++];
  counts.fill(0);
  for (let k = 0; k < image.length; k++) {
    const v = image[k];
    if (v >= lo && v <= hi) {
      const key = keyOf(bits[k]);
      if (key >>> 16 === high) counts[key & 0xffff]++;
    }
  }
  let low = 0;
  while (rank >= counts[low]) rank -= counts[low++];
  const key = ((high << 16) | low) >>> 0;
  const out = new Uint32Array([key & 0x80000000 ? key ^ 0x80000000 : ~key >>> 0]);
  return new Float32Array(out.buffer)[0];
}
