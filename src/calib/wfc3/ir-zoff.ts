/**
 * ZOFFCORR (calibration.md §5; hstcal zoffcorr.c): the original zeroth read (after BLEVCORR) is
 * subtracted from every read, SCI and TIME, and its SAMPTIME from each read's exposure time.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { type MultiAccum, type MultiAccumRead, planeAt, type ReadPlane } from "./multiaccum.js";

export function subtractZeroRead(m: MultiAccum, zero: Pick<MultiAccumRead, "sci" | "time" | "samptime">): void {
  for (const read of m.reads) {
    for (let k = 0; k < read.sci.length; k++) read.sci[k] = read.sci[k] - zero.sci[k];
    read.time = timeLess(read.time, zero.time, read.sci.length);
    read.samptime -= zero.samptime;
  }
}

/** time − zero in float, one value when both are (the raws' constant TIME), else per pixel. */
function timeLess(time: ReadPlane<Float32Array>, zero: ReadPlane<Float32Array>, n: number): ReadPlane<Float32Array> {
  if (typeof time === "number" && typeof zero === "number") return Math.fround(time - zero);
  const out = typeof time === "number" ? new Float32Array(n).fill(time) : time;
  for (let k = 0; k < n; k++) out[k] = out[k] - planeAt(zero, k);
  return out;
}
