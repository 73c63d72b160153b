/**
 * Up-the-ramp fitting of one pixel with iterative outlier rejection (calibration.md §5 CRCORR; hstcal
 * cridcalc.c fitsamps, RejSpikes, RejCRs, RejFirstRead). Samples run from the zeroth read (index 0,
 * never fitted) to the last; a cosmic ray (DATAREJECT) starts a new interval, a spike is left out, the
 * fourth cosmic ray marks the pixel HIGH_CURVATURE. The intervals' final slopes are combined with
 * inverse-variance weights. Algorithms follow hstcal (BSD-3-Clause, AURA).
 *
 * A million pixels go through here per exposure, so nothing is allocated per pixel: the intervals live
 * in module-level scratch arrays (one set per thread), grown to the longest ramp seen.
 */
import { WF3_DQ } from "./dq.js";
import { fitSamples, type LineFitResult } from "./ir-linfit.js";

const { DATAREJECT, SPIKE, HIGH_CURVATURE } = WF3_DQ;
export const MAX_CRS = 4;
const SPIKE_THRESHOLD = 6;

export interface PixelRamp {
  /** Counts, errors (counts), DQ and times per sample, zeroth read first; `dq` is updated. */
  sci: Float32Array;
  err: Float32Array;
  dq: Uint16Array;
  time: Float32Array;
  dark: Float32Array;
  n: number;
}

export interface RampResult {
  rate: number;
  err: number;
  samp: number;
  time: number;
}

/** Interval i holds the sample indices samples[starts[i]] … samples[starts[i+1] − 1]. */
let samples = new Int32Array(0);
let starts = new Int32Array(0);
let dqs = new Int32Array(0);
let diff = new Float64Array(0);
const fit: LineFitResult = { a: 0, b: 0, sigb: 0 };
/** Cosmic rays found so far in the pixel's current rejection. */
let crs = 0;

function reserve(n: number): void {
  if (samples.length >= n) return;
  samples = new Int32Array(n);
  starts = new Int32Array(n + 2);
  dqs = new Int32Array(n);
  diff = new Float64Array(n);
}

/**
 * Splits samples 1..n-1 at cosmic rays into `starts`/`samples`; returns the number of intervals, or −1
 * when no sample is usable. The first pass keeps only clean samples, the second relaxed one ignores DQ
 * bits outside `ignore`.
 */
function splitIntervals(p: PixelRamp, relaxed: boolean, ignore: number): number {
  let m = 0;
  let count = 1;
  starts[0] = 0;
  for (let k = 1; k < p.n; k++) {
    const dq = p.dq[k];
    const accept = relaxed ? (dq & (ignore | DATAREJECT)) === 0 : dq === 0;
    const cr = relaxed ? (dq & DATAREJECT) !== 0 : dq === DATAREJECT;
    if (accept) samples[m++] = k;
    else if (cr) {
      starts[count++] = m;
      samples[m++] = k;
    }
  }
  starts[count] = m;
  if (starts[count - 1] === m) return -1;
  // A final interval that is only the cosmic-ray sample is dropped.
  if (p.dq[samples[m - 1]] === DATAREJECT) count--;
  return count;
}

function spikeIn(n: number, ignore: number): number {
  const bad = ignore | DATAREJECT | SPIKE;
  let maxDiff = 0;
  let at = -1;
  for (let k = 2; k < n; k++) {
    // hstcal reads one sample past the interval here; it is taken as clean.
    const after = k + 1 < n ? dqs[k + 1] : 0;
    if ((dqs[k - 1] & bad) !== 0 || (dqs[k] & bad) !== 0 || (after & bad) !== 0) continue;
    if (
      diff[k - 1] - diff[k - 2] > SPIKE_THRESHOLD &&
      diff[k - 1] - diff[k] > SPIKE_THRESHOLD &&
      diff[k - 2] < 0 &&
      diff[k] < 0 &&
      Math.abs(diff[k - 1]) > maxDiff
    ) {
      maxDiff = diff[k - 1];
      at = k - 1;
    }
  }
  return at;
}

function cosmicRayIn(n: number, thresh: number, ignore: number): number {
  const bad = ignore | DATAREJECT;
  let prev = 0;
  let maxDiff = 0;
  let at = -1;
  for (let k = 1; k < n; k++) {
    if ((dqs[k - 1] & bad) === 0) prev = diff[k - 1];
    if ((dqs[k] & bad) !== 0) continue;
    const jump = Math.abs(diff[k] - prev);
    if (jump > thresh) {
      if (jump > maxDiff) {
        maxDiff = jump;
        at = k;
      }
      prev = diff[k];
    }
  }
  return at;
}

function firstReadSpike(thresh: number, ignore: number): boolean {
  const bad = ignore | DATAREJECT | SPIKE;
  return (dqs[0] & bad) === 0 && (dqs[1] & bad) === 0 && Math.abs(diff[0] - diff[1]) > thresh;
}

const NONE = 0;
const NEW = 1;
const CURVED = 2;

/** One rejection pass over the intervals: NONE, NEW (something flagged) or CURVED. */
function rejectOnce(
  p: PixelRamp,
  count: number,
  gain: number,
  thresh: number,
  ignore: number,
  relaxed: boolean,
): number {
  for (let i = 0; i < count; i++) {
    const from = starts[i];
    const n = starts[i + 1] - from;
    if (n < 2) continue;
    fitSamples(p.time, p.sci, p.err, p.dark, samples, from, n, gain, false, fit);
    for (let k = 0; k < n; k++) {
      const s = samples[from + k];
      const dq = p.dq[s];
      dqs[k] = dq;
      const usable = relaxed ? (dq & ignore) === 0 : dq === 0;
      diff[k] = p.err[s] !== 0 && usable ? Math.fround((p.sci[s] - (fit.a + fit.b * p.time[s])) / p.err[s]) : 0;
    }
    const spike = spikeIn(n, ignore);
    if (spike >= 0) {
      p.dq[samples[from + spike]] |= SPIKE;
      return NEW;
    }
    const cr = cosmicRayIn(n, thresh, ignore);
    if (cr >= 0) {
      crs++;
      if (crs >= MAX_CRS) {
        p.dq[samples[from + cr]] |= HIGH_CURVATURE;
        return CURVED;
      }
      p.dq[samples[from + cr]] |= DATAREJECT;
      return NEW;
    }
    if (firstReadSpike(thresh, ignore)) {
      p.dq[samples[from]] |= SPIKE;
      return NEW;
    }
  }
  return NONE;
}

/** Rejection passes until nothing new is found: the interval count, −1 when no sample is usable, −2 when curved. */
function rejectAll(p: PixelRamp, gain: number, thresh: number, ignore: number, relaxed: boolean): number {
  crs = 0;
  for (;;) {
    const count = splitIntervals(p, relaxed, ignore);
    if (count < 0) return -1;
    const outcome = rejectOnce(p, count, gain, thresh, ignore, relaxed);
    if (outcome === NONE) return count;
    if (outcome === CURVED) return -2;
  }
}

function result(out: RampResult, rate: number, err: number, samp: number, time: number): RampResult {
  out.rate = rate;
  out.err = err;
  out.samp = samp;
  out.time = time;
  return out;
}

function lastGoodFallback(p: PixelRamp, ignore: number, out: RampResult): RampResult {
  let first = 0;
  let last = 0;
  let good = 0;
  for (let k = 1; k < p.n; k++) {
    if ((p.dq[k] & ignore) === 0) {
      first = last = k;
      good++;
      break;
    }
  }
  for (let k = first; k < p.n; k++) {
    if (p.dq[k] === 0) {
      last = k;
      good++;
    }
  }
  if (last === first) return result(out, 0, 0, 0, 0);
  const dt = p.time[last] - p.time[first];
  return result(out, (p.sci[last] - p.sci[first]) / dt, (p.err[last] - p.err[first]) / dt, good, dt);
}

/** Fits one pixel's ramp (counts in, count rate out); flags are added to `p.dq`. */
export function fitRamp(p: PixelRamp, gain: number, thresh: number, ignore: number): RampResult {
  return fitRampInto(p, gain, thresh, ignore, { rate: 0, err: 0, samp: 0, time: 0 });
}

/** fitRamp writing into `out` (a record reused from pixel to pixel). */
export function fitRampInto(p: PixelRamp, gain: number, thresh: number, ignore: number, out: RampResult): RampResult {
  reserve(p.n);
  let count = rejectAll(p, gain, thresh, ignore, false);
  if (count === -1) count = rejectAll(p, gain, thresh, ignore, true);
  if (count === -1) return result(out, 0, 1e5, 0, 0);
  if (count === -2) return lastGoodFallback(p, ignore, out);
  let time = 0;
  let sumWeights = 0;
  let sum = 0;
  let samp = 0;
  for (let i = 0; i < count; i++) {
    const from = starts[i];
    const n = starts[i + 1] - from;
    samp += i === 0 ? n + 1 : n - 1;
    if (n > 1) {
      const s0 = samples[from];
      if (i === 0) time += p.time[s0] - p.time[s0 - 1];
      fitSamples(p.time, p.sci, p.err, p.dark, samples, from, n, gain, true, fit);
      time += p.time[samples[from + n - 1]] - p.time[s0];
    } else if (n === 1 && (p.dq[samples[from]] & DATAREJECT) === 0) {
      const s = samples[from];
      if (p.time[s] === 0) {
        fit.b = 0;
        fit.sigb = 0;
      } else {
        fit.b = p.sci[s] / p.time[s];
        fit.sigb = p.err[s] / p.time[s];
      }
      time += p.time[s] - p.time[s - 1];
    } else continue;
    const variance = Math.fround(fit.sigb * fit.sigb);
    if (variance === 0) continue;
    sumWeights = Math.fround(sumWeights + 1 / variance);
    sum = Math.fround(sum + fit.b / variance);
  }
  if (!(sumWeights > 0)) return lastGoodFallback(p, ignore, out);
  return result(out, Math.fround(sum / sumWeights), Math.fround(Math.sqrt(1 / sumWeights)), samp, Math.fround(time));
}
