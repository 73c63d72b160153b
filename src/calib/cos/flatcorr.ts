/**
 * FLATCORR for COS TIME-TAG (calcos' applyflat): each event's EPSILON is divided by the flat at its rounded
 * (XCORR, YCORR), less the flat's ORIGIN_X/ORIGIN_Y; events off the flat and flat values ≤ 0 are left alone.
 */
import type { CorrtagEvents } from "./events.js";
import { nint } from "./events.js";

export interface FlatField {
  data: Float32Array;
  nx: number;
  ny: number;
  originX: number;
  originY: number;
}

export function applyFlat(events: CorrtagEvents, flat: FlatField): void {
  const { xcorr, ycorr, epsilon } = events;
  for (let k = 0; k < epsilon.length; k++) {
    const i = nint(xcorr[k]) - flat.originX;
    const j = nint(ycorr[k]) - flat.originY;
    if (i < 0 || i >= flat.nx || j < 0 || j >= flat.ny) continue;
    const f = flat.data[j * flat.nx + i];
    if (f > 0) epsilon[k] = epsilon[k] / f;
  }
}
