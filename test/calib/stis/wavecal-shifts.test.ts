// calstis12's rules without files (cs12 MatchWav, AddShifts, TargPos): the file-level cases, with cs12.e's values,
// are in test/engine/stis/calstis12.test.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import { asHstioWrites, matchShift, scienceShifts } from "../../../src/calib/stis/wavecal-shifts.js";

test("a science midpoint between wavecals interpolates; outside them, the nearer end; nearest picks the closer", () => {
  const times = [10, 20, 40];
  const shifts = [1, 3, -1];
  assert.equal(matchShift(times, shifts, 15, "linear"), 2);
  assert.equal(matchShift(times, shifts, 30, "linear"), 1);
  assert.equal(matchShift(times, shifts, 5, "linear"), 1);
  assert.equal(matchShift(times, shifts, 45, "linear"), -1);
  assert.equal(matchShift(times, shifts, 31, "nearest"), -1);
  assert.equal(matchShift(times, shifts, 29, "nearest"), 3);
});

test("undetermined shifts (calstis4's -9999) are left out; with none left the science gets 0", () => {
  const wavecal = [
    { midpt: 10, shifta1: -9999, shifta2: 0.5 },
    { midpt: 20, shifta1: 2.25, shifta2: -9999 },
  ];
  assert.deepEqual(scienceShifts(wavecal, [5, 15]).shifts, [
    { shifta1: 2.25, shifta2: 0.5 },
    { shifta1: 2.25, shifta2: 0.5 },
  ]);
  const none = [{ midpt: 10, shifta1: -9999, shifta2: 1500 }];
  assert.deepEqual(scienceShifts(none, [10]).shifts, [{ shifta1: 0, shifta2: 0 }]);
});

test("shifts are written with hstio's 13 significant digits", () => {
  assert.equal(asHstioWrites(0.7 * 1 + 0.3 * 3), 1.6);
  assert.equal(asHstioWrites(1.6821686818714321), 1.682168681871);
});
