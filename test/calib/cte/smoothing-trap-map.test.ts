import assert from "node:assert/strict";
import { test } from "node:test";
import { smoothReadNoise } from "../../../src/calib/common/cte/smoothing.js";
import { cteScaleFraction, trapPixelMap } from "../../../src/calib/common/cte/trap-map.js";
import { CalibrationError } from "../../../src/calib/common/errors.js";
import { Random } from "../../../src/sim/random.js";

test("smoothing, one round by hand: a 1 e- pixel in a 3×3 image with 1 e- read noise", () => {
  // Column-major 3×3, centre (column 1, row 1) = 1. The centre is pulled towards each neighbour by
  // min(1, 0.33) × 4/(1 + 4) × 0.25 = 0.066 (twice); its neighbours above and below are pulled up by 0.066.
  // Each adjustment is applied × 0.75. Edge columns look at their own column only (all 0): no change.
  const image = new Float32Array(9);
  image[4] = 1;
  const smooth = smoothReadNoise(image, 3, 3, 1, 1);
  const expected = [0, 0, 0, 0.0495, 0.901, 0.0495, 0, 0, 0];
  for (let k = 0; k < 9; k++) assert.ok(Math.abs(smooth[k] - expected[k]) < 1e-6, `pixel ${k}: ${smooth[k]}`);
});

test("smoothing: no change when the read noise is below 0.1 or the image is flat", () => {
  const image = Float32Array.from({ length: 16 }, (_, k) => k * 7);
  assert.deepEqual(smoothReadNoise(image, 4, 4, 0.05), image);
  const flat = new Float32Array(20).fill(12.5);
  assert.deepEqual(smoothReadNoise(flat, 5, 4, 4), flat);
});

test("smoothing: the residual stays within the read noise, and a bright source keeps its value", () => {
  const random = new Random(16);
  const rows = 64;
  const columns = 32;
  const readNoise = 5;
  const image = Float32Array.from({ length: rows * columns }, () => 100 + readNoise * random.normal());
  image[10 * rows + 30] += 5000;
  const smooth = smoothReadNoise(image, rows, columns, readNoise);
  let sum = 0;
  for (let k = 0; k < image.length; k++) sum += (image[k] - smooth[k]) ** 2;
  const rms = Math.sqrt(sum / image.length);
  assert.ok(rms > 0.5 * readNoise && rms < readNoise + 1e-3, `rms ${rms}`);
  assert.ok(Math.abs(smooth[10 * rows + 30] - image[10 * rows + 30]) < 2, "the source's peak moves by < 2 e-");
});

test("trap map: column sensitivities interpolated at rows 512…2048, times (row + 1)/2048 and PCTEFRAC", () => {
  const scaling = {
    columns: Int32Array.from([3, 5, 9]),
    at512: Float64Array.from([9, 1, 9]),
    at1024: Float64Array.from([9, 2, 9]),
    at1536: Float64Array.from([9, 3, 9]),
    at2048: Float64Array.from([9, 4, 9]),
  };
  const rows = 2048;
  // Image columns 0..2 are IZ 4..6: only IZ 5 (image column 1) is in the table here.
  const map = trapPixelMap(scaling, 4, rows, 3, 0.5);
  const at = (row: number) => map[1 * rows + row];
  assert.equal(at(0), Math.fround(1 * (1 / 2048) * 0.5));
  assert.equal(at(256), Math.fround(1.5 * (257 / 2048) * 0.5));
  assert.equal(at(512), Math.fround(2 * (513 / 2048) * 0.5));
  assert.equal(at(2047), Math.fround((3 + 0.999) * 1 * 0.5)); // rows beyond 1535.5 extrapolate to 2.999
  assert.ok(map.subarray(0, rows).every((v) => v === 0));
  assert.ok(map.subarray(2 * rows).every((v) => v === 0));
});

test("time scaling: PCTEFRAC from EXPSTART and the table's dates; an exposure before CTEDATE0 is refused", () => {
  assert.equal(cteScaleFraction(54000, 52335, 56335, "x"), (54000 - 52335) / 4000);
  assert.equal(cteScaleFraction(56335, 52335, 56335, "x"), 1);
  assert.throws(
    () => cteScaleFraction(52000, 52335, 56335, "PCTETAB t.fits extension QPROF,1"),
    (e: unknown) =>
      e instanceof CalibrationError && /t\.fits extension QPROF,1.*EXPSTART 52000.*CTEDATE0 52335/.test(e.message),
  );
  assert.throws(() => cteScaleFraction(53000, 52335, 52335, "x"), CalibrationError);
});
