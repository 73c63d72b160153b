/**
 * UVIS BIASCORR in DN (calibration.md §4; hstcal wf3ccd/dobias.c): the BIASFILE imset of the chip, cut
 * at the science corner and binned alike, is subtracted. A full-frame 4-amp bias (CCDAMP ABCD, ANY,
 * SINGLE_AMP or SINGLE_OR_ALL) holds the 60 serial virtual overscan columns in the middle, so for a
 * subarray read by amp B or D the section starts 60 columns further right.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
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
  readRows?: (set: ImageSet, y0: number, y1: number) => ImageSet,
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
  for (let b0 = 0; b0 < set.ny; b0 += BAND_ROWS) {
    const b1 = Math.min(b0 + BAND_ROWS, set.ny);
    const rows = readRows(reference, place.y0 + b0, place.y0 + b1);
    const [from, to] = [b0 * set.nx, b1 * set.nx];
    const band = { ...set, ny: b1 - b0, sci: set.sci.subarray(from, to), err: set.err.subarray(from, to) };
    subtractImage({ ...band, dq: set.dq.subarray(from, to) }, { set: rows, x0, y0: 0 }, "BIASFILE");
  }
}

/** Rows of the science image per band when the BIASFILE is read by rows (128 rows of a full chip: 4 MB of it). */
const BAND_ROWS = 128;
