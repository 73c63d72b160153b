import assert from "node:assert/strict";
import { test } from "node:test";
import { ampLayout, ampSlotAt, SLOT_A, SLOT_B, SLOT_C, SLOT_D } from "../../src/calib/acs/amps.js";
import { convertToElectrons } from "../../src/calib/acs/gain.js";
import { CalibrationError } from "../../src/calib/common/errors.js";
import { imageOf, pixel } from "./acs-fixtures.js";

type Four = [number, number, number, number];
const params = (ampx: number, ampy: number, atodgain: Four, readnoise: Four = [1, 2, 3, 4]) => ({
  ampx,
  ampy,
  atodgain,
  readnoise,
});

test("amps: WFC chip 2 puts its amps C/D into slots A/B; AMPX moves right by a positive LTV1 (prescan)", () => {
  // Raw 10-column line with one prescan column (LTV1 = 1): CCDTAB AMPX = 4 in trimmed pixels → column 5.
  const layout = ampLayout("WFC", 2, params(4, 0, [0, 0, 1.5, 2.5]), 10, 8, [1, 0]);
  assert.equal(layout.ampx, 5);
  assert.equal(layout.ampy, 0);
  assert.deepEqual(layout.gain, [1.5, 2.5, 1.5, 2.5]);
  assert.deepEqual(layout.readnoise, [3, 4, 3, 4]);
  assert.equal(ampSlotAt(layout, 4, 0), SLOT_A);
  assert.equal(ampSlotAt(layout, 5, 7), SLOT_B);
});

test("amps: AMPX reaching the trailing overscan covers the whole line (ampx >= nx - LTV1 → nx)", () => {
  // 8 + 1 = 9 >= 10 - 1: the second amp would only own overscan, so the first amp gets everything.
  assert.equal(ampLayout("WFC", 1, params(8, 0, [2, 2, 0, 0]), 10, 8, [1, 0]).ampx, 10);
  // A negative (subarray) LTV1 does not move AMPX (hstcal uses max(LTV1, 0)).
  assert.equal(ampLayout("WFC", 1, params(4, 0, [2, 2, 0, 0]), 10, 8, [-3, -2]).ampx, 4);
});

test("amps: single-amp HRC uses slot B everywhere with the gain of the amp that read it", () => {
  const layout = ampLayout("HRC", 1, params(0, 0, [0, 0, 1.7, 0], [0, 0, 4.5, 0]), 10, 8, [2, 0]);
  assert.equal(layout.ampx, 0);
  assert.equal(layout.ampy, 0);
  assert.equal(layout.gain[SLOT_B], 1.7);
  assert.equal(layout.readnoise[SLOT_B], 4.5);
  assert.equal(ampSlotAt(layout, 9, 7), SLOT_B);
});

test("amps: HRC diagonal readouts duplicate values (BC → C B C B, AD → A D A D); ABCD uses rows < AMPY for C/D", () => {
  assert.deepEqual(ampLayout("HRC", 1, params(5, 4, [0, 2, 3, 0]), 10, 8, [0, 0]).gain, [3, 2, 3, 2]);
  assert.deepEqual(ampLayout("HRC", 1, params(5, 4, [1, 0, 0, 4]), 10, 8, [0, 0]).gain, [1, 4, 1, 4]);
  const quad = ampLayout("HRC", 1, params(5, 4, [1, 2, 3, 4]), 10, 8, [0, 0]);
  assert.deepEqual(
    [ampSlotAt(quad, 0, 0), ampSlotAt(quad, 5, 3), ampSlotAt(quad, 4, 4), ampSlotAt(quad, 9, 7)],
    [SLOT_C, SLOT_D, SLOT_A, SLOT_B],
  );
});

test("gain: SCI and ERR × the gain of each quadrant; ATODGN*/READNSE* and BUNIT reported", () => {
  // WFC chip 1, amps A|B split at column 2 of a 4x2 image: gains 2 and 1.5.
  const set = imageOf(4, 2, () => 10, { err: 3 });
  const p = params(2, 0, [2, 1.5, 0, 0], [4, 5, 0, 0]);
  const layout = ampLayout("WFC", 1, p, 4, 2, [0, 0]);
  const result = convertToElectrons(set, layout, p);
  assert.deepEqual([...set.sci], [20, 20, 15, 15, 20, 20, 15, 15]);
  assert.deepEqual([...set.err], [6, 6, 4.5, 4.5, 6, 6, 4.5, 4.5]);
  assert.equal(result.bunit, "ELECTRONS");
  assert.deepEqual(result.primary, {
    ATODGNA: 2,
    ATODGNB: 1.5,
    ATODGNC: 0,
    ATODGND: 0,
    READNSEA: 4,
    READNSEB: 5,
    READNSEC: 0,
    READNSED: 0,
  });
});

test("gain: float product, rounded like C (0.1 DN × 1.1 e/DN in float32)", () => {
  const set = imageOf(1, 1, () => 0.1);
  const p = params(0, 0, [0, Math.fround(1.1), 0, 0]);
  convertToElectrons(set, ampLayout("HRC", 1, p, 1, 1, [0, 0]), p);
  assert.equal(pixel(set, 0, 0), Math.fround(Math.fround(0.1) * Math.fround(1.1)));
});

test("gain: a zero gain for the slot hstcal checks is an error", () => {
  // WFC chip 1 read by amp A only with AMPX = 0: the whole chip is slot B, whose gain (amp B) is 0.
  const p = params(0, 0, [2, 0, 0, 0]);
  assert.throws(
    () =>
      convertToElectrons(
        imageOf(4, 2, () => 1),
        ampLayout("WFC", 1, p, 4, 2, [0, 0]),
        p,
      ),
    (e: unknown) => e instanceof CalibrationError && /No valid GAIN/.test(e.message),
  );
  // Slot D is never checked when AMPX > 0 (hstcal's check); slot C is.
  const lower = ampLayout("HRC", 1, params(2, 1, [1, 1, 0, 1]), 4, 2, [0, 0]);
  assert.equal(lower.gain[SLOT_C], 0);
  assert.equal(lower.gain[SLOT_D], 1);
  assert.throws(
    () =>
      convertToElectrons(
        imageOf(4, 2, () => 1),
        lower,
        params(2, 1, [1, 1, 0, 1]),
      ),
    CalibrationError,
  );
});
