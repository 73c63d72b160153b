/**
 * UVIS FLATCORR (calibration.md §4 WF32D; hstcal wf32d/doflat.c): SCI / (PFLT / mean gain), which turns DN
 * into electrons with the mean of the four CCDTAB ATODGN values; ERR and DQ follow division rules (§0.5).
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */

import { divideImage } from "../common/arithmetic.js";
import type { ImageSet } from "../common/imset.js";
import type { ReferenceImage } from "../common/reference-image.js";
import { referencePlacement } from "../common/reference-image.js";

export function flatFieldToElectrons(science: ImageSet, pflt: ReferenceImage, meanGain: number): void {
  // PFLT / mean gain, rounded to float per pixel as hstcal's divided copy of the flat holds it.
  const flat = referencePlacement(science, pflt, "PFLTFILE");
  divideImage(science, flat, "PFLTFILE", { divideBy: meanGain });
}
