/**
 * BIASCORR for ACS (calibration.md §2.3; hstcal dobias.c): subtract the bias image of the same CCDCHIP,
 * in DN, before the conversion to electrons. The bias is untrimmed (overscan included); a subarray
 * uses the section at its LTV offset. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { checkSectionFits, subtractImage } from "../common/arithmetic.js";
import { CalibrationError } from "../common/errors.js";
import { chooseChip, placeReference } from "../common/geometry.js";
import type { ImageSet } from "../common/imset.js";
import { forEachBand, type ReadRows, rowsView } from "./reference-rows.js";

/** SCI -= BIAS, ERR in quadrature, DQ OR, in place, a band of rows at a time (`readRows`: the bias's rows). */
export function subtractBias(set: ImageSet, bias: readonly ImageSet[], readRows: ReadRows = rowsView): void {
  const reference = chooseChip(bias, set.chip, "BIASFILE");
  const place = placeReference(set, reference, "BIASFILE");
  if (place.rx !== 1 || place.ry !== 1) {
    throw new CalibrationError("SIZE_MISMATCH", "BIASFILE is binned differently from the science image");
  }
  checkSectionFits(set, place, "BIASFILE");
  forEachBand(0, set.ny, (j0, j1) => {
    const rows = readRows(reference, j0 + place.y0, j1 + place.y0);
    subtractImage(rowsView(set, j0, j1), { set: rows, x0: place.x0, y0: 0 }, "BIASFILE");
  });
}
