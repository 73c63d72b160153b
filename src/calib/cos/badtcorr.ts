/**
 * BADTCORR for COS TIME-TAG (calcos' filterByTime, recomputeGTI, countBadEvents): the BADTTAB's intervals (MJD,
 * turned into seconds since EXPSTART) flag every event within them, ends included, as a bad time (2048); the
 * good-time intervals lose them, and the time and events lost within the events' span are counted.
 */
import { searchTime } from "./deadcorr.js";
import type { CorrtagEvents } from "./events.js";

export const DQ_BAD_TIME = 2048;
const SEC_PER_DAY = 86400;

export type Interval = [number, number];

/** The rows' [START, STOP] in seconds since `expstart`. */
export const badTimesOf = (rows: readonly { START: number; STOP: number }[], expstart: number): Interval[] =>
  rows.map((r) => [(r.START - expstart) * SEC_PER_DAY, (r.STOP - expstart) * SEC_PER_DAY]);

/** numpy compares the float32 TIME column with each (float64) limit in single precision. */
export function flagBadTimes(events: CorrtagEvents, bad: readonly Interval[]): void {
  const { time, dq } = events;
  for (const [start, stop] of bad) {
    const a = Math.fround(start);
    const b = Math.fround(stop);
    for (let k = 0; k < time.length; k++) if (time[k] >= a && time[k] <= b) dq[k] |= DQ_BAD_TIME;
  }
}

/** The good-time intervals less the bad ones, and whether anything changed. */
export function removeBadTimes(
  gti: readonly Interval[],
  bad: readonly Interval[],
): { gti: Interval[]; modified: boolean } {
  let modified = false;
  let out: Interval[] = gti.map(([a, b]) => [a, b]);
  for (const [badStart, badStop] of bad) {
    const next: Interval[] = [];
    for (const [start, stop] of out) {
      if (badStart >= stop || badStop <= start) {
        next.push([start, stop]);
        continue;
      }
      if (badStart > start) {
        next.push([start, badStart]);
        modified = true;
      }
      if (badStop < stop) {
        next.push([badStop, stop]);
        modified = true;
      }
    }
    out = next;
  }
  return { gti: out, modified };
}

/** TBADT and NBADT: the bad intervals' time within the events' span and the events in them. */
export function badTimeTotals(time: Float32Array, bad: readonly Interval[]): { seconds: number; events: number } {
  const n = time.length;
  let seconds = 0;
  let events = 0;
  if (n === 0) return { seconds, events };
  const first = time[0];
  const last = time[n - 1];
  for (const [start, stop] of bad) {
    if (stop <= first || start >= last) continue;
    const a = Math.max(start, first);
    const b = Math.min(stop, last);
    seconds += b - a;
    events += searchTime(time, b) - searchTime(time, a);
  }
  return { seconds, events };
}

/** TBRST and NBRST (calcos' countBadEvents): each burst's float32 length, unclipped, and the events in it. */
export function burstTotals(time: Float32Array, bursts: readonly Interval[]): { seconds: number; events: number } {
  let seconds = 0;
  let events = 0;
  for (const [start, stop] of bursts) {
    seconds += Math.fround(stop - start);
    events += searchTime(time, stop) - searchTime(time, start);
  }
  return { seconds, events };
}
