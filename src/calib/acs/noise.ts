/**
 * ERR initialisation (calibration.md §2.8; hstcal donoise.c): CCD noise model per amp quadrant in
 * electrons, read noise only for BIAS exposures, sqrt of the counts for the MAMA.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { intAbs } from "../common/c-numbers.js";
import type { ImageSet } from "../common/imset.js";
import { type AmpLayout, checkSlotValues, forEachAmpRun } from "./amps.js";

const f = Math.fround;

export const NOISE_HISTORY = "Uncertainty array initialized.";

/** Whether every ERR value is zero (ACS2D initialises ERR only then). */
export function errorIsAllZero(set: ImageSet): boolean {
  return set.err.every((e) => e === 0);
}

/** CCD: ERR = sqrt(max(SCI,0) + RN² + ERR²) in float, or ERR = RN when TARGNAME starts with BIAS. */
export function initCcdErrors(set: ImageSet, layout: AmpLayout, targname: string): void {
  checkSlotValues(layout, layout.readnoise, "No valid READNOISE values to initialize ERR data.");
  const biasExposure = targname.startsWith("BIAS");
  const { sci, err, nx } = set;
  forEachAmpRun(layout, (j, start, end, slot) => {
    const rn = f(layout.readnoise[slot]);
    const rn2 = f(rn * rn);
    for (let k = j * nx + start; k < j * nx + end; k++) {
      if (biasExposure) {
        err[k] = rn;
        continue;
      }
      const value = Math.max(sci[k], 0);
      const e = err[k];
      err[k] = Math.sqrt(f(f(value + rn2) + f(e * e)));
    }
  });
}

/** MAMA: ERR = max(1, sqrt(|SCI|)), where a negative value goes through C's integer abs (truncation). */
export function initMamaErrors(set: ImageSet): void {
  const { sci, err } = set;
  for (let k = 0; k < sci.length; k++) {
    const value = sci[k] < 0 ? intAbs(sci[k]) : sci[k];
    const root = f(Math.sqrt(value));
    // biome-ignore lint/complexity/useMathMinMax: a NaN must give 1, as the C comparison does
    err[k] = root > 1 ? root : 1;
  }
}
