/**
 * The forward model of a column's readout through charge traps (hstcal ctegen2 simulatePixelReadout_v1_2, the
 * 2023 algorithm): each trap level, from the highest charge down, captures charge from a pixel that reaches it
 * and releases it into the following pixels along the release profile. Row 0 is read out first.
 */
import type { CteIterations, TrapModel } from "./trap-model.js";

/** Rows per block of the block maxima: a level no pixel of a block reaches skips the block in one compare. */
const BLOCK_SHIFT = 5;
const BLOCK = 1 << BLOCK_SHIFT;
/** Per thread, reused by every transfer (grown when a longer column comes). */
let blockMaxima = new Float64Array(0);

/**
 * The largest value of each block of `column` into `blockMaxima`, and the column's largest value above 10. A NaN
 * pixel is left out of both: outside a trail it neither fills nor empties a trap, so passing it over changes nothing.
 */
function measureBlocks(column: Float64Array, rows: number): number {
  const blocks = (rows + BLOCK - 1) >> BLOCK_SHIFT;
  if (blockMaxima.length < blocks) blockMaxima = new Float64Array(blocks);
  let maxPixel = 10;
  for (let b = 0; b < blocks; b++) {
    const end = Math.min(rows, (b + 1) << BLOCK_SHIFT);
    let m = column[b << BLOCK_SHIFT];
    if (m > maxPixel) maxPixel = m;
    for (let i = (b << BLOCK_SHIFT) + 1; i < end; i++) {
      const v = column[i];
      if (v > m) m = v;
      if (v > maxPixel) maxPixel = v;
    }
    blockMaxima[b] = m;
  }
  return maxPixel;
}

/**
 * One transfer of the readout, in place on `column` (e-). `traps` holds the column's trap density per row
 * (the trap pixel map); only its first `rows` values are used. Rows that no trap level reaches are passed over
 * a block at a time (`blockMaxima` holds an upper bound of each block, raised as pixels grow); the values are
 * bit-identical to visiting every row.
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
  const maxPixel = measureBlocks(column, rows);
  const bound = blockMaxima;
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
    while (first < rows && bound[first >> BLOCK_SHIFT] < level) first = ((first >> BLOCK_SHIFT) + 1) << BLOCK_SHIFT;
    while (first < rows && column[first] < level) first++;
    if (first >= rows) continue;
    let last = rows - 1;
    while (bound[last >> BLOCK_SHIFT] < level) last = (last & ~(BLOCK - 1)) - 1;
    while (column[last] < level) last--;
    const end = Math.min(rows, last + trailLength + 1);
    let transfers = trailLength;
    let trapped = 0;
    for (let i = first; i < end; i++) {
      // Once the trail is over the trap has nothing to release, and what it still holds is replaced at the next
      // capture: rows below the level change nothing until then.
      if (transfers >= trailLength && column[i] < level) {
        while (i < last && column[i] < level) {
          i++;
          if ((i & (BLOCK - 1)) === 0) while (i < last && bound[i >> BLOCK_SHIFT] < level) i += BLOCK;
        }
        if (column[i] < level) break;
      }
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
      const value = pixel + change;
      column[i] = value;
      const b = i >> BLOCK_SHIFT;
      if (value > bound[b]) bound[b] = value;
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
