/**
 * calstis4's cosmic-ray flagging of a rectified CCD wavecal before its shifts are measured: each column (first
 * order: dispersion along x) is split into pixels through the slit and pixels masked by the slit ends or bars
 * (DQ 8); each part's mean and standard deviation leave out values beyond MAD_REJ median absolute deviations
 * (at least MIN_MAD); a value NSIG_CR sigmas above its part's mean is flagged DATAREJECT, a masked one only if it
 * is also NSIG_ILL sigmas from the illuminated mean. The image's DQ is changed in place (in memory only: calstis4
 * does not write it). As in hstcal's cs4 FlagCR, FlagLine and CleanMean (BSD-3-Clause, AURA).
 */
import { medianOfFloats } from "./median-float.js";

const DATAMASKED = 8;
const DATAREJECT = 8192;
const f = Math.fround;

export interface FlagCrParameters {
  /** WCPTAB NSIG_CR, NSIG_ILL, MAD_REJ, MIN_MAD. */
  nsigmaCr: number;
  nsigmaIllum: number;
  madReject: number;
  minMad: number;
  sdqflags: number;
}

/** Mean and standard deviation without outliers (CleanMean); n is how many values were kept. */
function cleanMean(values: Float32Array, p: FlagCrParameters) {
  const n = values.length;
  if (n === 0) return { n, mean: 0, stddev: 0 };
  if (n === 1) return { n, mean: values[0], stddev: 0 };
  if (n === 2) return { n, mean: Math.min(values[0], values[1]), stddev: Math.abs(f(values[0] - values[1])) };
  // MedianFloat sorts in place: the sums below run over the sorted values, and its median is read from them
  values.sort();
  const half = n >> 1;
  const median = n % 2 === 1 ? values[half] : f(f(values[half - 1] + values[half]) / 2);
  const absdiff = values.map((v) => Math.abs(f(v - median)));
  let mad = f(medianOfFloats(absdiff));
  mad = Math.max(mad, p.minMad);
  let sum = 0;
  let sumsq = 0;
  let kept = 0;
  for (const v of values) {
    if (Math.abs(f(v - median)) < p.madReject * mad) {
      sum += v;
      sumsq += v * v;
      kept++;
    }
  }
  if (kept < 1) return { n: kept, mean: 0, stddev: 0 };
  if (kept === 1) return { n: kept, mean: sum, stddev: 0 };
  const mean = sum / kept;
  return { n: kept, mean, stddev: Math.sqrt((kept / (kept - 1)) * (sumsq / kept - mean * mean)) };
}

/** Flags one column's cosmic rays in `dq`; returns how many (FlagLine). `illum`, `masked`: scratch of its length. */
function flagLine(
  sci: Float32Array,
  dq: Int32Array,
  p: FlagCrParameters,
  illum: Float32Array,
  masked: Float32Array,
): number {
  const serious = p.sdqflags & ~DATAMASKED;
  let nIllum = 0;
  let nMasked = 0;
  for (let i = 0; i < sci.length; i++) {
    if (dq[i] & serious) continue;
    if (dq[i] & DATAMASKED) masked[nMasked++] = sci[i];
    else illum[nIllum++] = sci[i];
  }
  const il = cleanMean(illum.subarray(0, nIllum), p);
  const ma = cleanMean(masked.subarray(0, nMasked), p);
  if (il.n === 0 && ma.n === 0) return 0;
  if (il.n === 0) il.stddev = ma.stddev;
  else if (ma.n === 0) ma.stddev = il.stddev;
  let found = 0;
  for (let i = 0; i < sci.length; i++) {
    if (dq[i] & DATAMASKED) {
      if (sci[i] > ma.mean + p.nsigmaCr * ma.stddev && Math.abs(sci[i] - il.mean) > p.nsigmaIllum * il.stddev) {
        dq[i] |= DATAREJECT;
        found++;
      }
    } else if (!(dq[i] & p.sdqflags) && sci[i] > il.mean + p.nsigmaCr * il.stddev) {
      dq[i] |= DATAREJECT;
      found++;
    }
  }
  return found;
}

/** Flags cosmic rays column by column (dispersion along x); returns how many were flagged. */
export function flagWavecalCosmicRays(
  image: { nx: number; ny: number; sci: ArrayLike<number>; dq: { [i: number]: number; length: number } },
  p: FlagCrParameters,
): number {
  if (!(p.sdqflags & DATAREJECT)) return 0;
  const { nx, ny } = image;
  const sci = new Float32Array(ny);
  const dq = new Int32Array(ny);
  const illum = new Float32Array(ny);
  const masked = new Float32Array(ny);
  let total = 0;
  for (let i = 0; i < nx; i++) {
    for (let j = 0; j < ny; j++) {
      sci[j] = image.sci[j * nx + i];
      dq[j] = image.dq[j * nx + i];
    }
    const found = flagLine(sci, dq, p, illum, masked);
    if (found > 0) for (let j = 0; j < ny; j++) image.dq[j * nx + i] = dq[j];
    total += found;
  }
  return total;
}
