// RANDCORR's generator, GEOCORR's interpolation and the out-of-bounds border of a distorted frame, on small
// hand-made inputs: numpy itself (Debian's python3) is the oracle for the random sequence and float32 arange.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { initialCorrtag } from "../../../src/calib/cos/events.js";
import { arangeFloat32, flagOutOfBoundsGeo } from "../../../src/calib/cos/fuv-bounds-geo.js";
import { flagOutOfBounds } from "../../../src/calib/cos/fuv-segment.js";
import { type GeoImages, geocorrect } from "../../../src/calib/cos/geocorr.js";
import { NumpyRandomState } from "../../../src/calib/cos/numpy-random.js";
import { randomizeEvents } from "../../../src/calib/cos/randcorr.js";
import { PYTHON } from "../../helpers/paths.js";

const numpy = (code: string): number[] =>
  JSON.parse(execFileSync(PYTHON, ["-c", `import numpy as np, json\n${code}`], { encoding: "utf8" }));

test("numpy.random.seed(s); uniform(-0.5, 0.5, n): the same doubles, bit for bit, past the first twist", () => {
  for (const seed of [0, 1234567, 4294967295]) {
    const theirs = numpy(`np.random.seed(${seed}); print(json.dumps(np.random.uniform(-0.5, 0.5, 1300).tolist()))`);
    assert.deepEqual(Array.from(new NumpyRandomState(seed).uniform(-0.5, 0.5, 1300)), theirs, `seed ${seed}`);
  }
  assert.throws(() => new NumpyRandomState(2 ** 32), /between 0 and 2\*\*32 - 1/);
});

test("numpy.arange(start, stop, dtype=float32): the same values from a fractional start", () => {
  for (const [a, b] of [
    [0.3712345678, 16380.77],
    [-1.5, 1023.25],
  ]) {
    const theirs = numpy(`print(json.dumps(np.arange(${a}, ${b}, dtype=np.float32).astype(float).tolist()))`);
    assert.deepEqual(Array.from(arangeFloat32(a, b)), theirs);
  }
});

test("RANDCORR moves the events in the active area only, by less than half a pixel, the same for the same seed", () => {
  const raw = {
    time: Float32Array.from({ length: 6 }, (_, k) => k),
    rawx: Int16Array.from([10, 20, 30, 40, 50, 60]),
    rawy: Int16Array.from([5, 6, 7, 8, 9, 10]),
    pha: new Uint8Array(6),
  };
  const active = Uint8Array.from([1, 0, 1, 1, 0, 1]);
  const once = initialCorrtag(raw, "FUV", "t");
  const twice = initialCorrtag(raw, "FUV", "t");
  randomizeEvents(once, active, 42);
  randomizeEvents(twice, active, 42);
  assert.deepEqual(once.xcorr, twice.xcorr);
  const draws = new NumpyRandomState(42).uniform(-0.5, 0.5, 12);
  for (let k = 0; k < 6; k++) {
    const expectedX = active[k] ? Math.fround(raw.rawx[k] - draws[k]) : raw.rawx[k];
    const expectedY = active[k] ? Math.fround(raw.rawy[k] - draws[6 + k]) : raw.rawy[k];
    assert.equal(once.xcorr[k], expectedX, `XCORR of event ${k}`);
    assert.equal(once.ycorr[k], expectedY, `YCORR of event ${k}`);
  }
});

/** A 4 × 3 image binned 2 × 2 at (10, 20): dx = column index, dy = 10 × row index. */
const GEO: GeoImages = {
  x: Float32Array.from({ length: 12 }, (_, p) => p % 4),
  y: Float32Array.from({ length: 12 }, (_, p) => 10 * Math.floor(p / 4)),
  nx: 4,
  ny: 3,
  originX: 10,
  originY: 20,
  xbin: 2,
  ybin: 2,
};

test("GEOCORR: bilinear with IGEOCORR, nearest pixel without, events off the image left alone", () => {
  // detector (13, 23) is image (1.5, 1.5): dx 1.5, dy 15 bilinear; nearest rounds to (2, 2): dx 2, dy 20
  const x = Float32Array.from([13, 13, 100, 8]);
  const y = Float32Array.from([23, 23, 23, 23]);
  const [xi, yi] = [x.slice(0, 1), y.slice(0, 1)];
  geocorrect(xi, yi, GEO, true);
  assert.deepEqual([xi[0], yi[0]], [11.5, 8]);
  const [xn, yn] = [x.slice(1, 2), y.slice(1, 2)];
  geocorrect(xn, yn, GEO, false);
  assert.deepEqual([xn[0], yn[0]], [11, 3]);
  // x = 100 is image column 45, x = 8 is −1: off the image, untouched either way (−0.5 would round onto it)
  for (const interpolate of [true, false]) {
    const [xo, yo] = [x.slice(2), y.slice(2)];
    geocorrect(xo, yo, GEO, interpolate);
    assert.deepEqual(Array.from(xo), [100, 8]);
    assert.deepEqual(Array.from(yo), [23, 23]);
  }
});

test("the out-of-bounds border: a zero distortion gives calcos' rectangle; a distortion bends it", () => {
  const shape = { nx: 64, ny: 16, xOffset: 0 };
  const flat: GeoImages = { ...GEO, x: new Float32Array(12), y: new Float32Array(12), nx: 4, ny: 3, originX: 0 };
  flat.originY = 0;
  flat.xbin = 16;
  flat.ybin = 8;
  const dopp = { min: -1.4, max: 2.6 };
  const rectangle = new Int16Array(64 * 16);
  flagOutOfBounds(rectangle, shape, dopp);
  const zero = new Int16Array(64 * 16);
  flagOutOfBoundsGeo(zero, shape, dopp, [{ images: flat, interpolate: true }]);
  assert.deepEqual(zero, rectangle);
  const row5 = [0, 1, 60, 61].map((i) => zero[5 * 64 + i]);
  assert.deepEqual(row5, [128, 0, 0, 128], "shifted by the least Doppler shift, narrowed by its range");
  // a fractional frame (TEMPCORR's stim map): clear_rows rounds the left edge up, clearSubarray truncates it
  const stims = { xslope: 1, xintercept: 0.3, yslope: 1, yintercept: 0 };
  const moved = new Int16Array(64 * 16);
  flagOutOfBoundsGeo(moved, shape, dopp, [{ images: flat, interpolate: true }], stims);
  const truncated = new Int16Array(64 * 16);
  flagOutOfBounds(truncated, shape, dopp, stims);
  assert.deepEqual([moved[5 * 64 + 1], truncated[5 * 64 + 1]], [128, 0]);
  // the Y image lifts the frame by 2 rows on the right half: the bottom rows there are now out of bounds
  const lifted: GeoImages = { ...flat, y: Float32Array.from({ length: 12 }, (_, p) => (p % 4 >= 2 ? -2 : 0)) };
  const bent = new Int16Array(64 * 16);
  flagOutOfBoundsGeo(bent, shape, { min: 0, max: 0 }, [{ images: lifted, interpolate: false }]);
  assert.equal(bent[0 * 64 + 5], 0, "bottom row, left half: inside");
  assert.equal(bent[1 * 64 + 50], 128, "row 1, right half: below the lifted frame");
  assert.equal(bent[2 * 64 + 50], 0, "row 2, right half: inside");
});
