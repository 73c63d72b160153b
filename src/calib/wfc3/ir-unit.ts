/**
 * UNITCORR (calibration.md §5; hstcal unitcorr.c): counts → count rates. Each read's SCI and ERR are
 * divided by its TIME (0 where TIME is 0); the zeroth read by SAMPZERO.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import type { MultiAccum } from "./multiaccum.js";

/** hstcal's sample time of the zeroth read: the first read's SAMPTIME less the 0.020535 s reset. */
export function sampZero(firstReadSamptime: number): number {
  return firstReadSamptime - 0.020535;
}

export function toCountRates(m: MultiAccum, sampzero: number): void {
  const { nx, ny, border } = m;
  m.reads.forEach((read, index) => {
    const { sci, err } = read;
    const perPixel = typeof read.time === "number" ? undefined : read.time;
    const constant = typeof read.time === "number" ? read.time : 0;
    const scale = Math.fround(1 / sampzero);
    // Row loops rather than a callback per pixel: this runs for every pixel of every read.
    for (let j = border.y[0]; j < ny - border.y[1]; j++) {
      for (let k = j * nx + border.x[0]; k < j * nx + nx - border.x[1]; k++) {
        if (index === 0) {
          sci[k] = sci[k] * scale;
          err[k] = err[k] * scale;
          continue;
        }
        const t = perPixel ? perPixel[k] : constant;
        sci[k] = t !== 0 ? sci[k] / t : 0;
        err[k] = t !== 0 ? err[k] / t : 0;
      }
    }
  });
}
