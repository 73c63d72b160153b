/**
 * The UVIS overscan trim after BLEVCORR (calibration.md §4): prescan/overscan columns at both ends,
 * virtual rows, and for two amps on a chip the serial virtual overscan TRIMX3 + TRIMX4 in the middle.
 * LTV moves by the left and bottom trims. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "../common/errors.js";
import { createImageSet, type ImageSet } from "../common/imset.js";
import type { Wf3Overscan } from "./oscntab.js";

export interface UvisTrim {
  set: ImageSet;
  /** Subtract from CRPIX1/CRPIX2. */
  crpixShift: [number, number];
}

export function trimUvis(set: ImageSet, o: Wf3Overscan, ampx: number, twoAmps: boolean): UvisTrim {
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
  const out = createImageSet(nx, ny, { geometry, chip: set.chip });
  const split = middle > 0 ? ampx : nx;
  for (let j = 0; j < ny; j++) {
    const src = (j + o.trimy[0]) * set.nx + o.trimx[0];
    const dst = j * nx;
    const copy = (from: number, to: number, length: number) => {
      out.sci.set(set.sci.subarray(from, from + length), to);
      out.err.set(set.err.subarray(from, from + length), to);
      out.dq.set(set.dq.subarray(from, from + length), to);
    };
    copy(src, dst, split);
    if (split < nx) copy(src + split + middle, dst + split, nx - split);
  }
  return { set: out, crpixShift: [o.trimx[0], o.trimy[0]] };
}
