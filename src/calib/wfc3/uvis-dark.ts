/**
 * UVIS DARKCORR (calibration.md §4 WF32D; hstcal wf32d/dodark.c): DARKFILE (e/s) × EXPTIME / ATODGN of the
 * pixel's amp is subtracted in DN (EXPTIME, not DARKTIME, in this version). MEANDARK is the mean of the
 * scaled dark over its pixels without serious DQ flags. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */

import { subtractImage } from "../common/arithmetic.js";
import type { ImageSet } from "../common/imset.js";
import type { ReferenceImage } from "../common/reference-image.js";
import { referenceSection } from "../common/reference-image.js";
import type { Wf3CcdParameters } from "./ccdtab.js";
import { ampColumns } from "./uvis-amps.js";

const f = Math.fround;

export function subtractUvisDark(
  science: ImageSet,
  dark: ReferenceImage,
  params: Wf3CcdParameters,
  exptime: number,
  sdqflags: number,
): number {
  const scaled = referenceSection(science, dark, "DARKFILE");
  const amps = ampColumns(params, science.nx, Math.round(-science.geometry.ltv[0]));
  const factors = params.atodgain.map((g) => f(f(exptime) / g));
  let sum = 0;
  let good = 0;
  for (let j = 0; j < science.ny; j++) {
    for (let i = 0; i < science.nx; i++) {
      const k = j * science.nx + i;
      const factor = factors[amps[i]];
      scaled.sci[k] = f(scaled.sci[k] * factor);
      scaled.err[k] = f(scaled.err[k] * factor);
      if ((scaled.dq[k] & sdqflags) === 0) {
        sum += scaled.sci[k];
        good++;
      }
    }
  }
  subtractImage(science, { set: scaled, x0: 0, y0: 0 }, "DARKFILE");
  return f(good ? sum / good : 0);
}
