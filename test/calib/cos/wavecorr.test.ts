// WAVECORR without a wavecal on hand-computed cases: the WCA rows, XFULL/YFULL from constant stripe shifts
// (single precision), the slices' shift ranges, wavelengths by YFULL at XFULL in single precision, DPIXEL1.
import assert from "node:assert/strict";
import { test } from "node:test";
import { wavelengthAt } from "../../../src/calib/cos/doppcorr.js";
import { initialCorrtag } from "../../../src/calib/cos/events.js";
import {
  applyWavecalShifts,
  computeWavelengths,
  meanFractionalPixel,
  nuvWcaBoundaries,
  wavecalSlices,
  wavelengthF32,
} from "../../../src/calib/cos/wavecorr.js";

const ROWS = {
  psa: [
    [0, 230],
    [230, 360],
    [360, 550],
  ] as [number, number][],
  wca: nuvWcaBoundaries({ c: 440, wcaA: 660, wcaB: 760, wcaC: 920 }, 1024),
};

test("WCA rows: from the PSA NUVC / WCA NUVA midpoint up, the last to the top of the detector", () => {
  assert.deepEqual(ROWS.wca, [
    [550, 710],
    [710, 840],
    [840, 1024],
  ]);
});

function events() {
  const e = initialCorrtag(
    {
      time: Float32Array.from([0, 1, 2, 3, 4]),
      rawx: Int16Array.from([100, 100, 100, 100, 100]),
      rawy: Int16Array.from([10, 300, 545, 700, 1000]),
    },
    "NUV",
    "t",
  );
  e.xdopp.set([100.3, 99.9, 100.1, 100, 100.2]);
  return e;
}

test("XFULL = XDOPP − the stripe's shift in PSA and WCA rows (float32); YFULL = YCORR − SHIFT2", () => {
  const e = events();
  applyWavecalShifts(e, ROWS, [-3.25, -3.5, 1.1], 0);
  const f = Math.fround;
  assert.deepEqual(Array.from(e.xfull), [
    f(f(100.3) + 3.25),
    f(f(99.9) + 3.5),
    f(f(100.1) - f(1.1)),
    f(f(100) + 3.25),
    f(f(100.2) - f(1.1)),
  ]);
  assert.deepEqual(Array.from(e.yfull), [10, 300, 545, 700, 1000]);
  const slices = wavecalSlices(e, ROWS);
  assert.equal(slices.length, 6);
  assert.deepEqual(
    slices.map((s) => [s.lower, s.upper, s.min1, s.max1]),
    [
      [0, 230, f(f(100.3) - e.xfull[0]), f(f(100.3) - e.xfull[0])],
      [230, 360, f(f(99.9) - e.xfull[1]), f(f(99.9) - e.xfull[1])],
      [360, 550, f(f(100.1) - e.xfull[2]), f(f(100.1) - e.xfull[2])],
      [550, 710, f(100 - e.xfull[3]), f(100 - e.xfull[3])],
      [710, 840, 0, 0],
      [840, 1024, f(f(100.2) - e.xfull[4]), f(f(100.2) - e.xfull[4])],
    ],
  );
});

test("wavelengths: the PSA or WCA relation of the stripe whose rows hold YFULL, in single precision", () => {
  const e = events();
  applyWavecalShifts(e, ROWS, [0, 0, 0], 0);
  const psa = { coeff: [1800, 0.037, 1e-7], delta: 0.5 };
  const wca = { coeff: [1700, 0.037], delta: 0 };
  const relations = [0, 1, 2].map((s) => ({ psa: { ...psa, coeff: [1800 + 40 * s, 0.037, 1e-7] }, wca }));
  computeWavelengths(e, ROWS, relations);
  assert.equal(e.wavelength[1], wavelengthF32(relations[1].psa, e.xfull[1]));
  assert.equal(e.wavelength[3], wavelengthF32(wca, e.xfull[3]));
  assert.ok(Math.abs(e.wavelength[0] - wavelengthAt(relations[0].psa, e.xfull[0])) < 2e-4);
  // the float32 evaluation is not the float64 one
  const x = Math.fround(512.37);
  assert.notEqual(wavelengthF32(psa, x), wavelengthAt(psa, x));
  assert.equal(wavelengthF32(psa, x), Math.fround(wavelengthF32(psa, x)));
});

test("DPIXEL1: mean of XFULL − round(XFULL) (half to even) over the stripe's PSA events", () => {
  const e = events();
  e.xfull.set([100.25, 99.5, 0, 0, 0]);
  e.ycorr.set([10, 20, 300, 300, 300]);
  assert.equal(meanFractionalPixel(e, [0, 230]), (0.25 + (99.5 - 100)) / 2);
  assert.equal(meanFractionalPixel(e, [600, 700]), 0);
});
