/**
 * The forward model of a column's readout through charge traps (hstcal ctegen2 simulatePixelReadout_v1_2, the
 * 2023 algorithm): each trap level, from the highest charge down, captures charge from a pixel that reaches it
 * and releases it into the following pixels along the release profile. Row 0 is read out first.
 */
import { BLOCK, BLOCK_SHIFT, BlockMaxima } from "./block-maxima.js";
import { chosenCteWasm } from "./cte-wasm.js";
import type { CteIterations, TrapModel } from "./trap-model.js";

/** Per thread, reused by every transfer. */
const blocks = new BlockMaxima();

/**
 * One transfer of the readout, in place on `column` (e-). `traps` holds the column's trap density per row
 * (the trap pixel map); only its first `rows` values are used. Rows that no trap level reaches are passed over
 * a block at a time (block-maxima.ts); the values are
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
  const maxPixel = blocks.measure(column, rows, 10);
  const bound = blocks.bounds;
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

/**
 * The whole readout of a column: PCTENPAR transfers, in place, in WebAssembly (cte-wasm.ts) unless CALDP_WASM=0
 * chooses the TypeScript twin; both give the same bits.
 */
export function simulateColumnReadout(
  column: Float64Array,
  traps: Float32Array,
  model: TrapModel,
  iterations: CteIterations,
  rows: number,
): void {
  const wasm = chosenCteWasm();
  if (wasm) wasm.readout.acs(column, traps, model, iterations, rows);
  else simulateColumnReadoutTs(column, traps, model, iterations, rows);
}

/** simulateColumnReadout in TypeScript (CALDP_WASM=0). */
export function simulateColumnReadoutTs(
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
