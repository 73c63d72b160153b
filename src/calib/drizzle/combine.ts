/**
 * AstroDrizzle's median step for the numcombine types (createMedian.py + stsci.image's numcombine/_combine.c):
 * per output pixel, the unmasked values of the single-drizzled images sorted, nlow/nhigh dropped, then their median,
 * mean or minimum. The masks come from the single-drizzled weights (combine_maskpt) and the lthresh/hthresh limits.
 */
import { CalibrationError } from "../common/errors.js";

export type NumCombineType = "median" | "imedian" | "mean" | "iaverage" | "minimum";

export interface NumCombineOptions {
  type?: NumCombineType;
  nlow?: number;
  nhigh?: number;
  /** Values >= upper are dropped (hthresh). */
  upper?: number;
  /** Values < lower are dropped (lthresh). */
  lower?: number;
}

/**
 * The bad-pixel masks createMedian builds from the single-drizzled weights: 1 where a weight is below `maskpt` times
 * the mean of that image's weights above 1e-8 (imagestats with lower=1e-8, nclip=0).
 */
export function weightMasks(weights: Float32Array[], maskpt: number): Uint8Array[] {
  const lower = Math.fround(1e-8);
  return weights.map((w) => {
    let sum = 0;
    let n = 0;
    for (const v of w) {
      if (v >= lower) {
        sum += v;
        n++;
      }
    }
    // imagestats returns a float32 mean (0 when no weight is positive); the limit is then a python float
    const limit = (n > 0 ? Math.fround(sum / n) : 0) * maskpt;
    const mask = new Uint8Array(w.length);
    for (let k = 0; k < w.length; k++) mask[k] = w[k] < limit ? 1 : 0;
    return mask;
  });
}

type Combiner = (sorted: Float64Array, good: number, nlow: number, nhigh: number, ninputs: number) => number;

const median: Combiner = (sorted, good, nlow, nhigh, ninputs) => {
  if (good - nlow - nhigh <= 0 && good > 0) {
    // nlow/nhigh would drop every good value: reduce both until some are left (as _inner_median)
    while (nhigh + nlow >= good) {
      if (nhigh > 0) nhigh--;
      if (nlow > 0) nlow--;
    }
  }
  const count = good - nlow - nhigh;
  if (count <= 0) return sorted[ninputs - 1];
  const mid = Math.floor(count / 2);
  return count % 2 ? sorted[mid + nlow] : (sorted[mid + nlow] + sorted[mid + nlow - 1]) / 2;
};

const average: Combiner = (sorted, good, nlow, nhigh, ninputs) => {
  const count = good - nlow - nhigh;
  if (count <= 0) return sorted[ninputs - 1];
  let sum = 0;
  for (let i = nlow; i < count + nlow; i++) sum += sorted[i];
  return sum / count;
};

const minimum: Combiner = (sorted, good, nlow, nhigh) => (good - nlow - nhigh <= 0 ? 0 : sorted[nlow]);

const COMBINERS: Record<NumCombineType, Combiner> = {
  median,
  imedian: median,
  mean: average,
  iaverage: average,
  minimum,
};

/**
 * Combines equal-sized images pixel by pixel as numcombine.num_combine does. Its C quirks are kept because the
 * archive's medians come from it: a pixel with every value masked gets 0, except that the "i" types fill the first
 * pixel of each row (and only that one: _combine.c turns the fill flag off after column 0) with the first non-zero
 * input value.
 */
export function numCombine(
  images: Float32Array[],
  width: number,
  masks: Uint8Array[] | undefined,
  options: NumCombineOptions = {},
): Float32Array {
  const { type = "median", nlow = 0, nhigh = 0, upper, lower } = options;
  const n = images.length;
  if (n === 0) throw new CalibrationError("INVALID_VALUE", "median: no images to combine", { step: "MEDIAN" });
  if (n - nlow - nhigh < 1) {
    throw new CalibrationError("INVALID_VALUE", `median: nlow=${nlow} and nhigh=${nhigh} reject all ${n} images`, {
      step: "MEDIAN",
    });
  }
  const size = images[0].length;
  for (const a of [...images, ...(masks ?? [])]) {
    if (a.length !== size) {
      throw new CalibrationError("SIZE_MISMATCH", `median: images of ${size} and ${a.length} pixels`, {
        step: "MEDIAN",
      });
    }
  }
  const combine = COMBINERS[type];
  const fill = type.startsWith("i");
  const thresholds = upper !== undefined || lower !== undefined;
  const useMasks = masks !== undefined || thresholds;
  const sorted = new Float64Array(n);
  const out = new Float32Array(size);
  for (let start = 0; start < size; start += width) {
    for (let k = start; k < start + width; k++) {
      let good = 0;
      for (let i = 0; i < n; i++) {
        const v = images[i][k];
        if (useMasks && (masks?.[i][k] || (thresholds && isOutside(v, lower, upper)))) continue;
        sorted[good++] = v;
      }
      if (good === 0 && fill && k === start) {
        for (let i = 0; i < n; i++) {
          if (images[i][k] !== 0) {
            sorted[good++] = images[i][k];
            break;
          }
        }
      }
      insertionSort(sorted, good);
      out[k] = combine(sorted, good, nlow, nhigh, n);
      sorted.fill(0);
    }
  }
  return out;
}

function isOutside(v: number, lower: number | undefined, upper: number | undefined): boolean {
  return (lower !== undefined && v < lower) || (upper !== undefined && v >= upper);
}

function insertionSort(a: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}
