import assert from "node:assert/strict";
import { test } from "node:test";
import {
  columnScratch,
  correctColumn,
  lowerTrapsUnderOverSubtraction,
} from "../../../src/calib/common/cte/inversion.js";
import { type CteIterations, trapModelFromProfiles } from "../../../src/calib/common/cte/trap-model.js";

const iterations = (over: Partial<CteIterations> = {}): CteIterations => ({
  trailLength: 3,
  forwardIterations: 1,
  parallelTransfers: 1,
  fixReadoutCosmicRays: false,
  overSubtractionThreshold: -10,
  ...over,
});
const oneTrap = trapModelFromProfiles([5], [[0.5, 0.25, 0.25]]);

function correct(
  observed: number[],
  it: CteIterations,
  readNoise = 0,
  traps = new Float32Array(observed.length).fill(1),
) {
  const out = correctColumn(Float64Array.from(observed), traps, oneTrap, it, readNoise, columnScratch(observed.length));
  return [...out];
}

test("one forward iteration: corrected = 2 × observed − readout(observed) (by hand)", () => {
  // readout([0, 99, 0.5, 0.25, 0.25, 0]) = [0, 98, 1, 0.5, 0.5, 0]
  assert.deepEqual(correct([0, 99, 0.5, 0.25, 0.25, 0], iterations()), [0, 100, 0, 0, 0, 0]);
});

test("damped iterations still converge to the source before readout", () => {
  // First iteration damps each change by δ²/(δ² + σ²): −1 → −0.5, 0.5 → 0.1, 0.25 → 0.0147; the last one is not damped.
  const out = correct([0, 99, 0.5, 0.25, 0.25, 0], iterations({ forwardIterations: 2 }), 1);
  const expected = [0, 100, 0, 0, 0, 0];
  for (let i = 0; i < 6; i++) assert.ok(Math.abs(out[i] - expected[i]) < 1e-12, `row ${i}: ${out[i]}`);
});

test("a column with no charge above the trap level is left as it is (also with zero read noise)", () => {
  assert.deepEqual(correct([1, 2, 3, 4], iterations({ forwardIterations: 4 })), [1, 2, 3, 4]);
});

test("FIXROCR: an over-subtracted trail lowers the trap density from the cosmic ray up to the trail (by hand)", () => {
  // A readout cosmic ray of 1000 e- at row 12 with no trail, traps of 30 e-: one iteration gives
  // row 12 = 1030, rows 13–15 = −15, −7.5, −7.5. Row 13 is below −10 and rows 13+14 below −12; the largest
  // rise in the 10 rows before is row 12, so traps 12–13 and then 12–14 are lowered by 25%.
  const observed = new Float64Array(20);
  observed[12] = 1000;
  const corrected = Float64Array.from(observed);
  corrected[12] = 1030;
  corrected[13] = -15;
  corrected[14] = -7.5;
  corrected[15] = -7.5;
  const traps = new Float32Array(20).fill(1);
  assert.equal(lowerTrapsUnderOverSubtraction(traps, corrected, observed, -10), true);
  const expected = new Array(20).fill(1);
  expected[12] = 0.5625;
  expected[13] = 0.5625;
  expected[14] = 0.75;
  assert.deepEqual([...traps], expected);
  assert.equal(lowerTrapsUnderOverSubtraction(traps, observed, observed, -10), false);
});

test("FIXROCR makes the over-subtraction of a readout cosmic ray smaller than without it", () => {
  const strong = trapModelFromProfiles([5], [[0.5, 0.25, 0.25]], [30]);
  const observed = new Float64Array(24);
  observed[12] = 1000;
  const run = (fix: boolean) => {
    const traps = new Float32Array(24).fill(1);
    const it = iterations({ fixReadoutCosmicRays: fix });
    return [...correctColumn(observed, traps, strong, it, 3, columnScratch(24))];
  };
  const without = run(false);
  const withFix = run(true);
  assert.equal(without[13], -15);
  assert.ok(withFix[13] > -10 && withFix[13] < 0, `row 13 with FIXROCR: ${withFix[13]}`);
  assert.ok(withFix[12] < without[12]);
});
