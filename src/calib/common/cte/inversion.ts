/**
 * The CTE correction of a column: the forward readout model iterated and inverted (hstcal ctegen2
 * inverseCTEBlur), with the read-noise damping of each adjustment and the readout-cosmic-ray fix (FIXROCR).
 */
import { chosenCteWasm } from "./cte-wasm.js";
import { simulateColumnReadoutTs } from "./readout.js";
import type { CteIterations, TrapModel } from "./trap-model.js";

/** Work arrays for one column, allocated once per worker and reused for every column. */
export interface ColumnScratch {
  readonly model: Float64Array;
  readonly previous: Float64Array;
}

export function columnScratch(rows: number): ColumnScratch {
  return { model: new Float64Array(rows), previous: new Float64Array(rows) };
}

/** hstcal gives up lowering the trap density of a column after this many passes. */
const MAX_PASSES = 5;

/**
 * The column as it was before readout, into `scratch.model`. `observed` is the (smoothed) column read out;
 * `traps` its trap densities, lowered in place where FIXROCR finds over-subtracted readout cosmic rays.
 * `readNoise` (e-) damps adjustments comparable with it, except in the last iteration, as hstcal does.
 * The whole inversion runs in WebAssembly (cte-wasm.ts) unless CALDP_WASM=0 chooses correctColumnTs; same bits.
 */
export function correctColumn(
  observed: Float64Array,
  traps: Float32Array,
  model: TrapModel,
  iterations: CteIterations,
  readNoise: number,
  scratch: ColumnScratch,
): Float64Array {
  const wasm = chosenCteWasm();
  if (!wasm) return correctColumnTs(observed, traps, model, iterations, readNoise, scratch);
  wasm.readout.acsCorrect(observed, traps, model, iterations, readNoise, scratch.model);
  return scratch.model;
}

/** correctColumn in TypeScript (CALDP_WASM=0). */
export function correctColumnTs(
  observed: Float64Array,
  traps: Float32Array,
  model: TrapModel,
  iterations: CteIterations,
  readNoise: number,
  scratch: ColumnScratch,
): Float64Array {
  const rows = observed.length;
  const { model: estimate, previous } = scratch;
  const readNoise2 = readNoise * readNoise;
  for (let pass = 1; ; pass++) {
    estimate.set(observed);
    for (let n = 1; n < iterations.forwardIterations; n++) {
      previous.set(estimate);
      simulateColumnReadoutTs(estimate, traps, model, iterations, rows);
      for (let i = 0; i < rows; i++) {
        let delta = estimate[i] - observed[i];
        const delta2 = delta * delta;
        // hstcal divides 0 by 0 when the read noise is 0 and a pixel needs no change; that pixel keeps its value.
        if (delta2 !== 0 || readNoise2 !== 0) delta *= delta2 / (delta2 + readNoise2);
        estimate[i] = previous[i] - delta;
      }
    }
    previous.set(estimate);
    simulateColumnReadoutTs(estimate, traps, model, iterations, rows);
    for (let i = 0; i < rows; i++) estimate[i] = previous[i] - (estimate[i] - observed[i]);
    const redo =
      iterations.fixReadoutCosmicRays &&
      lowerTrapsUnderOverSubtraction(traps, estimate, observed, iterations.overSubtractionThreshold);
    if (!redo || pass >= MAX_PASSES) return estimate;
  }
}

/**
 * Finds trails over-subtracted by the correction (one pixel below the threshold, two summing below -12 e-, three
 * below -15 e-, each also below the observed values), and lowers by 25% the trap density from the pixel the
 * correction raised most in the 10 rows before (the readout cosmic ray) up to the trail. True if any was found.
 */
export function lowerTrapsUnderOverSubtraction(
  traps: Float32Array,
  corrected: Float64Array,
  observed: Float64Array,
  threshold: number,
): boolean {
  const rows = corrected.length;
  let found = false;
  for (let i = 10; i < rows - 2; i++) {
    const c0 = corrected[i];
    const c1 = c0 + corrected[i + 1];
    const c2 = c1 + corrected[i + 2];
    const d0 = c0 - observed[i];
    const d1 = c1 - observed[i] - observed[i + 1];
    const d2 = c2 - observed[i] - observed[i + 1] - observed[i + 2];
    if ((threshold > c0 && threshold > d0) || (c1 < -12 && d1 < -12) || (c2 < -15 && d2 < -15)) {
      found = true;
      let source = i;
      for (let k = i - 10; k <= i; k++) {
        if (corrected[k] - observed[k] > corrected[source] - observed[source]) source = k;
      }
      for (let k = source; k <= i; k++) traps[k] *= 0.75;
    }
  }
  return found;
}
