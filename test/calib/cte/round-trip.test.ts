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

test("columns are independent after the smoothing: correcting some columns gives them the values of a full run", () => {
  const random = new Random("cte columns");
  const rows = 300;
  const columns = 10;
  const sci = Float32Array.from({ length: rows * columns }, () => 30 + 4 * random.normal());
  for (let c = 0; c < columns; c++) sci[c * rows + 50 + 20 * c] += 3000;
  const cte = { ...settings(columns), readNoise: 4 };
  const whole = { rows, columns, sci: Float32Array.from(sci), err: new Float32Array(sci.length).fill(4) };
  const part = { rows, columns, sci: Float32Array.from(sci), err: new Float32Array(sci.length).fill(4) };
  correctAmp(whole, cte);
  correctAmp(part, cte, [2, 7]);
  for (const c of [2, 7]) {
    assert.deepEqual(part.sci.subarray(c * rows, (c + 1) * rows), whole.sci.subarray(c * rows, (c + 1) * rows));
    assert.deepEqual(part.err.subarray(c * rows, (c + 1) * rows), whole.err.subarray(c * rows, (c + 1) * rows));
  }
  assert.deepEqual(part.sci.subarray(0, rows), sci.subarray(0, rows), "the other columns keep their values");
  assert.notDeepEqual(whole.sci.subarray(0, rows), sci.subarray(0, rows));
});
