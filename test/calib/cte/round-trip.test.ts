import assert from "node:assert/strict";
import { test } from "node:test";
import { type CteSettings, correctAmp, forwardAmp } from "../../../src/calib/common/cte/amp.js";
import { trapModelFromProfiles } from "../../../src/calib/common/cte/trap-model.js";
import { Random } from "../../../src/sim/random.js";

// A model in the PCTETAB's shape: trap levels rising geometrically, exponential release over 60 transfers.
function settings(columns: number): CteSettings {
  const levels = Array.from({ length: 40 }, (_, w) => 2 * 1.25 ** w);
  const release = levels.map((_, w) => {
    const tau = 2 + w / 4;
    const raw = Array.from({ length: 60 }, (_, t) => Math.exp(-t / tau));
    const sum = raw.reduce((a, b) => a + b);
    return raw.map((v) => v / sum);
  });
  const flat = (v: number) => new Float64Array(columns).fill(v);
  return {
    model: trapModelFromProfiles(levels, release),
    iterations: {
      trailLength: 60,
      forwardIterations: 5,
      parallelTransfers: 7,
      fixReadoutCosmicRays: false,
      overSubtractionThreshold: -10,
    },
    scaling: {
      columns: Int32Array.from({ length: columns }, (_, k) => k),
      at512: flat(0.9),
      at1024: flat(1),
      at1536: flat(1.05),
      at2048: flat(1.1),
    },
    columnOffset: 0,
    scaleFraction: 1.5,
    readNoise: 0,
  };
}

test("property: the correction of a forward-modelled column returns the column before readout", () => {
  const random = new Random("cte round trip");
  const rows = 600;
  const columns = 12;
  const truth = new Float32Array(rows * columns);
  for (let c = 0; c < columns; c++) {
    const sky = random.uniform() * 40;
    for (let r = 0; r < rows; r++) truth[c * rows + r] = sky;
    for (let s = 0; s < 8; s++) {
      const at = c * rows + 5 + random.int(rows - 10);
      const flux = random.logUniform(20, 20000);
      truth[at - 1] += 0.2 * flux;
      truth[at] += flux;
      truth[at + 1] += 0.2 * flux;
    }
  }
  const amp = { rows, columns, sci: Float32Array.from(truth), err: new Float32Array(rows * columns).fill(1) };
  const cte = settings(columns);
  const lost = forwardAmp(amp, cte);
  let trailed = 0;
  for (let k = 0; k < truth.length; k++) trailed = Math.max(trailed, Math.abs(amp.sci[k] - truth[k]));
  assert.ok(trailed > 5, `the forward model moves charge (largest change ${trailed} e-)`);
  assert.ok(Math.abs(lost) < 1e-3 * truth.reduce((a, b) => a + b), "readout moves charge, it loses little");
  correctAmp(amp, cte);
  let worst = 0;
  for (let k = 0; k < truth.length; k++) {
    worst = Math.max(worst, Math.abs(amp.sci[k] - truth[k]) / (1 + 0.001 * truth[k]));
  }
  assert.ok(worst < 0.05, `corrected within 0.05 e- + 0.1%: worst ${worst}`);
  assert.ok(
    amp.err.every((e) => e >= 1),
    "ERR only grows",
  );
});
