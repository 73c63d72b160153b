// ACS's CTE readout before issue 16's speed work (commit 3f7e3be): the oracle. Do not optimise.
/**
 * The forward model of a column's readout through charge traps (hstcal ctegen2 simulatePixelReadout_v1_2, the
 * 2023 algorithm): each trap level, from the highest charge down, captures charge from a pixel that reaches it
 * and releases it into the following pixels along the release profile. Row 0 is read out first.
 */
import type { CteIterations, TrapModel } from "../../../../src/calib/common/cte/trap-model.js";

/**
 * One transfer of the readout, in place on `column` (e-). `traps` holds the column's trap density per row
 * (the trap pixel map); only its first `rows` values are used.
 */
export function simulatePixelReadout(
  column: Float64Array,
  traps: Float32Array,
  model: TrapModel,
  iterations: CteIterations,
  rows: number,
): void {
  const { chargeLevels, trapCharges, releaseProfile, heldProfile, profileLength } = model;
  const trailLength = iterations.trailLength;
  const perTransfer = iterations.parallelTransfers;
  let maxPixel = 10;
  for (let i = 0; i < rows; i++) if (column[i] > maxPixel) maxPixel = column[i];
  // The highest trap a pixel of this column can reach; traps above it never fill.
  let top = model.trapCount - 1;
  for (let w = top; w >= 0; w--) {
    if (chargeLevels[w] <= maxPixel) {
      top = w;
      break;
    }
  }
  for (let w = top; w >= 0; w--) {
    const level = chargeLevels[w];
    const capacity = trapCharges[w] / perTransfer;
    const base = w * profileLength - 1;
    // Nothing happens before the first pixel that reaches the trap, nor after the trail of the last one.
    let first = 0;
    while (first < rows && column[first] < level) first++;
    if (first === rows) continue;
    let last = rows - 1;
    while (column[last] < level) last--;
    const end = Math.min(rows, last + trailLength + 1);
    let transfers = trailLength;
    let trapped = 0;
    for (let i = first; i < end; i++) {
      const pixel = column[i];
      const inTrail = transfers < trailLength;
      if (i > 0 && traps[i] < traps[i - 1]) trapped *= traps[i] / traps[i - 1];
      let change = 0;
      if (pixel >= level) {
        if (inTrail) {
          transfers++;
          change = releaseProfile[base + transfers] * trapped + heldProfile[base + transfers] * trapped;
        }
        trapped = capacity * traps[i];
        change -= trapped;
        transfers = 0;
      } else if (inTrail) {
        transfers++;
        change = releaseProfile[base + transfers] * trapped;
      }
      column[i] += change;
    }
  }
}

/** The whole readout of a column: PCTENPAR transfers, in place. */
export function simulateColumnReadout(
  column: Float64Array,
  traps: Float32Array,
  model: TrapModel,
  iterations: CteIterations,
  rows: number,
): void {
  for (let shift = 0; shift < iterations.parallelTransfers; shift++) {
    simulatePixelReadout(column, traps, model, iterations, rows);
  }
}
