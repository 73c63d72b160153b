/**
 * The WFC3/UVIS readout model of one column (hstcal wf3cte sim_colreadout_l_uvis_w, Jay Anderson's 2019
 * algorithm). It differs from ACS's ctegen2 model (calib/common/cte/readout.ts): a trap that is refilled hands
 * back its held charge (CPROF) and its release of the shift (RPROF) before filling again, the trail is always
 * 60 shifts long whatever PCTETLEN says, row 0 is never touched, the trap density is one value per pixel
 * (no SCLBYCOL) and the highest trap is found from the whole QLEV_Q column. Row 0 is read out first.
 * Algorithms follow hstcal (BSD-3-Clause, AURA); the code is this repository's own.
 */
import { BLOCK, BLOCK_SHIFT, BlockMaxima } from "../common/cte/block-maxima.js";
import { chosenCteWasm } from "../common/cte/cte-wasm.js";
import type { TrapModel } from "../common/cte/trap-model.js";

/** calwf3's trail length (_TDIM_): PCTETLEN is written to the header but never used by the 2019 algorithm. */
export const UVIS_TRAIL_LENGTH = 60;

/** Per thread, reused by every transfer. */
const blocks = new BlockMaxima();

/**
 * One of the PCTENPAR transfers of a column, in place (e-). `density` is the trap density of each row (the
 * scaled fraction of the transfers, lowered where readout cosmic rays were over-subtracted); `transfers` is
 * PCTENPAR (each transfer captures DPDE_W / PCTENPAR). Rows no level reaches are passed a block at a time
 * (block-maxima.ts), bit-identical to visiting every row.
 */
export function uvisTransfer(column: Float64Array, density: Float64Array, model: TrapModel, transfers: number): void {
  const rows = column.length;
  const { chargeLevels, trapCharges, releaseProfile, heldProfile, profileLength } = model;
  const peak = blocks.measure(column, rows, 10);
  const bound = blocks.bounds;
  // hstcal starts from trap 1 even when no trap is reachable; an empty trap changes nothing, so 0 is the same.
  let top = 0;
  for (let w = 0; w < model.trapCount; w++) if (peak >= chargeLevels[w]) top = w;
  for (let w = top; w >= 0; w--) {
    const level = chargeLevels[w];
    // Before the first pixel that fills the trap, and once its trail is over, nothing changes.
    let first = 1;
    while (first < rows && bound[first >> BLOCK_SHIFT] < level) first = ((first >> BLOCK_SHIFT) + 1) << BLOCK_SHIFT;
    while (first < rows && column[first] < level) first++;
    if (first >= rows) continue;
    let last = rows - 1;
    while (bound[last >> BLOCK_SHIFT] < level) last = (last & ~(BLOCK - 1)) - 1;
    while (column[last] < level) last--;
    const end = Math.min(rows, last + UVIS_TRAIL_LENGTH + 1);
    const capture = trapCharges[w] / transfers;
    const base = w * profileLength - 1;
    let held = 0;
    let shifts = UVIS_TRAIL_LENGTH + 1;
    for (let j = first; j < end; j++) {
      // Once the trail is over the trap holds nothing it can release, and the charge it still holds is replaced
      // at the next capture: rows below the level change nothing until then.
      if (shifts >= UVIS_TRAIL_LENGTH && column[j] < level) {
        while (j < last && column[j] < level) {
          j++;
          if ((j & (BLOCK - 1)) === 0) while (j < last && bound[j >> BLOCK_SHIFT] < level) j += BLOCK;
        }
        if (column[j] < level) break;
      }
      if (j > 1 && density[j] < density[j - 1]) held = (density[j] / density[j - 1]) * held;
      let released = 0;
      let flushed = 0;
      let grabbed = 0;
      if (column[j] >= level) {
        if (shifts < UVIS_TRAIL_LENGTH) {
          shifts++;
          released = releaseProfile[base + shifts] * held;
          flushed = heldProfile[base + shifts] * held;
        }
        held = capture * density[j];
        grabbed = held;
        shifts = 0;
      } else if (shifts < UVIS_TRAIL_LENGTH) {
        shifts++;
        released = releaseProfile[base + shifts] * held;
      }
      const value = column[j] + released + flushed - grabbed;
      column[j] = value;
      if (value > bound[j >> BLOCK_SHIFT]) bound[j >> BLOCK_SHIFT] = value;
    }
  }
}

/**
 * The whole readout: PCTENPAR transfers, in place, in WebAssembly (common/cte/cte-wasm.ts) unless CALDP_WASM=0
 * chooses the TypeScript twin; both give the same bits.
 */
export function uvisReadout(column: Float64Array, density: Float64Array, model: TrapModel, transfers: number): void {
  const wasm = chosenCteWasm();
  if (wasm) wasm.readout.uvis(column, density, model, transfers);
  else uvisReadoutTs(column, density, model, transfers);
}

/** uvisReadout in TypeScript (CALDP_WASM=0). */
export function uvisReadoutTs(column: Float64Array, density: Float64Array, model: TrapModel, transfers: number): void {
  for (let n = 0; n < transfers; n++) uvisTransfer(column, density, model, transfers);
}
