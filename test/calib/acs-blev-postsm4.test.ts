// Post-SM4 WFC BLEVCORR sub-steps (calibration.md §2.5 path B) on small arrays with hand-computed values.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type AmpArray, type AmpIndex, readAmpArray, writeAmpArray } from "../../src/calib/acs/amp-arrays.js";
import { correctBiasShift, GAP_PIXELS, magicSquareMean, removeBiasShift } from "../../src/calib/acs/bias-shift.js";
import {
  subtractBiasLevelPostSm4,
  subtractBiasShiftSubarray,
  takesBiasShift,
} from "../../src/calib/acs/blev-postsm4.js";
import { CROSS_TALK_SCALE, correctCrossTalk } from "../../src/calib/acs/cross-talk.js";
import { destripe, destripeHistory, measureStripes, stripeAt, subtractStripes } from "../../src/calib/acs/destripe.js";
import {
  clippedBiasMean,
  clippedColumnMean,
  findGoodRows,
  flattenPrescanColumns,
} from "../../src/calib/acs/destripe-bias.js";
import { NO_OVERSCAN } from "../../src/calib/acs/oscntab.js";
import { CalibrationError } from "../../src/calib/common/errors.js";
import { imageOf } from "./acs-fixtures.js";

const DSI_A = 2.9188919e-3;
const TAU_A = 37.290251;

function ampArray(rows: number, cols: number, value: (i: number, j: number) => number, amp: AmpIndex = 0): AmpArray {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = value(i, j);
  return { amp, rows, cols, data };
}

const at = (a: AmpArray, i: number, j: number) => a.data[i * a.cols + j];

test("amp arrays put each amp at the origin: A, B flip rows (top of chip 1), B, D flip columns", () => {
  // 4x3 image, value = 10·row + column.
  const set = imageOf(4, 3, (x, y) => 10 * y + x);
  const a = readAmpArray(set, 0, 2);
  const b = readAmpArray(set, 1, 2);
  const c = readAmpArray(set, 2, 2);
  const d = readAmpArray(set, 3, 2);
  assert.deepEqual([...a.data], [20, 21, 10, 11, 0, 1]);
  assert.deepEqual([...b.data], [23, 22, 13, 12, 3, 2]);
  assert.deepEqual([...c.data], [0, 1, 10, 11, 20, 21]);
  assert.deepEqual([...d.data], [3, 2, 13, 12, 23, 22]);
  b.data[0] = 99.5; // amp B's first pixel is the top-right image pixel
  writeAmpArray(set, b);
  assert.equal(set.sci[2 * 4 + 3], 99.5);
  assert.equal(set.sci[0], 0);
});

test("bias shift: 146 virtual pixels a row; a constant stream settles at s·(1 − 0.3·dsi)", () => {
  assert.equal(GAP_PIXELS, 146); // (int)(1000/22 · 3.212 + 0.5) = (int)146.5
  const stream = new Float64Array(3 * 4).fill(1000);
  removeBiasShift(stream, 4, 0, 1000);
  // dc starts at 0.3·1000 and a constant input keeps it there: s' = s − dsi·300 − (10/22)·0.
  for (const v of stream) assert.ok(Math.abs(v - (1000 - DSI_A * 300)) < 1e-9, `${v}`);
});

test("bias shift: the recursion on a tiny stream, step by step by hand", () => {
  // Two rows of two pixels, fill 100 (the virtual pixels), amp A.
  const f = 1 - Math.exp(-1 / (TAU_A * (1000 / 22)));
  const s = [100, 5000, 100, 100];
  const stream = Float64Array.from(s);
  removeBiasShift(stream, 2, 0, 100);
  // dc[0] = 30; dc[k+1] = s[k]·f·0.3 + (1 − f)·dc[k] over pixel, pixel, 146 × fill, pixel, pixel.
  const full = [s[0], s[1], ...new Array(GAP_PIXELS).fill(100), s[2], s[3]];
  const dc = [30];
  for (const v of full) dc.push(v * f * 0.3 + (1 - f) * dc[dc.length - 1]);
  const corrected = (k: number) => full[k] - DSI_A * dc[k + 1] - (10 / 22) * (dc[k + 1] - dc[k]);
  const expected = [corrected(0), corrected(1), corrected(2 + GAP_PIXELS), corrected(3 + GAP_PIXELS)];
  assert.deepEqual([...stream], expected);
  // The bright pixel raised the DC level: the next pixels are corrected more than the first one.
  assert.ok(Math.abs(expected[0] - (100 - DSI_A * 30)) < 1e-12);
  assert.ok(dc[2] > 30.8 && expected[2] < expected[0]);
});

test("bias shift: magic square (rows 2057–2066, columns 13–22) measured before and after, level subtracted", () => {
  const array = ampArray(2068, 30, (i, j) => (i >= 2057 && i <= 2066 && j >= 13 && j <= 22 ? 4000 : 4000 + (i % 3)));
  assert.equal(magicSquareMean(array), 4000);
  const flat = ampArray(2068, 24, () => 4000);
  const level = correctBiasShift(flat);
  assert.ok(Math.abs(level - 4000 * (1 - 0.3 * DSI_A)) < 1e-8, `${level}`);
  for (const v of flat.data) assert.ok(Math.abs(v) < 1e-8);
  assert.throws(() => magicSquareMean(ampArray(2000, 30, () => 0)), CalibrationError);
});

test("cross-talk: + 9.1e-5 × the mirrored pixel of the row, in place and in ascending x (float32)", () => {
  const set = { nx: 5, ny: 2, sci: Float32Array.from([1e6, 3, 7, 2e5, 40000, 0, 0, 5, 0, 0]) };
  correctCrossTalk(set);
  const k = CROSS_TALK_SCALE;
  const f = Math.fround;
  const x0 = f(1e6 + f(40000 * k));
  const x1 = f(3 + f(2e5 * k));
  const x2 = f(7 + f(7 * k));
  const x3 = f(2e5 + f(x1 * k)); // reads the already-corrected x1
  const x4 = f(40000 + f(x0 * k));
  assert.deepEqual([...set.sci.slice(0, 5)], [x0, x1, x2, x3, x4]);
  assert.deepEqual([...set.sci.slice(5)], [0, 0, f(5 + f(5 * k)), 0, 0]);
});

test("prescan columns: 5σ-clipped column means of (pixel − mean of columns 12–23), bright rows left out", () => {
  // Column j holds row level 100·i + j; row 3 has 50000 e in column 26 and junk in its prescan.
  const array = ampArray(6, 30, (i, j) => (i === 3 ? (j === 26 ? 50000 : j < 24 ? 1e4 * j : 0) : 100 * i + j));
  const means = flattenPrescanColumns(array);
  for (let j = 0; j < 24; j++) assert.equal(means[j], j - 17.5);
  for (const i of [0, 1, 2, 4, 5]) for (let j = 0; j < 24; j++) assert.equal(at(array, i, j), 100 * i + 17.5);
  assert.equal(at(array, 1, 24), 124); // science columns untouched
});

test("clipped column mean: 5σ, 4 passes, the std of a pass about the previous mean", () => {
  // 99 zeros and one 100: mean 1, σ = sqrt((99 + 99²)/99) = 10, so 100 goes (99 > 50); then all zeros.
  const values = new Float64Array(100);
  values[99] = 100;
  assert.deepEqual(clippedColumnMean(values, 5), { mean: 0, std: 0 });
  // 1..4 and 100: σ = 43.6, nothing is clipped, mean 22.
  assert.equal(clippedColumnMean([1, 2, 3, 4, 100], 5).mean, 22);
});

test("good rows: never row 0; |row mean − amp mean| > 100 with C's integer abs; columns 24–29 above 70000", () => {
  // 30 rows (the last 20 are virtual), 24 prescan + 1000 science columns, all 0 except:
  // row 5 science at v: amp mean = v/10 (rows 0–9), row 5 off by 0.9·v.
  const make = (v: number) =>
    ampArray(30, 1024, (i, j) => {
      if (i === 5 && j >= 24) return v;
      if (i === 15 && j === 27) return 70000.5;
      if (i === 16 && j === 27) return 70000;
      return 0;
    });
  const good112 = findGoodRows(make(112)); // 100.8 → (int) 100, not > 100: good
  const good113 = findGoodRows(make(113)); // 101.7 → 101: bad
  assert.equal(good112[0], 0);
  assert.equal(good112[5], 1);
  assert.equal(good113[5], 0);
  assert.equal(good112[15], 0); // 70000.5 > 70000 (its row mean 70 is fine)
  assert.equal(good112[16], 1);
  assert.equal(
    good112.reduce((s, g) => s + g, 0),
    28,
  );
});

test("bias mean: prescan of good rows, clipped at 6 × mean absolute deviation", () => {
  // 30 rows × 24 prescan columns at 10, one pixel at 40, row 0 (never good) at 1000.
  // Pass 1: mean 10 + 30/696, MAD 0.0861 → 40 is dropped; then mean 10 exactly.
  const array = ampArray(30, 26, (i, j) => (i === 0 ? 1000 : i === 7 && j === 3 ? 40 : 10));
  const goodRows = new Uint8Array(30).fill(1);
  goodRows[0] = 0;
  assert.equal(clippedBiasMean(array, goodRows), 10);
  // Without the clip the mean would be 10.043; with no good row it is 0.
  assert.equal(clippedBiasMean(array, new Uint8Array(30)), 0);
});

test("stripes: mean over amps of the prescan row means, noisy amps dropped, fewer than 2 → skipped", () => {
  const rows = 4;
  const amps = [0, 1, 2, 3].map((k) =>
    ampArray(rows, 26, (i, j) => {
      if (i === 1 && k === 2) return j % 2 === 0 ? 100 : 130; // std ≈ 15.3 ≥ 15: dropped
      return 10 * i + k;
    }),
  );
  const goodRows = [0, 1, 2, 3].map(() => Uint8Array.from([1, 1, 1, 1]));
  goodRows[0][3] = 0;
  goodRows[1][3] = 0;
  goodRows[2][3] = 0;
  const profile = measureStripes(amps, goodRows);
  assert.equal(profile.rowMeans[0], 1.5); // (0+1+2+3)/4
  assert.equal(profile.rowMeans[1], 34 / 3); // amp C dropped: (10 + 11 + 13)/3
  assert.equal(goodRows[2][1], 0);
  assert.equal(profile.rowMeans[2], 21.5);
  assert.equal(profile.rowMeans[3], 0); // only amp D good: skipped
  assert.deepEqual([profile.fixed, profile.skipped], [3, 1]);
  assert.deepEqual(destripeHistory(profile), [
    "DESTRIPE: number of rows fixed per amp: 3",
    "DESTRIPE: number of rows skipped per amp: 1",
  ]);
});

test("stripes are interpolated along the readout: t = i + (j − 11.5)/(cols + 146), lower row clamped", () => {
  const rowMeans = Float64Array.from([0, 10, 30, 60]);
  const cols = 2072;
  assert.equal(stripeAt(rowMeans, 1, 11.5, cols), 10);
  assert.equal(stripeAt(rowMeans, 1, 11.5 + 2218 / 2, cols), 20);
  // Before row 0 and past row 2 the end segments are extrapolated.
  assert.equal(stripeAt(rowMeans, 0, 0, cols), (-11.5 / 2218) * 10);
  assert.equal(stripeAt(rowMeans, 3, 11.5 + 2218 / 2, cols), 30 + 1.5 * 30);
  const amps = [0, 1].map(() => ampArray(4, 2, () => 100));
  subtractStripes(amps, rowMeans);
  assert.equal(at(amps[1], 2, 0), 100 - stripeAt(rowMeans, 2, 0, 2));
});

test("destripe: per-amp bias levels and common stripes removed, science signal kept", () => {
  // 4 amps of 40 rows × 2072 columns (WFC's width): level 1000 + 100·k, stripes common to all amps
  // sampled at the readout time of each pixel, a signal of 50 + j/10 in the science columns of amp k.
  // The prescan row mean sees the stripe over t = i ± 11.5/2218, so it measures knot i to ~0.5 % of
  // the step to the next knot.
  const rows = 40;
  const cols = 2072;
  const knots = Float64Array.from({ length: rows + 1 }, (_, i) => 6 * Math.sin(1.7 * i) + (i % 5));
  const stripe = (i: number, j: number) => {
    const t = i + (j - 11.5) / (cols + 146);
    const lower = Math.max(Math.floor(t), 0);
    return knots[lower] + (t - lower) * (knots[lower + 1] - knots[lower]);
  };
  const signal = (k: number, j: number) => (j < 24 ? 0 : 50 + j / 10 + k);
  const amps = [0, 1, 2, 3].map((k) =>
    ampArray(rows, cols, (i, j) => 1000 + 100 * k + stripe(i, j) + signal(k, j), k as AmpIndex),
  );
  const result = destripe(amps);
  assert.deepEqual([result.fixed, result.skipped], [rows - 1, 1]); // row 0 is never used
  result.biasLevels.forEach((level, k) => {
    assert.ok(Math.abs(level - (1000 + 100 * k)) < 10, `${level}`);
  });
  let worst = 0;
  amps.forEach((amp, k) => {
    // Row 0 is not destriped, and the last row extrapolates the stripes of the two rows before it.
    for (let i = 1; i < rows - 1; i++) {
      for (let j = 24; j < cols; j++) worst = Math.max(worst, Math.abs(at(amp, i, j) - signal(k, j)));
    }
  });
  assert.ok(worst < 0.05, `largest residual ${worst} e (stripes up to ±10 e)`);
  assert.ok(worst > 0, "a residual of exactly 0 would mean the stripes were never injected");
});

test("full-frame path B needs both chips and their overscan; bias shift only for DS_INT at gain 2", () => {
  assert.equal(takesBiasShift({ jwrotype: "DS_INT ", ccdgain: 2 }), true);
  assert.equal(takesBiasShift({ jwrotype: "CLAMP", ccdgain: 2 }), false);
  assert.equal(takesBiasShift({ jwrotype: "DS_INT", ccdgain: 1 }), false);
  const chip = (n: number) => imageOf(60, 30, () => 0, { chip: n });
  const exposure = { ccdamp: "ABCD", ccdgain: 2, jwrotype: "DS_INT" };
  const found = { ...NO_OVERSCAN, found: true };
  assert.throws(
    () => subtractBiasLevelPostSm4([chip(2), chip(1)], exposure, [found, NO_OVERSCAN]),
    (e: unknown) => e instanceof CalibrationError && e.code === "CAL_STEP_NOT_DONE" && /OSCNTAB/.test(e.message),
  );
  assert.throws(() => subtractBiasLevelPostSm4([chip(2), chip(2)], exposure, [found, found]), /CCDCHIP 1 and 2/);
});

test("full-frame path B without DS_INT: destripe only; MEANBLEV = mean of the chip's two destripe levels", () => {
  // Chips 60 x 30: amps 30 columns wide; prescan levels A 10, B 20 (chip 1, top), C 30, D 40 (chip 2).
  const level = (chip: number, x: number) => (chip === 1 ? (x < 30 ? 10 : 20) : x < 30 ? 30 : 40);
  const chips = [2, 1].map((n) => imageOf(60, 30, (x) => level(n, x), { chip: n }));
  const found = { ...NO_OVERSCAN, found: true };
  const result = subtractBiasLevelPostSm4(chips, { ccdamp: "ABCD", ccdgain: 1, jwrotype: "CLAMP" }, [found, found]);
  const [chip2, chip1] = result.imsets;
  assert.deepEqual(chip1.blev, [10, 20, 0, 0]);
  assert.deepEqual(chip2.blev, [0, 0, 30, 40]);
  assert.equal(chip1.meanblev, 15);
  assert.equal(chip2.meanblev, 35);
  assert.equal(chip1.driftCorrected, false);
  for (const set of chips) for (const v of set.sci) assert.equal(v, 0);
  assert.deepEqual(result.history, [
    "DESTRIPE: number of rows fixed per amp: 29",
    "DESTRIPE: number of rows skipped per amp: 1",
  ]);
});

test("supported subarray: bias shift only, on the CCDAMP's amp; MEANBLEV is the magic-square level", () => {
  // A WFC1A-2K-like image of amp A, 30 x 2068: level 4000 everywhere, amp A at the top left.
  const set = imageOf(30, 2068, () => 4000);
  const result = subtractBiasShiftSubarray(set, { ccdamp: "A", ccdgain: 2, jwrotype: "DS_INT" }, NO_OVERSCAN);
  const level = 4000 * (1 - 0.3 * DSI_A);
  assert.ok(Math.abs(result.blev[0] - level) < 1e-8, `${result.blev}`);
  assert.deepEqual(result.blev.slice(1), [0, 0, 0]);
  assert.equal(result.meanblev, Math.fround(result.blev[0]));
  assert.equal(result.fromOverscan, false); // no OSCNTAB row
  for (const v of set.sci) assert.ok(Math.abs(v) < 1e-3);
});
