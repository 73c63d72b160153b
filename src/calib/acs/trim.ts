/**
 * The overscan trim ACSCCD applies on output once BLEVCORR is complete (calibration.md §2.5 "Output";
 * hstcal doccd.c + HSTIO putSingleGroupSect/updateWCS). Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "../common/errors.js";
import { type Geometry, type ImageSet, leadingImageSet } from "../common/imset.js";
import type { OverscanRegions } from "./oscntab.js";

export interface TrimResult {
  set: ImageSet;
  /** SCI/ERR/DQ SIZAXIS1, SIZAXIS2. */
  sizaxis: [number, number];
  /** The new LTV1/LTV2 (HSTIO shifts them as floats: (float)LTV - x0). */
  geometry: Geometry;
  /** Subtract from CRPIX1/CRPIX2 (double) where the headers have them. */
  crpixShift: [number, number];
}

/** The illuminated box [trimx1, nx-trimx2) × [trimy1, ny-trimy2), trimmed in place: `set` must not be used afterwards. */
export function trimOverscan(set: ImageSet, regions: Pick<OverscanRegions, "trimx" | "trimy">): TrimResult {
  const [x0, x2] = regions.trimx;
  const [y0, y2] = regions.trimy;
  const nx = set.nx - (x0 + x2);
  const ny = set.ny - (y0 + y2);
  if (nx <= 0 || ny <= 0 || x0 < 0 || y0 < 0 || x2 < 0 || y2 < 0) {
    throw new CalibrationError(
      "SIZE_MISMATCH",
      `trims x(${x0},${x2}) y(${y0},${y2}) leave nothing of ${set.nx}x${set.ny}`,
    );
  }
  const geometry: Geometry = {
    ltv: [Math.fround(Math.fround(set.geometry.ltv[0]) - x0), Math.fround(Math.fround(set.geometry.ltv[1]) - y0)],
    ltm: [set.geometry.ltm[0], set.geometry.ltm[1]],
  };
  // In place (see uvis-trim.ts): each row moves to a lower index of the same arrays, front to back.
  const { sci, err, dq } = set;
  for (let j = 0; j < ny; j++) {
    const from = (j + y0) * set.nx + x0;
    sci.copyWithin(j * nx, from, from + nx);
    err.copyWithin(j * nx, from, from + nx);
    dq.copyWithin(j * nx, from, from + nx);
  }
  const out = leadingImageSet(set, nx, ny, geometry);
  return { set: out, sizaxis: [nx, ny], geometry, crpixShift: [x0, y0] };
}
