// The stretch, geometry and blank rules of the appendix of caldp-contract.md, checked on constructed images
// whose limits and grey levels are worked out by hand from the appendix formulas.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Header } from "../../src/fits/index.js";
import {
  autoscaleLimits,
  blankOut,
  blankRuleOf,
  blockAverage,
  greyImage,
  greyLevel,
  HISTOGRAM_BINS,
  renderGrey,
  thumbnailGeometry,
} from "../../src/previews/index.js";

const N = HISTOGRAM_BINS;

/** The appendix's mapping in plain double arithmetic: trunc(clip(255·min(asinh(3t)/3, 1)/0.7, 0, 255)). */
function appendixGrey(x: number, min: number, max: number): number {
  if (Number.isNaN(x)) return 255;
  const t = (x - min) / (max - min);
  const y = Math.min(Math.asinh(3 * t) / 3, 1);
  return Math.trunc(Math.min(255, Math.max(0, (255 * y) / 0.7)));
}

function compareWithAppendix(data: Float32Array, width: number, height: number, min: number, max: number) {
  const grey = greyImage(data, width, height, { min, max });
  let exact = 0;
  for (let row = 0; row < height; row++) {
    for (let i = 0; i < width; i++) {
      const expected = appendixGrey(data[(height - 1 - row) * width + i], min, max);
      const got = grey[row * width + i];
      assert.ok(Math.abs(got - expected) <= 1, `pixel ${i},${row}: ${got} vs ${expected}`);
      if (got === expected) exact++;
    }
  }
  // Single-precision rounding (as fitscut stores floats) may move a value sitting on a level boundary by 1.
  assert.ok(exact >= 0.999 * width * height, `${exact} of ${width * height} exact`);
}

test("a ramp 1…10000: 0.5 % cuts at bin resolution, then the noise guard raises max (uniform = noise-like)", () => {
  const data = new Float32Array(10000);
  for (let k = 1; k <= 10000; k++) data[(k * 7919) % 10000] = k; // every value once, shuffled
  const step = (10000 - 1) / (N - 1);
  // 50 = 0.5 % of 10000 pixels; the 51st value from each end decides the cut bins.
  const ll = Math.ceil((51 - 1) / step);
  const hh = Math.ceil((9950 - 1) / step);
  const min = step * (ll - 1) + 1;
  const highCut = step * hh + 1;
  // The median bin is where the count passes 5000: value 5001; median at the bin's centre (mm − 0.5).
  const median = step * (Math.ceil((5001 - 1) / step) - 0.5) + 1;
  assert.ok(median + 5 * (median - min) > highCut, "uniform data trigger the guard");
  const limits = autoscaleLimits(data);
  assert.equal(limits.min, min);
  assert.equal(limits.max, median + 5 * (median - min));
  compareWithAppendix(data, 100, 100, limits.min, limits.max);
});

test("a cubic ramp: the cuts are the 0.5 % and 99.5 % points and the guard stays off", () => {
  const data = new Float32Array(10000);
  for (let k = 1; k <= 10000; k++) data[(k * 7919) % 10000] = k ** 3;
  const vmax = Math.fround(1e12);
  const step = (vmax - 1) / (N - 1);
  // The first bin above the minimum already holds 271 values (k³ ≤ step + 1): the low cut is the minimum.
  const expectedMin = step * (1 - 1) + 1;
  const expectedMax = step * Math.ceil((Math.fround(9950 ** 3) - 1) / step) + 1;
  const limits = autoscaleLimits(data);
  assert.equal(limits.min, expectedMin);
  assert.equal(limits.max, expectedMax);
  compareWithAppendix(data, 100, 100, limits.min, limits.max);
  // The low cut is black; at the high cut t = 1 gives trunc(255·asinh(3)/3/0.7) = 220; white needs t ≥ 1.35.
  const grey = greyImage(data, 100, 100, limits);
  const byValue = (k: number) =>
    grey[(99 - Math.floor(((k * 7919) % 10000) / 100)) * 100 + (((k * 7919) % 10000) % 100)];
  assert.equal(byValue(1), 0);
  assert.equal(byValue(10000), appendixGrey(Math.fround(1e12), limits.min, limits.max));
  assert.ok(byValue(10000) > 220 && byValue(10000) < 255);
  assert.equal(appendixGrey(expectedMax, limits.min, limits.max), Math.trunc((255 * (Math.asinh(3) / 3)) / 0.7));
});

test("blank pixels (0.0, NaN) stay out of the scale and are white; GOODMIN < 0 blanks out-of-range pixels", () => {
  const data = new Float32Array(100).map((_, i) => 10 + (i % 10));
  data[5] = 0;
  data[6] = Number.NaN;
  data[7] = 1e9; // outside GOODMAX below
  const header = new Header().set("GOODMIN", -5).set("GOODMAX", 1000);
  assert.deepEqual(blankRuleOf(header), { value: 0, low: -5, high: 1000 });
  assert.deepEqual(blankRuleOf(new Header().set("GOODMIN", 1121)), { value: 0 }, "GOODMIN ≥ 0 is ignored");
  assert.equal(blankOut(data, blankRuleOf(header)), 3);
  const preview = renderGrey({ width: 10, height: 10, data }, -1);
  assert.equal(preview.limits.max >= 19 && preview.limits.max < 1000, true, "blanks do not drive max");
  assert.ok(preview.limits.min >= 9.9, "the 0.0 pixel does not drive min");
  // Pixel i lies in FITS row floor(i/10) → picture row 9 − floor(i/10).
  for (const i of [5, 6, 7]) assert.equal(preview.grey[(9 - Math.floor(i / 10)) * 10 + (i % 10)], 255);
});

test("orientation: FITS row 1 is the last picture row", () => {
  const width = 20;
  const height = 10;
  const data = new Float32Array(width * height).fill(100);
  for (let i = 0; i < width; i++) data[i] = 5000; // FITS row 1
  const grey = greyImage(data, width, height, { min: 100, max: 5000 });
  assert.equal(grey[(height - 1) * width], greyLevel(5000, { min: 100, max: 5000 }));
  assert.ok(grey[(height - 1) * width] > 200);
  assert.equal(grey[0], 0, "the top of the picture is the last FITS row");
});

test("DQ-flagged pixels do not drive the scale", () => {
  const width = 100;
  const data = new Float32Array(width * width);
  const masked = new Uint8Array(width * width);
  for (let i = 0; i < data.length; i++) data[i] = 100 + ((i * 37) % 50);
  const clean = autoscaleLimits(data);
  for (let i = 0; i < data.length; i += 20) {
    data[i] = 1e6; // 5 % hot pixels: more than the 0.5 % the cut would absorb
    masked[i] = 1;
  }
  const unmasked = autoscaleLimits(data);
  const withMask = autoscaleLimits(data, masked);
  assert.ok(unmasked.max > 1e5, "unmasked, the hot pixels set the top of the scale");
  assert.ok(withMask.max < 1000, `masked, they do not (max ${withMask.max})`);
  assert.ok(Math.abs(withMask.min - clean.min) < 1);
});

test("thumbnail geometry: 1062×1044 → 133×131 → 128×126; small images are resampled only", () => {
  assert.deepEqual(thumbnailGeometry(1062, 1044, 128), {
    pixfac: 8,
    reduced: { width: 133, height: 131 },
    output: { width: 128, height: 126 },
  });
  assert.deepEqual(thumbnailGeometry(200, 100, 128).output, { width: 128, height: 64 });
  assert.equal(thumbnailGeometry(200, 100, 128).pixfac, 1);
  assert.deepEqual(thumbnailGeometry(4096, 4096, 128).reduced, { width: 128, height: 128 });
});

test("block average skips blank pixels; an all-blank block stays blank", () => {
  const data = new Float32Array([1, 2, 9, Number.NaN, 3, Number.NaN, Number.NaN, Number.NaN, 5, 5, 5, 5]);
  // 4×3 image, pixfac 2 → 2×2: blocks (1,2,3) (9) (5,5) (5,5)
  const out = blockAverage({ width: 4, height: 3, data }, 2);
  assert.equal(out.width, 2);
  assert.equal(out.height, 2);
  assert.deepEqual(Array.from(out.data), [2, 9, 5, 5]);
  const blank = blockAverage({ width: 2, height: 2, data: new Float32Array(4).fill(Number.NaN) }, 2);
  assert.ok(Number.isNaN(blank.data[0]));
});

test("the threshold lookup gives exactly the per-pixel evaluation", () => {
  const limits = { min: 1130.0181403628073, max: 4429.369207384148 };
  const data = new Float32Array(20000);
  for (let i = 0; i < data.length; i++) data[i] = Math.fround(900 + i * 0.31 + (i % 7) * 1e-3);
  const grey = greyImage(data, 200, 100, limits);
  for (let row = 0; row < 100; row++) {
    for (let i = 0; i < 200; i++) assert.equal(grey[row * 200 + i], greyLevel(data[(99 - row) * 200 + i], limits));
  }
});

test("the lookup stays exact where grey levels share a threshold (a scale finer than float32 spacing)", () => {
  // Near 1000 float32 steps are 6.1e-5, so the 255 levels of this scale fall on a few dozen values.
  const limits = { min: 1000, max: 1000.0005 };
  const specials = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 3e38, -3e38, 0];
  const data = Float32Array.from({ length: 4000 }, (_, i) =>
    i < specials.length ? specials[i] : 1000 + (i - 2000) * 3e-6,
  );
  const grey = greyImage(data, 80, 50, limits);
  const levels = new Set<number>();
  for (let row = 0; row < 50; row++) {
    for (let i = 0; i < 80; i++) {
      const expected = greyLevel(data[(49 - row) * 80 + i], limits);
      assert.equal(grey[row * 80 + i], expected, `pixel ${i},${row}`);
      levels.add(expected);
    }
  }
  assert.ok(levels.size > 5 && levels.size < 100, `${levels.size} distinct levels`);
});
