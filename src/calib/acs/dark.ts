/**
 * DARKCORR (calibration.md §2.11): the dark (e/s) scaled by DARKTIME is subtracted; MEANDARK is the
 * mean of the scaled dark over its pixels without serious DQ flags. Algorithms follow hstcal
 * (BSD-3-Clause, AURA), acs2d/dodark.c.
 */
import { multiplyConstant, subtractImage } from "../common/arithmetic.js";
import { type ImageSet, wholeSection } from "../common/imset.js";
import { type ReferenceImage, referenceSection } from "./reference-image.js";

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

/** Mean of SCI over pixels whose DQ has none of `sdqflags` (hstcal AvgSciVal); 0 when there is none. */
export function meanOfGoodPixels(set: ImageSet, sdqflags: number): number {
  let sum = 0;
  let good = 0;
  const mask = sdqflags & 0xffff;
  for (let k = 0; k < set.sci.length; k++) {
    if ((set.dq[k]! & mask) === 0) {
      sum += set.sci[k]!;
      good++;
    }
  }
  return good > 0 ? sum / good : 0;
}

/** Subtracts DARKFILE × DARKTIME in place (DRKCFILE is passed here instead when PCTECORR=PERFORM). */
export function subtractDark(science: ImageSet, dark: ReferenceImage, parameters: DarkParameters): DarkResult {
  const scaled = referenceSection(science, dark, "DARKFILE");
  const darktime = Math.fround(parameters.darktime);
  if (darktime !== 1) multiplyConstant(scaled, darktime);
  // The mean uses the dark's own DQ, as hstcal does.
  const mean = meanOfGoodPixels(scaled, parameters.sdqflags);
  subtractImage(science, wholeSection(scaled), "DARKFILE");
  return { meandark: Math.fround(mean) };
}
