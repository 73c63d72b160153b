/**
 * COS ACCUM images as calcos treats them (accum.py): the image is turned into a pseudo event list, one event per
 * count at its pixel (ccos' unbinaccum, rows then columns), all at TIME = EXPTIME / 2; the TIME-TAG corrections
 * then run on those events. DEADCORR has one livetime factor for the whole exposure (deadtimeCorrectionAccum).
 */
import { CalibrationError } from "../common/errors.js";
import { type DeadtabRow, type DeadtimeResult, livetimeAt } from "./deadcorr.js";
import { type CorrtagEvents, nint, type RawEvents } from "./events.js";

/** The counts of an ACCUM image: 16-bit integers, or reals taken to the nearest integer (ccos' NINT). */
export type AccumImage = Int16Array | Float32Array;

/**
 * One event per count, in pixel order (row by row), X less `xOffset`. A negative pixel is refused: calcos
 * counts it in the table's length but unbins nothing for it, and fails ("x and y arrays are too short").
 */
export function unbinAccum(
  image: AccumImage,
  shape: { nx: number; ny: number; xOffset: number },
  time: number,
  where: string,
): RawEvents {
  const { nx, ny, xOffset } = shape;
  const counts = (p: number) => (image instanceof Int16Array ? image[p] : nint(image[p]));
  let total = 0;
  for (let p = 0; p < nx * ny; p++) {
    const c = counts(p);
    if (c < 0) {
      const at = `x ${(p % nx) + 1}, y ${Math.floor(p / nx) + 1}`;
      throw new CalibrationError("INVALID_VALUE", `${where}: negative count ${c} at pixel ${at} (1-indexed)`);
    }
    total += c;
  }
  const rawx = new Int16Array(total);
  const rawy = new Int16Array(total);
  let k = 0;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const c = counts(j * nx + i);
      if (c === 0) continue;
      rawx.fill(i - xOffset, k, k + c);
      rawy.fill(j, k, k + c);
      k += c;
    }
  }
  return { time: new Float32Array(total).fill(time), rawx, rawy };
}

/** calcos' deadtimeCorrectionAccum: one factor, from the counter with subarrays, else from the counts. */
export function accumDeadtime(
  events: CorrtagEvents,
  rows: readonly DeadtabRow[],
  exptime: number,
  counter: { rate: number; subarrays: boolean },
): DeadtimeResult | { rate: 0; method: "SKIPPED"; averageLivetime: 1 } {
  if (!(exptime > 0)) return { rate: 0, method: "SKIPPED", averageLivetime: 1 };
  const actualRate = events.epsilon.length / exptime;
  const [rate, method] = counter.subarrays ? [counter.rate, "MEVENTS" as const] : [actualRate, "DATA" as const];
  const livetime = livetimeAt(rate, rows);
  const by = Math.fround(livetime);
  const epsilon = events.epsilon;
  for (let k = 0; k < epsilon.length; k++) epsilon[k] = epsilon[k] / by;
  return { rate, method, averageLivetime: livetime };
}
