/**
 * DARKCORR's MEANDARK median by selection against the full sort it replaced: random arrays of odd and even
 * length, many ties, sorted and reversed input, negative values and NaN (sorted last, as a typed array sorts).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { medianOfFloats } from "../../../src/calib/stis/median-float.js";
import { mulberry32 as generator } from "../../helpers/mulberry32.js";

const f = Math.fround;

function bySort(values: Float32Array): number {
  const s = Float32Array.from(values).sort();
  const n = s.length;
  if (n < 1) return 0;
  const half = n >> 1;
  return n % 2 === 0 ? f(s[half - 1]! + s[half]!) / 2 : s[half]!;
}

test("median by selection equals the sorted median on 2000 random arrays (odd, even, ties, negatives)", () => {
  const random = generator(7);
  for (let trial = 0; trial < 2000; trial++) {
    const n = 1 + Math.floor(random() * 300);
    const levels = trial % 3 === 0 ? 5 : 1e6;
    const values = Float32Array.from({ length: n }, () => Math.floor(random() * levels) / 7 - levels / 20);
    const expected = bySort(values);
    assert.equal(medianOfFloats(Float32Array.from(values)), expected, `trial ${trial}: ${values.join(",")}`);
  }
});

test("median of ordered input, two values, one value and none", () => {
  const up = Float32Array.from({ length: 100001 }, (_, i) => i * 0.5);
  assert.equal(medianOfFloats(Float32Array.from(up)), 25000);
  assert.equal(medianOfFloats(Float32Array.from(up).reverse()), 25000);
  assert.equal(medianOfFloats(Float32Array.of(3, 1)), 2);
  assert.equal(medianOfFloats(Float32Array.of(1.5)), 1.5);
  assert.equal(medianOfFloats(new Float32Array(0)), 0);
  assert.equal(medianOfFloats(new Float32Array(1000).fill(4.25)), 4.25);
});

test("NaN sorts last, as the typed array's sort puts it", () => {
  const values = Float32Array.of(Number.NaN, 5, 1, Number.NaN, 3);
  assert.equal(medianOfFloats(Float32Array.from(values)), bySort(values));
  assert.equal(medianOfFloats(Float32Array.from(values)), 5);
});
