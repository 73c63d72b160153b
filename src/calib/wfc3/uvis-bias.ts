/**
 * UVIS BIASCORR in DN (calibration.md §4; hstcal wf3ccd/dobias.c): the BIASFILE imset of the chip, cut
 * at the science corner and binned alike, is subtracted. A full-frame 4-amp bias (CCDAMP ABCD, ANY,
 * SINGLE_AMP or SINGLE_OR_ALL) holds the 60 serial virtual overscan columns in the middle, so for a
 * subarray read by amp B or D the section starts 60 columns further right.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { forEachBand, type ReadRows, rowsView } from "../acs/reference-rows.js";
import { checkSectionFits, subtractImage } from "../common/arithmetic.js";
import { CalibrationError } from "../common/errors.js";
import { chooseChip, placeReference } from "../common/geometry.js";
import type { ImageSet } from "../common/imset.js";

const FULL_FRAME_AMPS = new Set(["ABCD", "ANY", "SINGLE_AMP", "SINGLE_OR_ALL"]);
const MIDDLE_OVERSCAN = 60;

export function subtractUvisBias(
  set: ImageSet,
  bias: readonly ImageSet[],
  biasCcdamp: string,
  ccdamp: string,
  readRows?: ReadRows,
): void {
  const reference = chooseChip(bias, set.chip, "BIASFILE");
  const place = placeReference(set, reference, "BIASFILE");
  if (place.rx !== 1 || place.ry !== 1) {
    throw new CalibrationError("SIZE_MISMATCH", "BIASFILE is binned differently from the science image");
  }
  const sameSize = place.x0 === 0 && place.y0 === 0 && reference.nx === set.nx;
  const amp = ccdamp.trim().toUpperCase();
  let x0 = place.x0;
  if (!sameSize && FULL_FRAME_AMPS.has(biasCcdamp.trim().toUpperCase()) && (amp === "B" || amp === "D")) {
    x0 += MIDDLE_OVERSCAN;
  }
  if (x0 + set.nx > reference.nx)
    throw new CalibrationError("SIZE_MISMATCH", "BIASFILE does not cover the science image");
  if (!readRows) {
    subtractImage(set, { set: reference, x0, y0: place.y0 }, "BIASFILE");
    return;
  }
  checkSectionFits(set, { set: reference, x0, y0: place.y0 }, "BIASFILE");
  // a bias held without pixels: its rows under each band of the science rows (same arithmetic per pixel)
  forEachBand(0, set.ny, (b0, b1) => {
    const rows = readRows(reference, place.y0 + b0, place.y0 + b1);
    subtractImage(rowsView(set, b0, b1), { set: rows, x0, y0: 0 }, "BIASFILE");
  });
}
