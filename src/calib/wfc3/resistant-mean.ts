/**
 * Resistant mean of reference pixels (calibration.md §5 BLEVCORR; hstcal resistmean.c, after IDL's
 * resistant_mean): reject by the median absolute deviation, then once more by the corrected sigma of the
 * survivors. Every intermediate is a float as in hstcal, and the sigma is its one-pass
 * n/(n−1)·(Σx²/n − mean²) with x² and the mean rounded to float: on ~11,000 DN reference pixels that
 * rounding moves the variance by several DN², which decides which pixels survive. Kept for parity.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */

const f = Math.fround;

function medianOfFloats(values: Float32Array): number {
  const n = values.length;
  if (n === 0) return 0;
  if (n === 1) return values[0];
  const sorted = Float32Array.from(values).sort();
  const half = n >> 1;
  return n % 2 === 0 ? f(0.5 * f(sorted[half - 1] + sorted[half])) : sorted[half];
}

/** The float mean of floats summed in double (hstcal findMean). */
function meanOf(values: Float32Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return f(sum / values.length);
}

/** hstcal findSigma: one pass, squares in float, the float mean; a negative variance gives 0. */
function sigmaOf(values: Float32Array, mean: number): number {
  const n = values.length;
  if (n <= 1) return 0;
  let sum2 = 0;
  for (const v of values) sum2 += f(v * v);
  const variance = (n / (n - 1)) * (sum2 / n - mean * mean);
  return variance >= 0 ? f(Math.sqrt(f(variance))) : 0;
}

/** The sigma of a clipped normal sample scaled back to the full distribution (valid for sigrej ≤ 4.5). */
function compensate(sigma: number, sigrej: number): number {
  if (sigrej > 4.5) return sigma;
  const s = sigrej;
  return f(sigma / (-0.15405 + 0.90723 * s - 0.23584 * s * s + 0.020142 * s * s * s));
}

function absoluteDeviations(values: Float32Array, center: number): Float32Array {
  const dev = new Float32Array(values.length);
  for (let k = 0; k < values.length; k++) dev[k] = Math.abs(f(values[k] - center));
  return dev;
}

/** The values whose absolute deviation is at most the cutoff (hstcal wheregood rejects `> cutoff`). */
function keepWithin(values: Float32Array, dev: Float32Array, cutoff: number): Float32Array {
  return values.filter((_, k) => !(dev[k] > cutoff));
}

export interface ResistantMean {
  mean: number;
  sigma: number;
  used: number;
}

export function resistantMean(input: Float32Array, sigrej = 3): ResistantMean {
  if (input.length === 0) return { mean: 0, sigma: 0, used: 0 };
  const rej = f(sigrej);
  const dev = absoluteDeviations(input, medianOfFloats(input));
  let mad = f(medianOfFloats(dev) / 0.6745);
  if (mad < 1e-24) mad = f(meanOf(dev) / 0.8);
  const first = keepWithin(input, dev, f(rej * mad));
  const sigma = compensate(sigmaOf(first, meanOf(first)), sigrej);
  let second = keepWithin(first, absoluteDeviations(first, medianOfFloats(first)), f(rej * sigma));
  // hstcal's mean of nothing is NaN (a zero sigma keeps only values equal to the median); the first round's survivors instead.
  if (second.length === 0) second = first;
  const mean = meanOf(second);
  return { mean, sigma: compensate(sigmaOf(second, mean), sigrej), used: second.length };
}
