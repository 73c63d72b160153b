// DOPPCORR's pieces on hand-computed values: the DISPTAB polynomial and its slope (with DELTA), the stripes'
// row boundaries (midpoints rounded half to even), the shift of one event per stripe, and the range of shifts.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  applyDoppler,
  dopplerAmplitude,
  dopplerRange,
  nuvPsaBoundaries,
  SPEED_OF_LIGHT,
  slopeAt,
  wavelengthAt,
} from "../../../src/calib/cos/doppcorr.js";
import { initialCorrtag } from "../../../src/calib/cos/events.js";

const D = { coeff: [1000, 0.5, 0.001], delta: 2 };

test("the dispersion relation: Σ COEFF[i] (x + DELTA)^i and its derivative", () => {
  // x = 8: x' = 10 → 1000 + 5 + 0.1; slope 0.5 + 2 × 0.001 × 10
  assert.ok(Math.abs(wavelengthAt(D, 8) - 1005.1) < 1e-12);
  assert.ok(Math.abs(slopeAt(D, 8) - 0.52) < 1e-15);
  assert.equal(slopeAt({ coeff: [1800, 0.04], delta: 0 }, 500), 0.04);
});

test("stripe boundaries: rounded midpoints of the B_SPECs (half to even), the WCA's NUVA closing NUVC", () => {
  assert.deepEqual(nuvPsaBoundaries({ a: 180, b: 281, c: 440, wca: 661 }), [
    [0, 230],
    [230, 360],
    [360, 550],
  ]);
  assert.deepEqual(nuvPsaBoundaries({ a: 100, b: 101, c: 102, wca: 104 }).flat(), [0, 100, 100, 102, 102, 103]);
});

test("XDOPP = XCORR − DOPPMAGV/c × λ/(dλ/dx) × sin(2π t/ORBITPER) in a stripe; XCORR outside every stripe", () => {
  const e = initialCorrtag(
    { time: Float32Array.from([100, 100]), rawx: Int16Array.from([8, 8]), rawy: Int16Array.from([50, 700]) },
    "NUV",
    "t",
  );
  const orbit = { doppmagv: 7.5, doppzero: 55000, orbitper: 5760, expstart: 55000 + 620 / 86400 };
  applyDoppler(e, [{ lower: 0, upper: 230, dispersion: D }], orbit);
  const t = 620 + 100;
  const shift = (7.5 / SPEED_OF_LIGHT) * (1005.1 / 0.52) * Math.sin((2 * Math.PI * t) / 5760);
  assert.ok(Math.abs(e.xdopp[0] - Math.fround(8 - shift)) <= 1e-6, `${e.xdopp[0]} vs ${8 - shift}`);
  assert.ok(shift > 0.03, "a shift worth testing");
  assert.equal(e.xdopp[1], 8);
});

test("the range of shifts: one sample per second of the exposure, the amplitude at the middle of NUVB", () => {
  const amplitude = dopplerAmplitude(7.5, 1850, { coeff: [1800, 0.04], delta: 0 });
  assert.equal(amplitude, (7.5 / SPEED_OF_LIGHT) * (1850 / 0.04));
  // a quarter of the orbit from the zero crossing: 0 … the full amplitude
  const quarter = dopplerRange(amplitude, { doppmagv: 7.5, doppzero: 55000, orbitper: 400, expstart: 55000 }, 100.4);
  assert.equal(quarter.min, 0);
  assert.equal(quarter.max, amplitude * Math.sin((2 * Math.PI * 99) / 400));
  assert.equal(dopplerAmplitude(7.5, 1850, { coeff: [1800, -0.04], delta: 0 }), 0);
});
