// DOPPCORR's arithmetic (cs1 makedopp.c, doppconv.c, dodqi.c DQIHigh): the smearing function's shares, its
// mirror for a spectrum dispersed right to left, the convolution of SCI (sum), ERR (root of the sum of
// squares) and DQ (OR) with the flat's empty border, and the BPIXTAB runs widened by the shift range.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createImageSet } from "../../../src/calib/common/imset.js";
import { dopplerConvolve, dopplerDqicorr, dopplerSmearing, smearingRange } from "../../../src/calib/stis/doppler.js";

const orbit = { doppzero: 56000, doppmag: 3.4, orbitper: 5760 };

test("the smearing: one share per second of the exposure, mirrored when wavelength falls with the pixel", () => {
  // a whole orbit: every shift from −3 to +3 seen, the ±3 ends rarer than the turning points' neighbours
  const whole = dopplerSmearing(orbit, orbit.doppzero, orbit.orbitper, 1);
  assert.equal(whole.d0, 4);
  assert.equal(whole.ds.length, 9);
  assert.ok(Math.abs(whole.ds.reduce((a, v) => a + v, 0) - 1) < 1e-6);
  assert.deepEqual(smearingRange(whole.ds, whole.d0), [-3, 3]);
  // a quarter orbit after DOPPZERO: the shift falls from 0 to −DOPPMAG (dispsign +1), rises for −1
  const quarter = dopplerSmearing(orbit, orbit.doppzero, orbit.orbitper / 4, 1);
  assert.deepEqual(smearingRange(quarter.ds, quarter.d0), [-3, 0]);
  const mirrored = dopplerSmearing(orbit, orbit.doppzero, orbit.orbitper / 4, -1);
  assert.deepEqual(Array.from(mirrored.ds), Array.from(quarter.ds).reverse());
  assert.throws(() => dopplerSmearing({ ...orbit, orbitper: 0 }, 56000, 100, 1), /ORBITPER = 0/);
  assert.throws(() => dopplerSmearing({ ...orbit, doppmag: 0 }, 56000, 100, 1), /DOPPMAG = 0/);
});

test("the convolution: SCI summed, ERR in quadrature, DQ ORed, the border columns empty", () => {
  const ds = Float32Array.of(0, 0.25, 0.75);
  const set = createImageSet(6, 1, {
    sci: Float32Array.of(1, 2, 3, 4, 5, 6),
    err: Float32Array.of(4, 4, 4, 4, 4, 4),
    dq: Uint16Array.of(0, 0, 8, 0, 0, 0),
  });
  // out[i] = Σ_k x[i + 2·d0 − k]·ds[k] with d0 = 1: 0.75·x[i − 1] + 0.25·x[i]
  const plain = dopplerConvolve(set, 0, ds, 1);
  assert.deepEqual(Array.from(plain.sci), [0.25, 1.25, 2.25, 3.25, 4.25, 5.25]);
  assert.deepEqual(Array.from(plain.err), [
    1,
    Math.fround(Math.sqrt(10)),
    ...Array(4).fill(Math.fround(Math.sqrt(10))),
  ]);
  assert.deepEqual(Array.from(plain.dq), [0, 0, 8, 8, 0, 0]);
  const bordered = dopplerConvolve(set, 1, ds, 1);
  assert.deepEqual(Array.from(bordered.sci), [0, 0.5, 2.25, 3.25, 4.25, 3.75]);
  assert.deepEqual(Array.from(set.sci), [1, 2, 3, 4, 5, 6], "the reference left as it was");
});

test("the BPIXTAB runs widened by the shift range in high-res pixels, a detector-edge run kept at the edge", () => {
  const set = createImageSet(8, 2);
  const rows = [
    { PIX1: 4, PIX2: 1, LENGTH: 1, AXIS: 1, VALUE: 16 },
    { PIX1: 1, PIX2: 2, LENGTH: 1, AXIS: 1, VALUE: 4 },
  ];
  dopplerDqicorr(set, { rows, optElem: "G140L", tableSize: [8, 2], range: [-3, 2] });
  // high-res 6..7 widened to 3..9 → low-res 1..4; the edge run 0..1 widened right only, to 3 → low-res 0..1
  assert.deepEqual(Array.from(set.dq), [0, 16, 16, 16, 16, 0, 0, 0, 4, 4, 0, 0, 0, 0, 0, 0]);
  const small = createImageSet(4, 2);
  assert.throws(
    () => dopplerDqicorr(small, { rows, optElem: "G140L", tableSize: [8, 2], range: [0, 0] }),
    /not in the native engine yet/,
  );
});
