/**
 * The AstroDrizzle steps' edges that the drizzlepac fingerprints do not reach: bad arguments give typed errors
 * naming the step, the DQ flag keeps the other bits, and the corner cases numcombine and skypac treat specially.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { CalibrationError } from "../../../src/calib/common/errors.js";
import { numCombine, weightMasks } from "../../../src/calib/drizzle/combine.js";
import { CR_BIT, crMask, flagCosmicRays } from "../../../src/calib/drizzle/driz-cr.js";
import { imageStats } from "../../../src/calib/drizzle/image-stats.js";
import { minMed } from "../../../src/calib/drizzle/minmed.js";
import { skyStatistic, skyValues } from "../../../src/calib/drizzle/sky.js";
import { addToStaticMask } from "../../../src/calib/drizzle/static-mask.js";

const isCalibrationError = (code: string, text: RegExp) => (e: unknown) =>
  e instanceof CalibrationError && e.code === code && text.test(e.message);

test("median: no images, nlow+nhigh rejecting all, or images of other sizes are refused", () => {
  const a = new Float32Array(6);
  assert.throws(() => numCombine([], 3, undefined), isCalibrationError("INVALID_VALUE", /no images/));
  assert.throws(
    () => numCombine([a, a], 3, undefined, { nlow: 1, nhigh: 1 }),
    isCalibrationError("INVALID_VALUE", /nlow=1 and nhigh=1 reject all 2 images/),
  );
  assert.throws(
    () => numCombine([a, new Float32Array(4)], 3, undefined),
    isCalibrationError("SIZE_MISMATCH", /6 and 4 pixels/),
  );
});

test("median: a pixel masked in every image is 0; imedian fills only each row's first pixel, as _combine.c", () => {
  const images = [Float32Array.of(5, 6, 7, 8), Float32Array.of(9, 10, 11, 12)];
  const allMasked = [Uint8Array.of(1, 1, 1, 0), Uint8Array.of(1, 1, 1, 0)];
  assert.deepEqual([...numCombine(images, 2, allMasked, { type: "median" })], [0, 0, 0, 10]);
  assert.deepEqual([...numCombine(images, 2, allMasked, { type: "imedian" })], [5, 0, 7, 10]);
  // nhigh larger than what is left unmasked shrinks until one value remains
  const oneLeft = [Uint8Array.of(0, 0, 0, 0), Uint8Array.of(1, 1, 1, 1)];
  assert.deepEqual([...numCombine(images, 2, oneLeft, { nhigh: 1 })], [5, 6, 7, 8]);
});

test("median masks: weights below maskpt × their positive mean; all-zero weights mask nothing", () => {
  const [mask, zero] = weightMasks([Float32Array.of(0, 1, 2, 3), new Float32Array(3)], 0.7);
  assert.deepEqual([...mask], [1, 1, 0, 0]); // mean of 1,2,3 is 2: limit 1.4
  assert.deepEqual([...zero], [0, 0, 0]);
});

test("driz_cr: a cosmic ray is flagged with 4096 in DQ, other bits kept; sizes must agree", () => {
  const [w, h] = [7, 7];
  const blot = new Float32Array(w * h).fill(100);
  const input = Float32Array.from(blot);
  input[3 * w + 3] = 2000;
  const mask = crMask(input, blot, w, h, { gain: 1, readNoise: 5 });
  assert.deepEqual(
    [...mask].flatMap((m, k) => (m ? [] : [k])),
    [3 * w + 3],
  );
  const dq = new Uint16Array(w * h).fill(4);
  assert.equal(flagCosmicRays(dq, mask), 1);
  assert.equal(dq[3 * w + 3], 4 | CR_BIT);
  assert.equal(dq[0], 4);
  const grown = crMask(input, blot, w, h, { gain: 1, readNoise: 5, grow: 3 });
  assert.equal([...grown].filter((m) => !m).length, 9, "grow 3 flags the 3×3 box");
  assert.throws(
    () => crMask(input, new Float32Array(5), w, h, { gain: 1, readNoise: 5 }),
    isCalibrationError("SIZE_MISMATCH", /driz_cr/),
  );
});

test("imagestats: no pixel in range is an error; a flat image has one bin and that value as its mode", () => {
  assert.throws(() => imageStats(Float32Array.of(1, 2, 3), { lower: 10 }), isCalibrationError("NO_GOOD_DATA", /10/));
  const flat = imageStats(new Float32Array(100).fill(7));
  assert.equal(flat.nbins, 1);
  assert.equal(flat.stddev, 0);
  assert.equal(flat.mode, 7);
});

test("static mask: a flat chip (one histogram bin) leaves the mask as it was", () => {
  const mask = new Int16Array(100).fill(1);
  const chip = new Float32Array(100).fill(3);
  assert.equal(addToStaticMask(mask, chip).used, false);
  assert.ok(mask.every((m) => m === 1));
});

test("sky: a chip without good pixels is skipped; an image without any sky subtracts 0 under localmin", () => {
  const data = Float32Array.from({ length: 400 }, (_, k) => 20 + (k % 7));
  const none = new Uint8Array(400);
  assert.equal(skyStatistic({ data, good: none, data2brightness: 1 }), undefined);
  const images = [[{ data, good: none, data2brightness: 1 }], [{ data, data2brightness: 2 }]];
  const local = skyValues(images, "localmin");
  assert.equal(local[0][0], 0);
  assert.ok(local[1][0] > 20 && local[1][0] < 27);
  const global = skyValues(images, "globalmin");
  assert.equal(global[0][0], global[1][0] * 2, "the same brightness, in each chip's own units");
});

test("minmed: the minimum where the median stands out of the noise, the median elsewhere; bad arguments refused", () => {
  const w = 5;
  const sky = () => new Float32Array(25).fill(1);
  const images = [sky(), sky(), sky()];
  images[0][12] = 500; // a ray in one image: the median (nhigh=1) rejects it
  images[1][12] = 400; // and in another: the median is then high, the minimum wins
  const weights = images.map(() => new Float32Array(25).fill(100));
  const input = { images, weights, readNoise: [5, 5, 5], exposureTime: [100, 100, 100], background: [0, 0, 0] };
  const out = minMed(input, w, { grow: 1, nsigma: [4, 3] });
  assert.equal(out[12], 1, "the minimum");
  assert.equal(out[0], 1);
  const masked = minMed({ ...input, masks: images.map(() => new Uint8Array(25).fill(1)) }, w);
  assert.ok(
    masked.every((v) => v === 0),
    "masked in every image: 0",
  );
  assert.throws(() => minMed(input, w, { grow: -1 }), isCalibrationError("INVALID_VALUE", /combine_grow -1/));
  assert.throws(() => minMed(input, w, { grow: 3 }), isCalibrationError("INVALID_VALUE", /larger than the image/));
  assert.throws(
    () => minMed({ ...input, weights: [] }, w),
    isCalibrationError("INVALID_VALUE", /3 images but 0 weights/),
  );
});
