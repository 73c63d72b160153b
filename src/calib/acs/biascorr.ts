/**
 * BIASCORR for ACS (calibration.md §2.3; hstcal dobias.c): subtract the bias image of the same CCDCHIP,
 * in DN, before the conversion to electrons. The bias is untrimmed (overscan included); a subarray
 * uses the section at its LTV offset. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { subtractImage } from "../common/arithmetic.js";
import { CalibrationError } from "../common/errors.js";
import { chooseChip, placeReference } from "../common/geometry.js";
import type { ImageSet } from "../common/imset.js";

/** SCI -= BIAS, ERR in quadrature, DQ OR, in place. */
export function subtractBias(set: ImageSet, bias: readonly ImageSet[]): void {
  const reference = chooseChip(bias, set.chip, "BIASFILE");
  const place = placeReference(set, reference, "BIASFILE");
  if (place.rx !== 1 || place.ry !== 1) {
    throw new CalibrationError("SIZE_MISMATCH", "BIASFILE is binned differently from the science image");
  }
  subtractImage(set, place, "BIASFILE");
}
