/**
 * DARKCORR (calibration.md §2.11): the dark (e/s) scaled by DARKTIME is subtracted; MEANDARK is the
 * mean of the scaled dark over its pixels without serious DQ flags. Algorithms follow hstcal
 * (BSD-3-Clause, AURA), acs2d/dodark.c.
 */
import { subtractImage } from "../common/arithmetic.js";
import { imageKernels } from "../common/image-kernels.js";
import type { ImageSet, Section } from "../common/imset.js";
import { type ReferenceImage, referencePlacement } from "../common/reference-image.js";

export interface DarkParameters {
  /** Primary DARKTIME (s), as updated by ACSCCD (cumulative for a CR-combined image). */
  darktime: number;
  /** SDQFLAGS of the science SCI header. */
  sdqflags: number;
}

export interface DarkResult {
  /** SCI keyword MEANDARK (float32). */
  meandark: number;
}

/**
 * Mean of scale × SCI (rounded to float) over the nx × ny pixels of a section whose DQ has none of
 * `sdqflags` (hstcal AvgSciVal on the scaled dark); 0 when there is none.
 */
export function meanOfGoodPixels(section: Section, nx: number, ny: number, scale: number, sdqflags: number): number {
  const k32 = Math.fround(scale);
  const kernels = imageKernels();
  if (kernels) {
    const { sum, good } = kernels.scaledSum(section, nx, ny, k32, sdqflags);
    return good > 0 ? sum / good : 0;
  }
  const { sci, dq } = section.set;
  // The sum in an array slot: a loop-carried double would be boxed by V8's on-stack replacement.
  const sum = new Float64Array(1);
  let good = 0;
  const mask = sdqflags & 0xffff;
  for (let j = 0; j < ny; j++) {
    const row = (j + section.y0) * section.set.nx + section.x0;
    for (let k = row; k < row + nx; k++) {
      if ((dq[k]! & mask) === 0) {
        sum[0] += Math.fround(sci[k]! * k32);
        good++;
      }
    }
  }
  return good > 0 ? sum[0]! / good : 0;
}

/** Subtracts DARKFILE × DARKTIME in place (DRKCFILE is passed here instead when PCTECORR=PERFORM). */
export function subtractDark(science: ImageSet, dark: ReferenceImage, parameters: DarkParameters): DarkResult {
  const place = referencePlacement(science, dark, "DARKFILE");
  const darktime = Math.fround(parameters.darktime);
  // The mean uses the dark's own DQ, as hstcal does.
  const mean = meanOfGoodPixels(place, science.nx, science.ny, darktime, parameters.sdqflags);
  subtractImage(science, place, "DARKFILE", darktime);
  return { meandark: Math.fround(mean) };
}
