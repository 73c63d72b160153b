/**
 * ZOFFCORR (calibration.md §5; hstcal zoffcorr.c): the original zeroth read (after BLEVCORR) is
 * subtracted from every read, SCI and TIME, and its SAMPTIME from each read's exposure time.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import type { MultiAccum, MultiAccumRead } from "./multiaccum.js";

export function subtractZeroRead(m: MultiAccum, zero: Pick<MultiAccumRead, "sci" | "time" | "samptime">): void {
  for (const read of m.reads) {
    for (let k = 0; k < read.sci.length; k++) {
      read.sci[k] = read.sci[k] - zero.sci[k];
      read.time[k] = read.time[k] - zero.time[k];
    }
    read.samptime -= zero.samptime;
  }
}
