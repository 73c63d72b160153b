/**
 * Up-the-ramp fitting of one pixel with iterative outlier rejection (calibration.md §5 CRCORR; hstcal
 * cridcalc.c fitsamps, RejSpikes, RejCRs, RejFirstRead). Samples run from the zeroth read (index 0,
 * never fitted) to the last; a cosmic ray (DATAREJECT) starts a new interval, a spike is left out, the
 * fourth cosmic ray marks the pixel HIGH_CURVATURE. The intervals' final slopes are combined with
 * inverse-variance weights. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { WF3_DQ } from "./dq.js";
import { fitInterval, type LineFitResult } from "./ir-linfit.js";

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

interface Intervals {
  /** Sample indices per interval. */
  list: number[][];
  empty: boolean;
}

/** Splits samples 1..n-1 at cosmic rays; the first pass keeps only clean samples, the second relaxed one ignores DQ bits outside `ignore`. */
function intervalsOf(p: PixelRamp, relaxed: boolean, ignore: number): Intervals {
  const list: number[][] = [[]];
  for (let k = 1; k < p.n; k++) {
    const dq = p.dq[k];
    const accept = relaxed ? (dq & (ignore | DATAREJECT)) === 0 : dq === 0;
    const cr = relaxed ? (dq & DATAREJECT) !== 0 : dq === DATAREJECT;
    if (accept) list[list.length - 1].push(k);
    else if (cr) list.push([k]);
  }
  const lastInterval = list[list.length - 1];
  if (lastInterval.length === 0) return { list, empty: true };
  if (p.dq[lastInterval[lastInterval.length - 1]] === DATAREJECT) list.pop();
  return { list, empty: false };
}

function spikeIn(dq: number[], diff: Float64Array, n: number, ignore: number): number {
  const bad = ignore | DATAREJECT | SPIKE;
  let maxDiff = 0;
  let at = -1;
  for (let k = 2; k < n; k++) {
    // hstcal reads one sample past the interval here; it is taken as clean.
    const after = k + 1 < n ? dq[k + 1] : 0;
    if ((dq[k - 1] & bad) !== 0 || (dq[k] & bad) !== 0 || (after & bad) !== 0) continue;
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

function cosmicRayIn(dq: number[], diff: Float64Array, n: number, thresh: number, ignore: number): number {
  const bad = ignore | DATAREJECT;
  let prev = 0;
  let maxDiff = 0;
  let at = -1;
  for (let k = 1; k < n; k++) {
    if ((dq[k - 1] & bad) === 0) prev = diff[k - 1];
    if ((dq[k] & bad) !== 0) continue;
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

function firstReadSpike(dq: number[], diff: Float64Array, thresh: number, ignore: number): boolean {
  const bad = ignore | DATAREJECT | SPIKE;
  return (dq[0] & bad) === 0 && (dq[1] & bad) === 0 && Math.abs(diff[0] - diff[1]) > thresh;
}

/** One rejection pass over the intervals: returns whether something new was flagged, or "curved". */
function rejectOnce(
  p: PixelRamp,
  intervals: number[][],
  gain: number,
  thresh: number,
  ignore: number,
  relaxed: boolean,
  crs: { count: number },
): "none" | "new" | "curved" {
  for (const index of intervals) {
    if (index.length < 2) continue;
    const fit = fitInterval(p.time, p.sci, p.err, p.dark, index, gain, false);
    const n = index.length;
    const dq = index.map((s) => p.dq[s]);
    const diff = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const s = index[k];
      const usable = relaxed ? (dq[k] & ignore) === 0 : dq[k] === 0;
      diff[k] = p.err[s] !== 0 && usable ? Math.fround((p.sci[s] - (fit.a + fit.b * p.time[s])) / p.err[s]) : 0;
    }
    const spike = spikeIn(dq, diff, n, ignore);
    if (spike >= 0) {
      p.dq[index[spike]] |= SPIKE;
      return "new";
    }
    const cr = cosmicRayIn(dq, diff, n, thresh, ignore);
    if (cr >= 0) {
      crs.count++;
      if (crs.count >= MAX_CRS) {
        p.dq[index[cr]] |= HIGH_CURVATURE;
        return "curved";
      }
      p.dq[index[cr]] |= DATAREJECT;
      return "new";
    }
    if (firstReadSpike(dq, diff, thresh, ignore)) {
      p.dq[index[0]] |= SPIKE;
      return "new";
    }
  }
  return "none";
}

/** Rejection passes until nothing new is found; undefined when no sample is usable. */
function rejectAll(
  p: PixelRamp,
  gain: number,
  thresh: number,
  ignore: number,
  relaxed: boolean,
): { intervals: number[][]; curved: boolean } | undefined {
  const crs = { count: 0 };
  for (;;) {
    const { list, empty } = intervalsOf(p, relaxed, ignore);
    if (empty) return undefined;
    const outcome = rejectOnce(p, list, gain, thresh, ignore, relaxed, crs);
    if (outcome === "none") return { intervals: list, curved: false };
    if (outcome === "curved") return { intervals: list, curved: true };
  }
}

function lastGoodFallback(p: PixelRamp, ignore: number): RampResult {
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
  if (last === first) return { rate: 0, err: 0, samp: 0, time: 0 };
  const dt = p.time[last] - p.time[first];
  return { rate: (p.sci[last] - p.sci[first]) / dt, err: (p.err[last] - p.err[first]) / dt, samp: good, time: dt };
}

/** Fits one pixel's ramp (counts in, count rate out); flags are added to `p.dq`. */
export function fitRamp(p: PixelRamp, gain: number, thresh: number, ignore: number): RampResult {
  const done = rejectAll(p, gain, thresh, ignore, false) ?? rejectAll(p, gain, thresh, ignore, true);
  if (!done) return { rate: 0, err: 1e5, samp: 0, time: 0 };
  if (done.curved) return lastGoodFallback(p, ignore);
  let time = 0;
  let sumWeights = 0;
  let sum = 0;
  let samp = 0;
  done.intervals.forEach((index, idx) => {
    samp += idx === 0 ? index.length + 1 : index.length - 1;
    let fit: LineFitResult;
    if (index.length > 1) {
      if (idx === 0) time += p.time[index[0]] - p.time[index[0] - 1];
      fit = fitInterval(p.time, p.sci, p.err, p.dark, index, gain, true);
      time += p.time[index[index.length - 1]] - p.time[index[0]];
    } else if (index.length === 1 && (p.dq[index[0]] & DATAREJECT) === 0) {
      const s = index[0];
      fit = p.time[s] === 0 ? { a: 0, b: 0, sigb: 0 } : { a: 0, b: p.sci[s] / p.time[s], sigb: p.err[s] / p.time[s] };
      time += p.time[s] - p.time[s - 1];
    } else return;
    const variance = Math.fround(fit.sigb * fit.sigb);
    if (variance === 0) return;
    sumWeights = Math.fround(sumWeights + 1 / variance);
    sum = Math.fround(sum + fit.b / variance);
  });
  if (!(sumWeights > 0)) return lastGoodFallback(p, ignore);
  return {
    rate: Math.fround(sum / sumWeights),
    err: Math.fround(Math.sqrt(1 / sumWeights)),
    samp,
    time: Math.fround(time),
  };
}
