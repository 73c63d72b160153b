import assert from "node:assert/strict";
import { test } from "node:test";
import { Random } from "../../src/sim/random.js";

test("normal deviates: mean 0, variance 1, no skew, kurtosis 3, and the right 3σ and 4σ tail fractions", () => {
  const random = new Random(11);
  const n = 2_000_000;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let beyond3 = 0;
  let beyond4 = 0;
  for (let i = 0; i < n; i++) {
    const x = random.normal();
    const x2 = x * x;
    s1 += x;
    s2 += x2;
    s3 += x2 * x;
    s4 += x2 * x2;
    if (x2 > 9) beyond3++;
    if (x2 > 16) beyond4++;
  }
  // standard errors for n = 2e6: mean 7e-4, variance 1e-3, skewness 1.7e-3, kurtosis 3.5e-3
  assert.ok(Math.abs(s1 / n) < 0.004, `mean ${s1 / n}`);
  assert.ok(Math.abs(s2 / n - 1) < 0.005, `variance ${s2 / n}`);
  assert.ok(Math.abs(s3 / n) < 0.01, `third moment ${s3 / n}`);
  assert.ok(Math.abs(s4 / n - 3) < 0.03, `fourth moment ${s4 / n}`);
  // P(|x| > 3) = 2.6998e-3 (±3.7e-5 for n = 2e6), P(|x| > 4) = 6.334e-5 (±5.6e-6)
  assert.ok(Math.abs(beyond3 / n - 2.6998e-3) < 2e-4, `P(|x|>3) = ${beyond3 / n}`);
  assert.ok(Math.abs(beyond4 / n - 6.334e-5) < 3e-5, `P(|x|>4) = ${beyond4 / n}`);
});

test("uniform deviates: mean 1/2, variance 1/12; the same seed gives the same stream", () => {
  const a = new Random(5);
  const b = new Random(5);
  let s1 = 0;
  let s2 = 0;
  const n = 1_000_000;
  for (let i = 0; i < n; i++) {
    const u = a.uniform();
    assert.ok(u >= 0 && u < 1);
    s1 += u;
    s2 += u * u;
    if (i < 1000) assert.equal(b.uniform(), u);
  }
  assert.ok(Math.abs(s1 / n - 0.5) < 0.002);
  assert.ok(Math.abs(s2 / n - s1 ** 2 / n ** 2 - 1 / 12) < 0.002);
});
