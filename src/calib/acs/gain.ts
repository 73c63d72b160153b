/**
 * Conversion of SCI and ERR from DN to electrons per amp quadrant (calibration.md §2.4; hstcal
 * toelectrons.c). Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import type { ImageSet } from "../common/imset.js";
import { type AmpLayout, checkSlotValues, forEachAmpRun } from "./amps.js";
import { type AcsCcdParameters, AMP_NAMES } from "./ccd-parameters.js";

export interface GainResult {
  /** BUNIT of the SCI and ERR extensions. */
  bunit: "ELECTRONS";
  /** Primary ATODGNA..D and READNSEA..D (CCDTAB values, 0 for amps not in CCDAMP). */
  primary: Record<string, number>;
}

/** Primary keywords ACSCCD overwrites from CCDTAB. */
export function gainKeywords(params: Pick<AcsCcdParameters, "atodgain" | "readnoise">): Record<string, number> {
  const primary: Record<string, number> = {};
  AMP_NAMES.forEach((amp, k) => {
    primary[`ATODGN${amp}`] = params.atodgain[k];
  });
  AMP_NAMES.forEach((amp, k) => {
    primary[`READNSE${amp}`] = params.readnoise[k];
  });
  return primary;
}

/** SCI and ERR × gain of the slot that read each pixel, in place (SCI only while ERR is deferred: no pixels). */
export function convertToElectrons(
  set: ImageSet,
  layout: AmpLayout,
  params: Pick<AcsCcdParameters, "atodgain" | "readnoise">,
): GainResult {
  checkSlotValues(layout, layout.gain, "No valid GAIN value to convert data.");
  const { sci, err, nx } = set;
  const withErr = err.length > 0;
  forEachAmpRun(layout, (j, start, end, slot) => {
    const gain = Math.fround(layout.gain[slot]);
    for (let k = j * nx + start; k < j * nx + end; k++) {
      sci[k] = sci[k] * gain;
      if (withErr) err[k] = err[k] * gain;
    }
  });
  return { bunit: "ELECTRONS", primary: gainKeywords(params) };
}

/** ERR × gain of the slot that read each pixel, for an ERR made after the conversion (convertToElectrons). */
export function errorsToElectrons(err: Float32Array, layout: AmpLayout, nx: number): void {
  forEachAmpRun(layout, (j, start, end, slot) => {
    const gain = Math.fround(layout.gain[slot]);
    for (let k = j * nx + start; k < j * nx + end; k++) err[k] = err[k] * gain;
  });
}
