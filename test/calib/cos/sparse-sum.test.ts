// The sparse float32 sum TEMPCORR uses for its stim masks equals numpy's pairwise sum of the whole array (the
// dense numpySumFloat32) bit for bit, on every block structure: short, lane-sized, recursive, several 8192 blocks.
import assert from "node:assert/strict";
import { test } from "node:test";
import { sparseNumpySum } from "../../../src/calib/cos/sparse-sum.js";
import { numpySumFloat32 } from "../../../src/calib/cos/tempcorr.js";
import { Random } from "../../../src/sim/random.js";

test("sparse sum = numpy's pairwise float32 sum of the dense array, whatever the length and density", () => {
  const random = new Random("sparse-sum");
  let compared = 0;
  for (const length of [1, 5, 8, 100, 128, 129, 1000, 8192, 8193, 20000, 70001]) {
    for (const density of [0.002, 0.05, 0.5, 1]) {
      const dense = new Float32Array(length);
      const pos: number[] = [];
      for (let k = 0; k < length; k++) {
        if (random.uniform() >= density) continue;
        dense[k] = (random.uniform() - 0.3) * 10 ** (4 * random.uniform());
        pos.push(k);
      }
      const val = Float32Array.from(pos, (k) => dense[k]);
      const ours = sparseNumpySum(val, Int32Array.from(pos), length);
      const numpy = numpySumFloat32(dense);
      // a zero's sign may differ (no zero term is visited); TEMPCORR adds the sum to a position
      assert.ok(ours === numpy, `length ${length}, density ${density}: ${ours} vs ${numpy}`);
      compared++;
    }
  }
  assert.equal(compared, 44);
  assert.equal(sparseNumpySum(new Float32Array(0), new Int32Array(0), 100), 0);
});
