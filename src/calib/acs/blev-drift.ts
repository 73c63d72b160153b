/**
 * Drift of the bias level along rows, from the virtual overscan (calibration.md §2.5; hstcal
 * blevdrift.c): only the slope of a line fitted to the column medians is kept, with its zero at the
 * middle of the bias section. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */

import { type BiasSections, isGoodOverscanPixel } from "../common/blev-rows.js";
import { CalibrationError } from "../common/errors.js";
import type { ImageSet } from "../common/imset.js";
import { fitLine, LineFitSums } from "../common/line-fit.js";
import { medianOfDoubles } from "../common/median.js";

export interface DriftFit {
  slope: number;
  zeroColumn: number;
  /** True when a slope was fitted (BLEVCORR "includes correction for drift along lines"). */
  corrected: boolean;
}

export function driftAt(fit: DriftFit, column: number): number {
  return (column - fit.zeroColumn) * fit.slope;
}

/** vx, vy: 0-based inclusive virtual-overscan box; sections[0..1]: the bias section used for the amp. */
export function fitDrift(
  set: ImageSet,
  vx: readonly [number, number],
  vy: readonly [number, number],
  sections: BiasSections,
  sdqflags: number,
): DriftFit {
  const zeroColumn = (sections[0] + sections[1]) / 2;
  if (vx[1] <= vx[0] || vy[1] <= vy[0]) return { slope: 0, zeroColumn, corrected: false };
  if (vx[0] < 0 || vy[0] < 0 || vx[1] >= set.nx || vy[1] >= set.ny) {
    throw new CalibrationError("INVALID_VALUE", `virtual overscan box ${vx} x ${vy} is outside the image`);
  }
  const middle = Math.trunc((vx[0] + vx[1]) / 2);
  const sums = new LineFitSums();
  for (let i = vx[0]; i <= vx[1]; i++) {
    const column: number[] = [];
    for (let j = vy[0]; j <= vy[1]; j++) {
      const k = j * set.nx + i;
      if (isGoodOverscanPixel(set.dq[k], sdqflags)) column.push(set.sci[k]);
    }
    if (column.length > 0) sums.add(i - middle, medianOfDoubles(column));
  }
  const line = fitLine(sums, (d) => d === 0);
  return line ? { slope: line.slope, zeroColumn, corrected: true } : { slope: 0, zeroColumn, corrected: false };
}
