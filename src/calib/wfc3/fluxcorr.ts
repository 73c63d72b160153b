/**
 * FLUXCORR (calibration.md §4; hstcal wf32d/doflux.c): UVIS2 (CCDCHIP 2) SCI and ERR are scaled by
 * PHTRATIO = PHTFLAM2 / PHTFLAM1 so that both chips share the UVIS1 sensitivity; PHOTFLAM becomes PHTFLAM1.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { multiplyConstant } from "../common/arithmetic.js";
import type { ImageSet } from "../common/imset.js";

export function fluxRatio(phtflam1: number, phtflam2: number): number {
  return phtflam1 === 0 ? 1 : phtflam2 / phtflam1;
}

/** Scales a chip-2 image set in place; returns the SCI keywords FLUXCORR writes. */
export function applyFluxCorrection(set: ImageSet, phtflam1: number, phtflam2: number): Record<string, number> {
  const ratio = fluxRatio(phtflam1, phtflam2);
  if (set.chip === 2) multiplyConstant(set, ratio);
  return {
    PHTRATIO: ratio,
    PHTFLAM1: Math.fround(phtflam1),
    PHTFLAM2: Math.fround(phtflam2),
    PHOTFLAM: Math.fround(phtflam1),
  };
}
