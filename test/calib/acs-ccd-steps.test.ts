import assert from "node:assert/strict";
import { test } from "node:test";
import { ampLayout } from "../../src/calib/acs/amps.js";
import { computeDarktime } from "../../src/calib/acs/darktime.js";
import { flagFullWellSaturation } from "../../src/calib/acs/fwsat.js";
import { initCcdErrors, initMamaErrors } from "../../src/calib/acs/noise.js";
import { flagSinkPixels } from "../../src/calib/acs/sink.js";
import { CalibrationError } from "../../src/calib/common/errors.js";
import { dqAt, errAt, imageOf } from "./acs-fixtures.js";

const overheads = { ovrhfls: 3.5, ovrhufls: 2.5 };
const exposure = {
  darktime: 100,
  flashdur: 0,
  flashsta: "NOT PERFORMED",
  expstart: 55000,
  subarray: false,
  aperture: "WFC",
};

test("DARKTIME: + OVRHUFLS after SM4 for full frames, + OVRHFLS for a successful post-flash, unchanged before", () => {
  assert.equal(computeDarktime(exposure, overheads), 102.5);
  assert.equal(computeDarktime({ ...exposure, flashdur: 1, flashsta: "SUCCESSFUL" }, overheads), 103.5);
  assert.equal(computeDarktime({ ...exposure, flashdur: 1, flashsta: "ABORTED" }, overheads), 102.5);
  assert.equal(computeDarktime({ ...exposure, expstart: 54961.9 }, overheads), 100);
  // Float arithmetic: 0.1 s + 0.2 s as C floats.
  assert.equal(
    computeDarktime({ ...exposure, darktime: 0.1 }, { ovrhfls: 0, ovrhufls: 0.2 }),
    Math.fround(Math.fround(0.1) + Math.fround(0.2)),
  );
});

test("DARKTIME: subarrays only after Cycle 24 and only for the listed apertures", () => {
  const sub = { ...exposure, subarray: true, aperture: "WFC1A-2K", expstart: 57700 };
  assert.equal(computeDarktime(sub, overheads), 102.5);
  assert.equal(computeDarktime({ ...sub, expstart: 57600 }, overheads), 100);
  assert.equal(computeDarktime({ ...sub, aperture: "WFC1-CTE" }, overheads), 100);
});

test("full-well saturation, full frame: SCI > SATUFILE flags 256 over the illuminated box only", () => {
  // 6x4 raw with one prescan column (LTV1 = 1 → corner -1 → box starts at |−1| = 1); trims x(1,1), y(0,1):
  // the box is columns 1..4, rows 0..2. Everything is 150 e against a 100 e full well, except (2,1) at 100.
  const science = imageOf(6, 4, (i, j) => (i === 2 && j === 1 ? 100 : 150), { ltv: [1, 0] });
  const satu = imageOf(6, 4, () => 100, { ltv: [1, 0] });
  const n = flagFullWellSaturation(science, [satu], { trimx: [1, 1], trimy: [0, 1] });
  assert.equal(n, 11); // 4 × 3 box minus the pixel equal to the full well (the test is strictly greater)
  assert.equal(dqAt(science, 1, 0), 256);
  assert.equal(dqAt(science, 2, 1), 0);
  assert.equal(dqAt(science, 0, 0), 0); // prescan
  assert.equal(dqAt(science, 5, 0), 0); // trailing overscan
  assert.equal(dqAt(science, 3, 3), 0); // trimmed row
});

test("full-well saturation, subarray: science (i,j) against SATUFILE at the LTV offset, box from the origin", () => {
  // Corner (2,1) in an 8x6 SATUFILE whose value is 10·j + i; science 4x3 all 25 e.
  // Pixel (i,j) compares with 10·(j+1) + (i+2): row 0 → 12..15 (all < 25: flagged), row 1 → 22..25
  // (22, 23, 24 flagged), row 2 → 32.. (none). With trimx = (1,0) hstcal still starts at column 0 and
  // stops one column early (xdim = 3): column 3 is not examined.
  const science = imageOf(4, 3, () => 25, { ltv: [-2, -1] });
  const satu = imageOf(8, 6, (i, j) => 10 * j + i);
  flagFullWellSaturation(science, [satu], { trimx: [1, 0], trimy: [0, 0] });
  const flags = [...science.dq].map((d) => (d ? 1 : 0));
  assert.deepEqual(flags, [1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0]);
});

test("ERR (CCD): sqrt(max(SCI,0) + RN² + ERR²) per amp, in electrons", () => {
  // Two amps split at column 2 (HRC-style AMPX = 2, AMPY = 0): read noise 4 e (A) and 3 e (B).
  const set = imageOf(4, 1, (i) => [9, -3, 16, 0][i]);
  set.err[3] = 4;
  const layout = ampLayout(
    "HRC",
    1,
    { ampx: 2, ampy: 0, atodgain: [1, 1, 0, 0], readnoise: [4, 3, 0, 0] },
    4,
    1,
    [0, 0],
  );
  initCcdErrors(set, layout, "NGC104");
  // sqrt(9+16) = 5; negative SCI counts as 0 → sqrt(16) = 4; sqrt(16+9) = 5; sqrt(0+9+16) = 5.
  assert.deepEqual([...set.err], [5, 4, 5, 5]);
});

test("ERR (CCD): a BIAS target gets the read noise only; a zero read noise is an error", () => {
  const layout = ampLayout(
    "HRC",
    1,
    { ampx: 0, ampy: 0, atodgain: [0, 2, 0, 0], readnoise: [0, 4.5, 0, 0] },
    2,
    1,
    [0, 0],
  );
  const set = imageOf(2, 1, () => 1000, { err: 7 });
  initCcdErrors(set, layout, "BIAS");
  assert.deepEqual([...set.err], [4.5, 4.5]);
  const noNoise = ampLayout(
    "HRC",
    1,
    { ampx: 0, ampy: 0, atodgain: [0, 2, 0, 0], readnoise: [0, 0, 0, 0] },
    2,
    1,
    [0, 0],
  );
  assert.throws(
    () =>
      initCcdErrors(
        imageOf(2, 1, () => 1),
        noNoise,
        "X",
      ),
    (e: unknown) => e instanceof CalibrationError && /READNOISE/.test(e.message),
  );
});

test("ERR (MAMA): max(1, sqrt(|SCI|)) with C's integer abs for negative counts", () => {
  const set = imageOf(4, 1, (i) => [4, 0.25, -8.7, -0.5][i]);
  initMamaErrors(set);
  // -8.7 → abs((int)-8.7) = 8 → sqrt(8), not sqrt(8.7); -0.5 → 0 → 1.
  assert.deepEqual([...set.err], [2, 1, Math.fround(Math.sqrt(8)), 1]);
  assert.equal(errAt(set, 2, 0), Math.fround(Math.SQRT2 * 2));
});

test("SINKCORR: trails from the sink head, upwards for SNKCFILE EXTVER 1", () => {
  // Column 0: -1 (downstream pixel) at row 1, the sink (-5) at row 2 where SCI = 2.5, then the trail:
  // 3 > 2.5 flagged, 2 ≤ 2.5 ends it. Column 1: no sink. Column 2: sink at row 0 (SCI 5): 10, 10
  // flagged, 0 ends the trail and the later 10s are not flagged.
  const refColumns = [
    [0, -1, -5, 3, 2, 0],
    [0, 0, 0, 0, 0, 0],
    [-5, 10, 10, 0, 10, 10],
  ];
  const ref = imageOf(3, 6, (i, j) => refColumns[i][j]);
  const science = imageOf(3, 6, (i, j) => (i === 0 && j === 2 ? 2.5 : i === 2 && j === 0 ? 5 : 1));
  const n = flagSinkPixels(science, [ref]);
  const flagged = (i: number) => [0, 1, 2, 3, 4, 5].filter((j) => dqAt(science, i, j) === 1024);
  assert.deepEqual(flagged(0), [1, 2, 3]);
  assert.deepEqual(flagged(1), []);
  assert.deepEqual(flagged(2), [0, 1, 2]);
  assert.equal(n, 6);
});

test("SINKCORR: SNKCFILE EXTVER 2 walks downwards; binned data are refused", () => {
  // The same column turned upside down, in the second imset (chip 1) of the file.
  const column = [0, 2, 3, -5, -1, 0];
  const other = imageOf(1, 6, () => 0, { chip: 2 });
  const ref = imageOf(1, 6, (_, j) => column[j], { chip: 1 });
  const science = imageOf(1, 6, (_, j) => (j === 3 ? 2.5 : 1), { chip: 1 });
  flagSinkPixels(science, [other, ref]);
  assert.deepEqual([...science.dq], [0, 0, 1024, 1024, 1024, 0]);
  const binned = imageOf(1, 6, () => 0, { ltm: [0.5, 0.5] });
  assert.throws(
    () => flagSinkPixels(binned, [imageOf(1, 6, () => 0)]),
    (e: unknown) => e instanceof CalibrationError && e.code === "INVALID_VALUE",
  );
});
