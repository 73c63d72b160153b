/**
 * Resistant mean of reference pixels (calibration.md §5 BLEVCORR; hstcal resistmean.c, after IDL's
 * resistant_mean): reject by the median absolute deviation, then once more by the corrected sigma of the
 * survivors. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */

function medianOfFloats(values: Float32Array): number {
  const n = values.length;
  if (n === 0) return 0;
  const sorted = Float32Array.from(values).sort();
  const half = n >> 1;
  return n % 2 === 0 ? Math.fround((sorted[half - 1] + sorted[half]) / 2) : sorted[half];
}

function meanOf(values: Float32Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length ? sum / values.length : 0;
}

function sigmaOf(values: Float32Array, mean: number): number {
  let sum = 0;
  for (const v of values) sum += (v - mean) * (v - mean);
  return values.length > 1 ? Math.sqrt(sum / (values.length - 1)) : 0;
}

/** The sigma of a clipped normal sample scaled back to the full distribution (valid for sigrej ≤ 4.5). */
function compensate(sigma: number, sigrej: number): number {
  if (sigrej > 4.5) return sigma;
  const s = sigrej;
  return sigma / (-0.15405 + 0.90723 * s - 0.23584 * s * s + 0.020142 * s * s * s);
}

function keepWithin(values: Float32Array, center: number, cutoff: number): Float32Array {
  return values.filter((v) => Math.abs(v - center) <= cutoff);
}

function madSigma(values: Float32Array, median: number): number {
  const dev = values.map((v) => Math.abs(v - median));
  const mad = medianOfFloats(dev) / 0.6745;
  return mad < 1e-24 ? meanOf(dev) / 0.8 : mad;
}

export interface ResistantMean {
  mean: number;
  sigma: number;
  used: number;
}

export function resistantMean(input: Float32Array, sigrej = 3): ResistantMean {
  if (input.length === 0) return { mean: 0, sigma: 0, used: 0 };
  const median = medianOfFloats(input);
  const first = keepWithin(input, median, sigrej * madSigma(input, median));
  let mean = meanOf(first);
  const sigma = compensate(sigmaOf(first, mean), sigrej);
  const median2 = medianOfFloats(first);
  const second = keepWithin(first, median2, sigrej * sigma);
  mean = meanOf(second);
  return { mean: Math.fround(mean), sigma: compensate(sigmaOf(second, mean), sigrej), used: second.length };
}
