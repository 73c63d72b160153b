/**
 * UVIS DARKCORR (calibration.md §4 WF32D; hstcal wf32d/dodark.c): DARKFILE (e/s) × EXPTIME / ATODGN of the
 * pixel's amp is subtracted in DN (EXPTIME, not DARKTIME, in this version). MEANDARK is the mean of the
 * scaled dark over its pixels without serious DQ flags. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */

import { checkSectionFits } from "../common/arithmetic.js";
import type { ImageSet } from "../common/imset.js";
import type { ReferenceImage } from "../common/reference-image.js";
import { referencePlacement } from "../common/reference-image.js";
import type { Wf3CcdParameters } from "./ccdtab.js";
import { ampColumns } from "./uvis-amps.js";

const f = Math.fround;

/**
 * Subtracts the scaled dark in one pass over the reference as it lies (no scaled copy): each dark pixel is
 * rounded to float as the scaled copy would hold it, then subtracted as hstcal's sub2d does (ERR in
 * quadrature, DQ OR). `totals` (sum, count) carries MEANDARK's sums from the bands of rows before this one:
 * the mean returned is then over all the bands so far.
 */
export function subtractUvisDark(
  science: ImageSet,
  dark: ReferenceImage,
  params: Wf3CcdParameters,
  exptime: number,
  sdqflags: number,
  totals: Float64Array = Float64Array.of(0, 0),
): number {
  const place = referencePlacement(science, dark, "DARKFILE");
  checkSectionFits(science, place, "DARKFILE");
  const amps = ampColumns(params, science.nx, Math.round(-science.geometry.ltv[0]));
  const factors = Float64Array.from(params.atodgain, (g) => f(f(exptime) / g));
  const { sci, err, dq, nx, ny } = science;
  const r = place.set;
  // The sum in an array slot: a loop-carried double in a long loop entered once is boxed by V8's on-stack
  // replacement (a heap number per pixel).
  const sum = totals;
  let good = sum[1];
  for (let j = 0; j < ny; j++) {
    const row = j * nx;
    const rrow = (j + place.y0) * r.nx + place.x0;
    for (let i = 0; i < nx; i++) {
      const k = row + i;
      const kr = rrow + i;
      const factor = factors[amps[i]];
      const darkSci = f(r.sci[kr] * factor);
      const darkErr = f(r.err[kr] * factor);
      const darkDq = r.dq[kr];
      if ((darkDq & sdqflags) === 0) {
        sum[0] += darkSci;
        good++;
      }
      sci[k] = sci[k] - darkSci;
      const e = err[k];
      err[k] = Math.sqrt(f(f(e * e) + f(darkErr * darkErr)));
      dq[k] |= darkDq;
    }
  }
  sum[1] = good;
  return f(good ? sum[0] / good : 0);
}
