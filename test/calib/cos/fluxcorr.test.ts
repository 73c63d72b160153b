// The arithmetic of calcos' doFluxCorr and getTdsFactors: ccos.interp1d (linear, flat beyond the ends, a table
// whose last value is below its first read as decreasing), FLUX = NET / sensitivity with a sensitivity ≤ 0 taken
// as 1, the TDS factor at t_obs from the interval holding it (extrapolated with the first or last slope).
import assert from "node:assert/strict";
import { test } from "node:test";
import { applySensitivity, applyTds, interpolateF32, tdsFactors } from "../../../src/calib/cos/fluxcorr.js";

test("interp1d: linear inside, the end values outside, a padded (decreasing-looking) table flat at its first value", () => {
  assert.deepEqual(Array.from(interpolateF32([10, 20, 30], [1, 3, 2], [5, 10, 15, 25, 30, 40])), [1, 1, 2, 2.5, 2, 2]);
  assert.deepEqual(Array.from(interpolateF32([30, 20, 10], [2, 3, 1], [25, 35, 5])), [2.5, 2, 1]);
  // calcos hands the whole FLUXTAB array to interp1d: a trailing 0 makes it look decreasing
  assert.deepEqual(Array.from(interpolateF32([10, 20, 30, 0], [1, 3, 2, 0], [15, 25])), [1, 1]);
  assert.deepEqual(Array.from(interpolateF32([10], [7], [1, 100])), [7, 7]);
});

test("FLUX = NET / sensitivity, ERROR and ERROR_LOWER alike, in single precision; 0 sensitivity counts as 1", () => {
  const columns = {
    net: [2, 3, 4],
    flux: new Float32Array(3),
    error: Float32Array.from([0.2, 0.3, 0.4]),
    errorLower: Float32Array.from([0.1, 0.1, 0.1]),
  };
  applySensitivity(columns, [1000, 1500, 2000], { wavelength: [1000, 2000], sensitivity: [0, 3e12] });
  assert.equal(columns.flux[0], 2, "sensitivity 0 → 1");
  assert.equal(columns.flux[1], Math.fround(3 / Math.fround(1.5e12)));
  assert.equal(columns.error[2], Math.fround(Math.fround(0.4) / Math.fround(3e12)));
  assert.equal(columns.errorLower[1], Math.fround(Math.fround(0.1) / Math.fround(1.5e12)));
});

test("TDS factors: the interval holding t_obs, slope in %/yr from REF_TIME, first and last slopes extrapolate", () => {
  const row = {
    nwl: 2,
    nt: 3,
    wavelength: [1000, 2000, 0],
    time: [50000, 51000, 52000],
    slope: [-1, -2, 9, -3, -4, 9, -5, -6, 9],
    intercept: [1, 1, 9, 0.9, 0.8, 9, 0.7, 0.6, 9],
    single: false,
  };
  const at = (t: number) => tdsFactors(row, 49635.25, t);
  const inside = at(51500);
  const years = (51500 - 49635.25) / 365.25;
  assert.deepEqual(inside.wavelength, [1000, 2000]);
  assert.deepEqual(Array.from(inside.factor), [years * -0.03 + 0.9, years * -0.04 + 0.8]);
  assert.equal(inside.extrapolate, false);
  assert.equal(at(49000).extrapolate, true);
  assert.equal(at(49000).factor[0], ((49000 - 49635.25) / 365.25) * -0.01 + 1);
  assert.equal(at(52000).extrapolate, true, "t_obs at the last time counts as extrapolated, as in calcos");
  assert.equal(at(53000).factor[1], ((53000 - 49635.25) / 365.25) * -0.06 + 0.6);
  const columns = {
    net: [1],
    flux: Float32Array.from([4]),
    error: Float32Array.from([2]),
    errorLower: Float32Array.from([1]),
  };
  applyTds(columns, [1500], { wavelength: [1000, 2000], factor: Float64Array.from([0.5, 1.5]), extrapolate: false });
  assert.deepEqual([columns.flux[0], columns.error[0], columns.errorLower[0]], [4, 2, 1]);
});
