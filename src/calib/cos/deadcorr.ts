/**
 * DEADCORR for COS TIME-TAG (calcos' deadtimeCorrection): the livetime factor from the DEADTAB (linear in
 * OBS_RATE → LIVETIME) for the count rate of each TIMESTEP-second interval of the event list divides the
 * events' EPSILON; when that rate and the detector's own counter (MEVENTS) disagree by more than 10 % and
 * the exposure has subarrays, the counter's one factor is used for every event instead.
 */
import type { CorrtagEvents } from "./events.js";

export interface DeadtabRow {
  OBS_RATE: number;
  LIVETIME: number;
}

export interface DeadtimeResult {
  /** DEADRT, DEADMT, LIVETM of the events header. */
  rate: number;
  method: "DATA" | "MEVENTS";
  averageLivetime: number;
}

const LIVETIME_CRITERION = 0.1;

/** calcos' determineLivetime: 1 below the first rate, the last factor above the last, linear between. */
export function livetimeAt(rate: number, rows: readonly DeadtabRow[]): number {
  const n = rows.length;
  if (rate <= 0) return 1;
  if (n === 1) return rows[0].LIVETIME;
  if (rate < rows[0].OBS_RATE) return 1;
  if (rate >= rows[n - 1].OBS_RATE) return rows[n - 1].LIVETIME;
  for (let i = 0; i < n - 1; i++) {
    if (rate < rows[i + 1].OBS_RATE) {
      const p = (rate - rows[i].OBS_RATE) / (rows[i + 1].OBS_RATE - rows[i].OBS_RATE);
      return rows[i].LIVETIME * (1 - p) + rows[i + 1].LIVETIME * p;
    }
  }
  return rows[n - 1].LIVETIME;
}

/**
 * ccos' search_d: the first index whose time is ≥ t (0 at or before the first, n at or after the last).
 * calcos passes t through a C float first, so t is rounded to single precision here too.
 */
export function searchTime(time: Float32Array, t: number): number {
  const tf = Math.fround(t);
  const n = time.length;
  if (tf <= time[0]) return 0;
  if (tf >= time[n - 1]) return n;
  let low = 0;
  let high = n - 1;
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if (tf <= time[mid]) high = mid;
    else low = mid;
  }
  return high;
}

const divide = (epsilon: Float32Array, from: number, to: number, by: number) => {
  const f = Math.fround(by);
  for (let k = from; k < to; k++) epsilon[k] = epsilon[k] / f;
};

export function deadtimeCorrection(
  events: CorrtagEvents,
  rows: readonly DeadtabRow[],
  timestep: number,
  counter: { rate: number; subarrays: boolean },
): DeadtimeResult {
  // calcos works on TIME as float64: the float32 values compare the same way without a copy
  const time = events.time;
  const n = time.length;
  const epsilon = events.epsilon;
  const span = time[n - 1] - time[0];
  const actualRate = span > 0 ? n / span : 0;
  const actualLivetime = livetimeAt(actualRate, rows);
  const counterLivetime = livetimeAt(counter.rate, rows);
  const disagree = Math.abs(counterLivetime - actualLivetime) > LIVETIME_CRITERION * actualLivetime;
  if (disagree && counter.subarrays) {
    divide(epsilon, 0, n, counterLivetime);
    return { rate: counter.rate, method: "MEVENTS", averageLivetime: counterLivetime };
  }
  const last = time[n - 1];
  let t0 = time[0];
  let lastLivetime = 1;
  let sum = 0;
  let weight = 0;
  let first = true;
  while (t0 < last) {
    const t1 = t0 + timestep;
    const i = searchTime(time, t0);
    const j = searchTime(time, t1);
    if (i < j) {
      let livetime: number;
      if (t1 < last) {
        livetime = livetimeAt((j - i) / timestep, rows);
        sum += livetime * (t1 - t0);
        weight += t1 - t0;
      } else {
        livetime = last - t0 < 0.5 * timestep && !first ? lastLivetime : livetimeAt((j - i) / (last - t0), rows);
        sum += livetime * (last - t0);
        weight += last - t0;
      }
      if (livetime > 0) {
        divide(epsilon, i, j, livetime);
        lastLivetime = livetime;
      }
      first = false;
    }
    t0 = t1;
  }
  return { rate: actualRate, method: "DATA", averageLivetime: weight > 0 ? sum / weight : 1 };
}
