/**
 * fitscut's autoscale histogram: HISTOGRAM_BINS + 1 bins between low and high, bin 0 for pixels below
 * low, bin 49999 for pixels above high, ceil((v − low)/binSize) in double precision for the others (a
 * constant image has binSize 0, which fitscut divides by: bin 0 here). Blank (NaN) and masked pixels
 * are not counted. fitscut counts in floats, which stop at 2^24 per bin.
 */
import { forEachChunk } from "./chunks.js";

export const HISTOGRAM_BINS = 50000;
const FLOAT_COUNT_LIMIT = 2 ** 24;
const ABOVE = HISTOGRAM_BINS - 1;

export interface Histogram {
  bins: Float32Array;
  count: number;
  /** Extremes of the pixels that fell inside [low, high]. */
  inMin: number;
  inMax: number;
}

/** `trackInside` false: the caller knows every counted pixel lies in [low, high] (its data range). */
export function histogram(
  data: Float32Array,
  masked: Uint8Array | undefined,
  low: number,
  high: number,
  trackInside: boolean,
): Histogram {
  const counts = new Int32Array(HISTOGRAM_BINS + 1);
  const binning = new Binning(low, high);
  const inside = new Float64Array([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
  // Flagged pixels are few: counting every pixel and taking the flagged ones back out, four mask bytes at a
  // time, is cheaper than testing the mask at each pixel.
  const words =
    masked && masked.byteOffset % 4 === 0
      ? new Uint32Array(masked.buffer, masked.byteOffset, masked.length >> 2)
      : undefined;
  forEachChunk(data.length, (start, end) => {
    if (trackInside) trackingChunk(data, masked, start, end, binning, counts, inside);
    else if (masked && words) {
      plainChunk(data, start, end, binning, counts);
      uncountFlagged(data, masked, words, start, end, binning, counts);
    } else if (masked) maskedChunk(data, masked, start, end, binning, counts);
    else plainChunk(data, start, end, binning, counts);
  });
  const bins = new Float32Array(HISTOGRAM_BINS + 1);
  const count = floatBins(counts, bins);
  let [inMin, inMax] = trackInside ? inside : [low, high];
  if (inMin > inMax) inMin = inMax = Math.fround(0.5 * (low + high));
  return { bins, count, inMin, inMax };
}

/** The counts as fitscut's float bins (which stop growing at 2^24); returns the total. */
function floatBins(counts: Int32Array, bins: Float32Array): number {
  let count = 0;
  for (let b = 0; b < counts.length; b++) {
    const c = counts[b];
    count += c;
    bins[b] = Math.min(c, FLOAT_COUNT_LIMIT);
  }
  return count;
}

class Binning {
  readonly binSize: number;
  readonly inverse: number;
  constructor(
    readonly low: number,
    readonly high: number,
  ) {
    this.binSize = (high - low) / (HISTOGRAM_BINS - 1);
    this.inverse = 1 / this.binSize;
  }
}

const NEAR = 1e-9;

/**
 * The bin of a pixel v ≥ low, d = v − low. d·(1/binSize) is within 1e-11 of fitscut's quotient (< 50001),
 * so both have the same ceiling unless it lies within NEAR of an integer; then the division settles it. A
 * constant image (binSize 0) gives 0/0 there, which `| 0` turns into bin 0.
 */
function binOf(d: number, binSize: number, inverse: number): number {
  const q = d * inverse;
  const whole = q | 0;
  const f = q - whole;
  return f > NEAR && f < 1 - NEAR ? whole + 1 : Math.ceil(d / binSize) | 0;
}

/**
 * Counts every non-blank pixel of a pass whose counted pixels all lie in [low, high], so no pixel is tested
 * against the ends. Only flagged pixels can lie outside, and uncountFlagged takes them back out of the same
 * bins (spanBin): where they went does not matter.
 */
function plainChunk(data: Float32Array, start: number, end: number, binning: Binning, counts: Int32Array): void {
  const { low, binSize, inverse } = binning;
  for (let i = start; i < end; i++) {
    const v = data[i];
    if (v >= low) {
      // spanBin, written out.
      const d = v - low;
      const q = d * inverse;
      const whole = q | 0;
      const f = q - whole;
      const bin = f > NEAR && f < 1 - NEAR ? whole + 1 : Math.ceil(d / binSize) | 0;
      counts[bin >>> 0 > HISTOGRAM_BINS ? HISTOGRAM_BINS : bin]++;
    }
  }
}

/** binOf for d ≥ 0 in the histogram's span; any other d gets some bin in range (q | 0 wraps far out). */
function spanBin(d: number, binSize: number, inverse: number): number {
  const bin = binOf(d, binSize, inverse);
  return bin >>> 0 > HISTOGRAM_BINS ? HISTOGRAM_BINS : bin;
}

function maskedChunk(
  data: Float32Array,
  masked: Uint8Array,
  start: number,
  end: number,
  binning: Binning,
  counts: Int32Array,
): void {
  const { low, high, binSize, inverse } = binning;
  for (let i = start; i < end; i++) {
    if (masked[i] !== 0) continue;
    const v = data[i];
    if (v >= low) counts[v > high ? ABOVE : binOf(v - low, binSize, inverse)]++;
    else if (v < low) counts[0]++;
  }
}

/** Removes the flagged pixels of data[start…end) from plainChunk's counts; start is a multiple of 4. */
function uncountFlagged(
  data: Float32Array,
  masked: Uint8Array,
  words: Uint32Array,
  start: number,
  end: number,
  binning: Binning,
  counts: Int32Array,
): void {
  const { low, binSize, inverse } = binning;
  const fullWords = end >> 2;
  for (let w = start >> 2; w <= fullWords; w++) {
    if (w < fullWords && words[w] === 0) continue;
    for (let i = w << 2; i < Math.min((w + 1) << 2, end); i++) {
      if (masked[i] === 0) continue;
      const v = data[i];
      if (v >= low) counts[spanBin(v - low, binSize, inverse)]--;
    }
  }
}

function trackingChunk(
  data: Float32Array,
  masked: Uint8Array | undefined,
  start: number,
  end: number,
  binning: Binning,
  counts: Int32Array,
  inside: Float64Array,
): void {
  const { low, high, binSize, inverse } = binning;
  let inMin = inside[0];
  let inMax = inside[1];
  for (let i = start; i < end; i++) {
    const v = data[i];
    if (masked !== undefined && masked[i] !== 0) continue;
    if (v >= low) {
      if (v > high) counts[ABOVE]++;
      else {
        counts[binOf(v - low, binSize, inverse)]++;
        if (v > inMax) inMax = v;
        if (v < inMin) inMin = v;
      }
    } else if (v < low) counts[0]++;
  }
  inside[0] = inMin;
  inside[1] = inMax;
}
