/**
 * BIASCORR for ACS (calibration.md §2.3; hstcal dobias.c): subtract the bias image of the same CCDCHIP,
 * in DN, before the conversion to electrons. The bias is untrimmed (overscan included); a subarray
 * uses the section at its LTV offset. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { checkSectionFits, subtractImage } from "../common/arithmetic.js";
import { CalibrationError } from "../common/errors.js";
import { chooseChip, placeReference } from "../common/geometry.js";
import type { ImageSet } from "../common/imset.js";
import { BAND_ROWS, forEachBand, type ReadRows, rowsView } from "./reference-rows.js";

const f = Math.fround;

function biasPlacement(set: ImageSet, bias: readonly ImageSet[]) {
  const reference = chooseChip(bias, set.chip, "BIASFILE");
  const place = placeReference(set, reference, "BIASFILE");
  if (place.rx !== 1 || place.ry !== 1) {
    throw new CalibrationError("SIZE_MISMATCH", "BIASFILE is binned differently from the science image");
  }
  checkSectionFits(set, place, "BIASFILE");
  return { reference, place };
}

/**
 * SCI -= BIAS, ERR in quadrature, DQ OR, in place, a band of rows at a time (`readRows`: the bias's rows).
 * A set without ERR pixels (ACSCCD defers them, acsccd.ts) gets SCI and DQ only: addBiasErrors does its ERR later.
 */
export function subtractBias(set: ImageSet, bias: readonly ImageSet[], readRows: ReadRows = rowsView): void {
  const { reference, place } = biasPlacement(set, bias);
  const scratchErr = set.err.length === 0 ? new Float32Array(BAND_ROWS * set.nx) : undefined;
  forEachBand(0, set.ny, (j0, j1) => {
    const rows = readRows(reference, j0 + place.y0, j1 + place.y0);
    const band = rowsView(set, j0, j1);
    if (scratchErr) band.err = scratchErr.subarray(0, band.sci.length);
    subtractImage(band, { set: rows, x0: place.x0, y0: 0 }, "BIASFILE");
  });
}

/** ERR = sqrt(ERR² + BIAS ERR²) in float, as subtractBias computes it, for an ERR made after BIASCORR. */
export function addBiasErrors(
  set: ImageSet,
  err: Float32Array,
  bias: readonly ImageSet[],
  readRows: ReadRows = rowsView,
): void {
  const { reference, place } = biasPlacement(set, bias);
  const { nx } = set;
  forEachBand(0, set.ny, (j0, j1) => {
    const rows = readRows(reference, j0 + place.y0, j1 + place.y0, "err").err;
    for (let j = j0; j < j1; j++) {
      const from = (j - j0) * reference.nx + place.x0;
      for (let i = 0; i < nx; i++) {
        const k = j * nx + i;
        const ea = err[k];
        const eb = f(rows[from + i] * 1);
        err[k] = Math.sqrt(f(f(ea * ea) + f(eb * eb)));
      }
    }
  });
}
