/**
 * The flashes' shifts applied to the events (calcos' NUVConcurrentWavecal applyCorrections, avgShift,
 * setShiftKeywords, shift1VsTime): between the middles of consecutive flashes each shift is interpolated in
 * time (extrapolated with the first slope before the first flash, constant after the last); YFULL = RAWY −
 * SHIFT2(t) for every event, XFULL = XDOPP − SHIFT1(t) for the events in each stripe's regions (its PSA and WCA
 * rows, split at the midpoints of the XTRACTAB's B_SPEC at the middle column, by RAWY).
 */
import { roundHalfEven } from "./dqicorr.js";
import type { CorrtagEvents } from "./events.js";
import { timeRange } from "./flash-times.js";
import { timelineTimes } from "./timeline.js";

const f = Math.fround;

/** [lower, upper) rows, an open end as undefined. */
export type Region = [number | undefined, number | undefined];

export interface FlashShifts {
  median: number[];
  /** Per flash: stripe → SHIFT_DISP (FP_PIXEL_SHIFT included). */
  shift1: Map<string, number>[];
  shift2: number[];
}

/** calcos' setRegions: the PSA and WCA rows of each stripe, between the midpoints of the sorted locations. */
export function stripeRegions(locations: readonly { stripe: string; row: number }[]): Map<string, Region[]> {
  const sorted = [...locations].sort((a, b) => a.row - b.row);
  const regions = new Map<string, Region[]>();
  let first: number | undefined;
  sorted.forEach((l, i) => {
    const last = i === sorted.length - 1 ? undefined : roundHalfEven((l.row + sorted[i + 1].row) / 2);
    regions.set(l.stripe, [...(regions.get(l.stripe) ?? []), [first, last]]);
    first = last;
  });
  return regions;
}

const inRegion = (eta: number, [lo, hi]: Region) => (lo === undefined || eta >= lo) && (hi === undefined || eta < hi);

/** XFULL and YFULL from XDOPP and RAWY, the shifts interpolated between the flashes. */
export function applyFlashShifts(events: CorrtagEvents, s: FlashShifts, regions: Map<string, Region[]>): void {
  const { time, rawy, xdopp, xfull, yfull } = events;
  const n = time.length;
  xfull.set(xdopp);
  for (let k = 0; k < n; k++) yfull[k] = rawy[k];
  const stripes = [...regions.keys()];
  // the stripe whose regions hold each RAWY (they do not overlap), −1 for none
  const owner = new Int8Array(1 << 16).fill(-1);
  const base = 1 << 15;
  stripes.forEach((stripe, i) => {
    for (const [lo, hi] of regions.get(stripe) ?? [])
      owner.fill(i, base + Math.max(lo ?? -base, -base), base + Math.min(hi ?? base, base));
  });
  flashSpans(time, s.median).forEach(({ i0, i1, t0, last, slope }, m) => {
    const slope2 = slope(s.shift2[m], last ? 0 : s.shift2[m + 1]);
    for (let k = i0; k < i1; k++) yfull[k] = lessShift(yfull[k], s.shift2[m], slope2, time[k] - t0, last);
    const zero = stripes.map((stripe) => s.shift1[m].get(stripe) ?? 0);
    const slope1 = stripes.map((stripe, i) => slope(zero[i], last ? 0 : (s.shift1[m + 1].get(stripe) ?? 0)));
    for (let k = i0; k < i1; k++) {
      const i = owner[rawy[k] + base];
      if (i < 0) continue;
      xfull[k] = lessShift(xfull[k], zero[i], slope1[i], time[k] - t0, last);
    }
  });
}

/**
 * The events from one flash's middle to the next's (the first span from the exposure's start, the last to its
 * end), with the slope between two flashes' shifts (0 for the last span: the shift stays constant after it).
 */
export function flashSpans(time: Float32Array, median: readonly number[]) {
  const n = time.length;
  return median.map((t0, m) => {
    const last = m === median.length - 1;
    const [i0, i1] = timeRange(time, m === 0 ? time[0] : t0, last ? time[n - 1] : median[m + 1]);
    const t1 = last ? t0 : median[m + 1];
    const slope = (a: number, b: number) => (last || t1 <= t0 ? 0 : (b - a) / (t1 - t0));
    return { i0, i1: last ? n : i1, t0, last, slope };
  });
}

/**
 * A coordinate less the shift `dt` seconds into a span: after the last flash a constant subtracted in single
 * precision (numpy with a Python float), else the ramp in double.
 */
export const lessShift = (value: number, shift: number, slope: number, dt: number, last: boolean) =>
  last ? f(value - f(shift)) : f(value - (dt * slope + shift));

/** The time-weighted mean of a shift over the exposure (calcos' avgShift, trapezoids between the flashes). */
export function averageShift(time: Float32Array, median: readonly number[], shift: readonly number[]): number {
  const n = time.length;
  const range = time[n - 1] - time[0] > 0 ? time[n - 1] - time[0] : 1;
  let [tPrev, sPrev, sum] = [time[0], shift[0], 0];
  for (let m = 0; m < median.length; m++) {
    sum += ((median[m] - tPrev) * (shift[m] + sPrev)) / 2;
    [tPrev, sPrev] = [median[m], shift[m]];
  }
  if (time[n - 1] > tPrev) sum += (time[n - 1] - tPrev) * sPrev;
  return sum / range;
}

/** DPIXEL1: the mean of XFULL − round(XFULL) over the events of the stripe's first region. */
export function meanFraction(events: CorrtagEvents, region: Region): number {
  let [sum, count] = [0, 0];
  for (let k = 0; k < events.xfull.length; k++) {
    if (!inRegion(events.rawy[k], region)) continue;
    const x = events.xfull[k];
    sum += f(x - roundHalfEven(x));
    count++;
  }
  return count > 0 ? sum / count : 0;
}

/** SHIFT1 of one stripe at each second of the TIMELINE (calcos' shift1VsTime), float32. */
export function shift1VsTime(time: Float32Array, median: readonly number[], shift: readonly number[]): Float32Array {
  const first = time[0];
  const times = timelineTimes(first, time[time.length - 1]);
  const out = new Float32Array(times.length);
  const numflash = median.length;
  for (let m = 0; m < numflash; m++) {
    const t0 = median[m];
    let i0 = Math.max(roundHalfEven(t0 - first), 0);
    if (numflash === 1) out.fill(f(shift[m]));
    else if (m === numflash - 1) out.fill(f(shift[m]), i0);
    else {
      if (m === 0) i0 = 0;
      const t1 = median[m + 1];
      const slope = t1 <= t0 ? 0 : (shift[m + 1] - shift[m]) / (t1 - t0);
      const i1 = Math.min(roundHalfEven(t1 - first), times.length - 1);
      // numpy evaluates this on the float32 times in single precision
      for (let i = i0; i < i1; i++) out[i] = f(f(f(times[i] - f(t0)) * f(slope)) + f(shift[m]));
    }
  }
  return out;
}
