/**
 * RANDCORR for an FUV segment (calcos' doRandcorr): numpy's generator seeded with RANDSEED draws one uniform
 * number in [−0.5, 0.5) per event for XCORR, then another per event for YCORR; each is subtracted (in double,
 * stored as float32) from the events in the active area as it stands on the raw coordinates. Every event
 * consumes its draws, inside the active area or not, so the sequence is calcos' own.
 */
import type { CorrtagEvents } from "./events.js";
import { NumpyRandomState } from "./numpy-random.js";

export function randomizeEvents(events: CorrtagEvents, active: Uint8Array, seed: number): void {
  const { xcorr, ycorr } = events;
  const n = xcorr.length;
  const random = new NumpyRandomState(seed);
  const rx = random.uniform(-0.5, 0.5, n);
  for (let k = 0; k < n; k++) if (active[k]) xcorr[k] = xcorr[k] - rx[k];
  const ry = random.uniform(-0.5, 0.5, n);
  for (let k = 0; k < n; k++) if (active[k]) ycorr[k] = ycorr[k] - ry[k];
}
