/**
 * The UVIS overscan trim after BLEVCORR (calibration.md §4): prescan/overscan columns at both ends,
 * virtual rows, and for two amps on a chip the serial virtual overscan TRIMX3 + TRIMX4 in the middle.
 * LTV moves by the left and bottom trims. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "../common/errors.js";
import { type ImageSet, leadingImageSet } from "../common/imset.js";
import type { Wf3Overscan } from "./oscntab.js";

export interface UvisTrim {
  set: ImageSet;
  /** Subtract from CRPIX1/CRPIX2. */
  crpixShift: [number, number];
}

/**
 * Trims in place: each kept row moves to a lower index of the same arrays (front to back, so no source is
 * overwritten before it is read) and the result views their first nx × ny pixels. No chip-sized arrays are
 * allocated (their first touch costs more than the copy); `set` must not be used afterwards.
 */
export function trimUvis(set: ImageSet, o: Wf3Overscan, ampx: number, twoAmps: boolean): UvisTrim {
  if (Math.min(...o.trimx, ...o.trimy, o.trimx3, o.trimx4) < 0) {
    throw new CalibrationError("INVALID_VALUE", `OSCNTAB has a negative trim (TRIMX ${o.trimx}, TRIMY ${o.trimy})`);
  }
  const middle = twoAmps ? o.trimx3 + o.trimx4 : 0;
  const nx = set.nx - o.trimx[0] - o.trimx[1] - middle;
  const ny = set.ny - o.trimy[0] - o.trimy[1];
  if (nx <= 0 || ny <= 0) throw new CalibrationError("SIZE_MISMATCH", `the trims leave nothing of ${set.nx}x${set.ny}`);
  const geometry = {
    ltv: [Math.fround(set.geometry.ltv[0] - o.trimx[0]), Math.fround(set.geometry.ltv[1] - o.trimy[0])] as [
      number,
      number,
    ],
    ltm: set.geometry.ltm,
  };
  const { sci, err, dq } = set;
  const move = (from: number, to: number, length: number) => {
    sci.copyWithin(to, from, from + length);
    err.copyWithin(to, from, from + length);
    dq.copyWithin(to, from, from + length);
  };
  const split = middle > 0 ? ampx : nx;
  for (let j = 0; j < ny; j++) {
    const src = (j + o.trimy[0]) * set.nx + o.trimx[0];
    const dst = j * nx;
    move(src, dst, split);
    if (split < nx) move(src + split + middle, dst + split, nx - split);
  }
  const out = leadingImageSet(set, nx, ny, geometry);
  return { set: out, crpixShift: [o.trimx[0], o.trimy[0]] };
}
