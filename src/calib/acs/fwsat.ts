/**
 * Full-well saturation flags from SATUFILE (calibration.md §2.7; hstcal dofwsat.c), on the untrimmed
 * image in electrons after BIASCORR and BLEVCORR. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "../common/errors.js";
import { binAndCorner, chooseChip, placeReference, sameSizeAsReference } from "../common/geometry.js";
import type { ImageSet } from "../common/imset.js";
import { ACS_DQ } from "./dq.js";
import type { OverscanRegions } from "./oscntab.js";
import { forEachBand, type ReadRows, rowsView } from "./reference-rows.js";

/**
 * DQ |= 256 where SCI > SATUFILE. Full frame: over the illuminated box starting at |corner| (from LTV),
 * comparing the same pixel of both images. Subarray: hstcal compares science pixels (0..xdim-1,
 * 0..ydim-1) with the reference section at the LTV offset — the box starts at the image origin, not at
 * the trim; reproduced as is. xdim, ydim = image size minus the OSCNTAB trims. The reference is read a band
 * of rows at a time (`readRows`).
 */
export function flagFullWellSaturation(
  set: ImageSet,
  satufile: readonly ImageSet[],
  trims: Pick<OverscanRegions, "trimx" | "trimy">,
  readRows: ReadRows = rowsView,
): number {
  const reference = chooseChip(satufile, set.chip, "SATUFILE");
  const xdim = set.nx - (trims.trimx[0] + trims.trimx[1]);
  const ydim = set.ny - (trims.trimy[0] + trims.trimy[1]);
  let x0: number;
  let y0: number;
  let xbeg: number;
  let ybeg: number;
  if (sameSizeAsReference(set, reference)) {
    const { corner } = binAndCorner(set.geometry);
    xbeg = Math.abs(corner[0]);
    ybeg = Math.abs(corner[1]);
    x0 = 0;
    y0 = 0;
  } else {
    const place = placeReference(set, reference, "SATUFILE");
    if (place.rx !== 1 || place.ry !== 1) {
      throw new CalibrationError("SIZE_MISMATCH", "SATUFILE is binned differently from the science image");
    }
    xbeg = 0;
    ybeg = 0;
    x0 = place.x0;
    y0 = place.y0;
  }
  const xend = Math.min(xbeg + xdim, set.nx, reference.nx - x0);
  const yend = Math.min(ybeg + ydim, set.ny, reference.ny - y0);
  let n = 0;
  forEachBand(ybeg, yend, (j0, j1) => {
    const saturation = readRows(reference, j0 + y0, j1 + y0, "sci").sci;
    for (let j = j0; j < j1; j++) {
      for (let i = xbeg; i < xend; i++) {
        const k = j * set.nx + i;
        if (set.sci[k] > saturation[(j - j0) * reference.nx + i + x0]) {
          set.dq[k] |= ACS_DQ.SATPIXEL;
          n++;
        }
      }
    }
  });
  return n;
}
