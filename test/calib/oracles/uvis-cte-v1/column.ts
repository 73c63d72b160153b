// The WF3CTE column code as it was before issue 16's speed work (commit 3f7e3be), kept as the oracle that the
// faster code must equal bit for bit. Do not optimise.
/**
 * WF3CTE's correction of one RAZ column (hstcal wf3cte sub_ctecor_v2c): PCTENFOR rounds of read-noise
 * mitigation, forward readout (PCTENPAR transfers) and subtraction of the trails it predicts from the observed
 * column, then the readout-cosmic-ray check: where a pixel ends below PCTETRSH (negative), a dip below both
 * neighbours and below its observed value, the trap density of the pixel the correction raised most among the
 * two before it is lowered by 10% and the column is done again (at most 10 times). ACS's inversion
 * (calib/common/cte/inversion.ts) differs: it smooths the whole image once and damps each step by the noise.
 */
import type { TrapModel } from "../../../../src/calib/common/cte/trap-model.js";
import { removeColumnReadNoise } from "./noise.js";
import { uvisReadout } from "./readout.js";

export interface UvisCteSettings {
  readonly model: TrapModel;
  /** PCTENFOR and PCTENPAR (the raw's values when set above 1, else the PCTETAB's). */
  readonly forwardIterations: number;
  readonly parallelTransfers: number;
  /** PCTETRSH (e-): the fix of readout cosmic rays runs only when it is negative. */
  readonly threshold: number;
  /** The raw's PCTERNOI, or the image's own estimate when that is 0 (e-). */
  readonly readNoise: number;
}

const MAX_PASSES = 10;

export interface UvisColumnScratch {
  readonly model: Float64Array;
  readonly smooth: Float64Array;
  /** The observed column's smooth part: every pass starts from it. */
  readonly observedSmooth: Float64Array;
  readonly readout: Float64Array;
  readonly noise: Float64Array;
}

export function uvisColumnScratch(rows: number): UvisColumnScratch {
  return {
    model: new Float64Array(rows),
    smooth: new Float64Array(rows),
    observedSmooth: new Float64Array(rows),
    readout: new Float64Array(rows),
    noise: new Float64Array(rows),
  };
}

/**
 * The corrected column (e-) into `scratch.model`. `observed` is the column in electrons; `density` its trap
 * densities, lowered in place by the readout-cosmic-ray fix.
 */
export function correctUvisColumn(
  observed: Float64Array,
  density: Float64Array,
  settings: UvisCteSettings,
  scratch: UvisColumnScratch,
): Float64Array {
  const rows = observed.length;
  const { model, smooth, readout, observedSmooth } = scratch;
  const threshold = settings.threshold;
  for (let pass = 1; ; pass++) {
    let done = true;
    model.set(observed);
    for (let n = 0; n < settings.forwardIterations; n++) {
      // The first iteration of every pass smooths the observed column: done once (the same values each time).
      if (n > 0) removeColumnReadNoise(model, smooth, settings.readNoise, scratch.noise);
      else if (pass > 1) smooth.set(observedSmooth);
      else {
        removeColumnReadNoise(observed, smooth, settings.readNoise, scratch.noise);
        observedSmooth.set(smooth);
      }
      readout.set(smooth);
      uvisReadout(readout, density, settings.model, settings.parallelTransfers);
      for (let j = 0; j < rows; j++) model[j] = observed[j] - (readout[j] - smooth[j]);
    }
    if (threshold < 0) {
      for (let j = 15; j <= 2060; j++) {
        const m = model[j];
        if (m < threshold && m - observed[j] < threshold && m < model[j + 1] && m < model[j - 1]) {
          let source = j;
          for (let k = j - 2; k < j; k++) {
            if (model[k] - observed[k] > model[source] - observed[source]) source = k;
          }
          if (model[source] - observed[source] > -2.5 * threshold) {
            density[source] = density[source] * 0.9;
            done = pass >= MAX_PASSES;
          }
        }
      }
    }
    if (done) return model;
  }
}
