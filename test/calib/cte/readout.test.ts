import assert from "node:assert/strict";
import { test } from "node:test";
import { simulateColumnReadout, simulatePixelReadout } from "../../../src/calib/common/cte/readout.js";
import { type CteIterations, trapModelFromProfiles } from "../../../src/calib/common/cte/trap-model.js";

const iterations = (over: Partial<CteIterations> = {}): CteIterations => ({
  trailLength: 3,
  forwardIterations: 1,
  parallelTransfers: 1,
  fixReadoutCosmicRays: false,
  overSubtractionThreshold: -10,
  ...over,
});
// One trap reached at 5 e-, holding 1 e-, released 0.5, 0.25, 0.25 on the transfers after capture (exact in float).
const oneTrap = trapModelFromProfiles([5], [[0.5, 0.25, 0.25]]);
const ones = (n: number) => new Float32Array(n).fill(1);

function readOut(values: number[], model = oneTrap, it = iterations(), traps = ones(values.length)): number[] {
  const column = Float64Array.from(values);
  simulateColumnReadout(column, traps, model, it, column.length);
  return [...column].map((v) => Math.round(v * 1e9) / 1e9);
}

test("a source fills the trap and the trail follows the release profile (by hand)", () => {
  assert.deepEqual(readOut([0, 0, 100, 0, 0, 0, 0]), [0, 0, 99, 0.5, 0.25, 0.25, 0]);
});

test("a second source within the trail gets back the charge still held (CPROF) and refills the trap", () => {
  // row 3: +0.25 released, +0.25 still held, −1 captured = 99.5; then a fresh trail
  assert.deepEqual(readOut([0, 100, 0, 100, 0, 0, 0]), [0, 99, 0.5, 99.5, 0.5, 0.25, 0.25]);
});

test("pixels below the trap's level neither fill nor empty it; charge is conserved", () => {
  assert.deepEqual(readOut([4.9, 4, 3, 0]), [4.9, 4, 3, 0]);
  // row 2 (6 e-) gets 0.5 + 0.5 back and loses 1 as it refills the trap; row 4 gets 0.25 + 0.25 and loses 1
  assert.deepEqual(readOut([0, 50, 6, 0, 20, 0, 0, 0, 0]), [0, 49, 6, 0.5, 19.5, 0.5, 0.25, 0.25, 0]);
});

test("two trap levels act one after the other, the higher first", () => {
  const model = trapModelFromProfiles(
    [5, 50],
    [
      [1, 0, 0],
      [0, 1, 0],
    ],
  );
  // trap 50 (1 e-): row 1 → 99, released on the 2nd transfer into row 3; trap 5: row 1 → 98, +1 into row 2.
  assert.deepEqual(readOut([0, 100, 0, 0, 0], model), [0, 98, 1, 1, 0]);
});

test("PCTENPAR transfers each capture 1/PCTENPAR of the trap", () => {
  // First pass: row 0 → 99.5, +0.5 into row 1 (release 1.0 after one transfer). Second pass: row 0 → 99, row 1
  // has 0.5 < 5 so it only receives 0.5 → 1.
  const model = trapModelFromProfiles([5], [[1, 0, 0]]);
  assert.deepEqual(readOut([100, 0, 0], model, iterations({ parallelTransfers: 2 })), [99, 1, 0]);
});

test("the trap density scales the capture, and a drop in density drops the trapped charge with it", () => {
  const traps = Float32Array.from([2, 2, 1, 1]);
  const model = trapModelFromProfiles([5], [[0.5, 0.5, 0]]);
  // row 0 captures 2; row 1 releases 1 (0.5 × 2); row 2: density halves → trapped 1, releases 0.5.
  assert.deepEqual(readOut([100, 0, 0, 0], model, iterations(), traps), [98, 1, 0.5, 0]);
});

test("one transfer leaves trap levels above the column's maximum (and above 10 e-) untouched", () => {
  const model = trapModelFromProfiles(
    [5, 20],
    [
      [1, 0, 0],
      [1, 0, 0],
    ],
  );
  const column = Float64Array.from([15, 0, 0]);
  simulatePixelReadout(column, ones(3), model, iterations(), 3);
  assert.deepEqual([...column], [14, 1, 0]);
});
