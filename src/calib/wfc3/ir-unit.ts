/**
 * UNITCORR (calibration.md §5; hstcal unitcorr.c): counts → count rates. Each read's SCI and ERR are
 * divided by its TIME (0 where TIME is 0); the zeroth read by SAMPZERO.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { forEachSciencePixel, type MultiAccum } from "./multiaccum.js";

/** hstcal's sample time of the zeroth read: the first read's SAMPTIME less the 0.020535 s reset. */
export function sampZero(firstReadSamptime: number): number {
  return firstReadSamptime - 0.020535;
}

export function toCountRates(m: MultiAccum, sampzero: number): void {
  m.reads.forEach((read, index) => {
    if (index === 0) {
      const scale = Math.fround(1 / sampzero);
      forEachSciencePixel(m, (k) => {
        read.sci[k] = read.sci[k] * scale;
        read.err[k] = read.err[k] * scale;
      });
      return;
    }
    forEachSciencePixel(m, (k) => {
      const t = read.time[k];
      read.sci[k] = t !== 0 ? read.sci[k] / t : 0;
      read.err[k] = t !== 0 ? read.err[k] / t : 0;
    });
  });
}
