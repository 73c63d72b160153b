/**
 * UVIS FLATCORR (calibration.md §4 WF32D; hstcal wf32d/doflat.c): SCI / (PFLT / mean gain), which turns DN
 * into electrons with the mean of the four CCDTAB ATODGN values; ERR and DQ follow division rules (§0.5).
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */

import { divideImage } from "../common/arithmetic.js";
import type { ImageSet } from "../common/imset.js";
import type { ReferenceImage } from "../common/reference-image.js";
import { referenceSection } from "../common/reference-image.js";

export function flatFieldToElectrons(science: ImageSet, pflt: ReferenceImage, meanGain: number): void {
  const flat = referenceSection(science, pflt, "PFLTFILE");
  const g = Math.fround(meanGain);
  for (let k = 0; k < flat.sci.length; k++) {
    flat.sci[k] = Math.fround(flat.sci[k] / g);
    flat.err[k] = Math.fround(flat.err[k] / g);
  }
  divideImage(science, { set: flat, x0: 0, y0: 0 }, "PFLTFILE");
}
