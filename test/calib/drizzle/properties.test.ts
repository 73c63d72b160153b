/**
 * Properties of the kernels that hold whatever the reference says: flux and weight conservation, a whole-pixel
 * shift reproducing the input, count-rate units, inputs left untouched, sinc's exactness, and the errors bad
 * arguments get.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { CalibrationError } from "../../../src/calib/common/errors.js";
import { blot } from "../../../src/calib/drizzle/blot.js";
import { createFrame, drizzle } from "../../../src/calib/drizzle/drizzle.js";
import type { DrizzleKernel } from "../../../src/calib/drizzle/types.js";
import { pixmapOf, rotation, shift, starField, weightMap } from "./scenes.js";

const W = 60;
const H = 50;
const data = starField(W, H, 5);
const weights = weightMap(W, H, 6);

function sum(a: ArrayLike<number>, b?: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * (b ? b[k] : 1);
  return s;
}

for (const [kernel, scale] of [
  ["square", 1],
  ["square", 0.8],
  ["turbo", 1],
  ["point", 1],
] as [DrizzleKernel, number][]) {
  test(`${kernel}, scale ${scale}: flux and weight conserved within 1e-6 when the input lies inside the output`, () => {
    const frame = createFrame(110, 100);
    const map = pixmapOf(W, H, rotation(17, 30, 25, 25, 25, 1 / scale));
    drizzle({ width: W, height: H, data }, weights, { width: W, height: H, xy: map }, frame, { kernel, scale });
    const fluxIn = scale * scale * sum(data, weights);
    const fluxOut = sum(frame.sci, frame.wht);
    assert.ok(Math.abs(fluxOut / fluxIn - 1) < 1e-6, `flux ${fluxOut} vs ${fluxIn}`);
    const weightOut = sum(frame.wht);
    assert.ok(Math.abs(weightOut / sum(weights) - 1) < 1e-6, `weight ${weightOut} vs ${sum(weights)}`);
    console.log(`${kernel} ${scale}: flux ${fluxOut / fluxIn - 1}, weight ${weightOut / sum(weights) - 1}`);
  });
}

for (const kernel of ["square", "turbo", "point", "tophat"] as DrizzleKernel[]) {
  test(`${kernel}: a shift by whole pixels reproduces the input, weights and context exactly`, () => {
    const frame = createFrame(W + 10, H + 8);
    const map = pixmapOf(W, H, shift(7, 5));
    drizzle({ width: W, height: H, data }, weights, { width: W, height: H, xy: map }, frame, { kernel, uniqid: 3 });
    for (let j = 0; j < H; j++) {
      for (let i = 0; i < W; i++) {
        const o = (j + 5) * (W + 10) + i + 7;
        const w = weights[j * W + i];
        assert.equal(frame.wht[o], w, `WHT at ${i},${j}`);
        assert.equal(frame.ctx[o], w > 0 ? 4 : 0, `CTX at ${i},${j}`);
        if (w > 0) assert.equal(frame.sci[o], data[j * W + i], `SCI at ${i},${j}`);
      }
    }
  });
}

test("counts input is divided by its exposure time; inputs are not modified", () => {
  const dataCopy = data.slice();
  const map = pixmapOf(W, H, rotation(10, 30, 25, 12, 9));
  const mapCopy = map.slice();
  const weightsCopy = weights.slice();
  const counts = createFrame(90, 80);
  drizzle({ width: W, height: H, data }, weights, { width: W, height: H, xy: map }, counts, {
    inUnits: "counts",
    exposureTime: 4,
  });
  const rates = createFrame(90, 80);
  const quarter = data.map((v) => Math.fround(v * Math.fround(1 / 4)));
  drizzle({ width: W, height: H, data: quarter }, weights, { width: W, height: H, xy: map }, rates);
  assert.deepEqual(counts.sci, rates.sci);
  assert.deepEqual(data, dataCopy);
  assert.deepEqual(weights, weightsCopy);
  assert.deepEqual(map, mapCopy);
});

test("sinc blot: a constant image stays constant, whole-pixel positions return the pixel, a spike lands where mapped", () => {
  const flat = new Float32Array(40 * 50).fill(5);
  const shifted = pixmapOf(30, 30, shift(10.3, 5.6));
  const out = blot(
    { width: 50, height: 40, data: flat },
    { width: 30, height: 30, xy: shifted },
    { interpolation: "sinc" },
  );
  for (const v of out) assert.ok(Math.abs(v - 5) < 5e-6, `${v}`);
  const whole = blot(
    { width: W, height: H, data },
    { width: 30, height: 30, xy: pixmapOf(30, 30, shift(11, 4)) },
    {
      interpolation: "sinc",
    },
  );
  for (let j = 0; j < 30; j++) for (let i = 0; i < 30; i++) assert.equal(whole[j * 30 + i], data[(j + 4) * W + i + 11]);
  const spike = new Float32Array(40 * 50);
  spike[20 * 50 + 25] = 100;
  const rung = blot(
    { width: 50, height: 40, data: spike },
    { width: 30, height: 30, xy: shifted },
    { interpolation: "sinc" },
  );
  let best = 0;
  for (let k = 1; k < rung.length; k++) if (rung[k] > rung[best]) best = k;
  // the spike at source (25, 20) is at output (14.7, 14.4): nearest output pixel (15, 14)
  assert.deepEqual([best % 30, Math.floor(best / 30)], [15, 14]);
});

function rejects(run: () => void, code: string, pattern: RegExp): void {
  assert.throws(run, (e: unknown) => e instanceof CalibrationError && e.code === code && pattern.test(e.message));
}

test("bad arguments: one typed error naming the cause", () => {
  const frame = createFrame(70, 60);
  const img = { width: W, height: H, data };
  const map = { width: W, height: H, xy: pixmapOf(W, H, shift(3, 3)) };
  rejects(() => drizzle(img, undefined, { ...map, width: W - 1 }, frame), "SIZE_MISMATCH", /pixel map 59×50 .* 60×50/);
  rejects(() => drizzle(img, weights.subarray(1), map, frame), "SIZE_MISMATCH", /weights hold 2999 values/);
  rejects(
    () => drizzle(img, undefined, map, frame, { kernel: "box" as DrizzleKernel }),
    "INVALID_VALUE",
    /kernel 'box'/,
  );
  rejects(() => drizzle(img, undefined, map, frame, { uniqid: 33 }), "INVALID_VALUE", /context plane 2 of 1/);
  rejects(() => drizzle(img, undefined, map, frame, { scale: 0 }), "INVALID_VALUE", /scale must be > 0/);
  const nanMap = pixmapOf(W, H, () => [Number.NaN, Number.NaN]);
  rejects(() => drizzle(img, undefined, { ...map, xy: nanMap }, frame), "NO_GOOD_DATA", /no valid pixels/);
  const holed = pixmapOf(20, 10, shift(1, 1));
  holed[2 * (3 * 20 + 4) + 1] = Number.NaN;
  rejects(() => blot(img, { width: 20, height: 10, xy: holed }), "INVALID_VALUE", /NaN .* output pixel \[4, 3\]/);
  rejects(() => blot(img, map, { interpolation: "spline3" as "poly5" }), "INVALID_VALUE", /interpolation 'spline3'/);
});

test("square kernel on a 30° rotation: the flux lands at the mapped position (1.13.4's reading shifts it 0.22 px, as its C does)", () => {
  const star = new Float32Array(41 * 41);
  star[20 * 41 + 20] = 100;
  const xy = pixmapOf(41, 41, rotation(30, 20, 20, 10, 10));
  const centroid = (interpolation: "bilinear" | "drizzle-1.13.4") => {
    const frame = createFrame(60, 60);
    drizzle({ width: 41, height: 41, data: star }, undefined, { width: 41, height: 41, xy, interpolation }, frame);
    const f = frame.sci.map((v, k) => v * frame.wht[k]);
    return [
      sum(
        f,
        f.map((_, k) => k % 60),
      ) / sum(f),
      sum(
        f,
        f.map((_, k) => Math.floor(k / 60)),
      ) / sum(f),
    ];
  };
  const [x, y] = centroid("bilinear");
  assert.ok(Math.abs(x - 30) < 1e-6 && Math.abs(y - 30) < 1e-6, `bilinear centroid ${x}, ${y}`);
  const [x4, y4] = centroid("drizzle-1.13.4");
  const shift = 0.5 * Math.sin(Math.PI / 6) * Math.cos(Math.PI / 6);
  assert.ok(Math.abs(x4 - 30 - shift) < 1e-6 && Math.abs(y4 - 30 + shift) < 1e-6, `1.13.4 centroid ${x4}, ${y4}`);
});
