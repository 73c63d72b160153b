import assert from "node:assert/strict";
import { test } from "node:test";
import { biasSectionsForAmp, chooseBlevPath, subtractBiasLevelClassic } from "../../src/calib/acs/blevcorr.js";
import { selectCcdParameters } from "../../src/calib/acs/ccdtab.js";
import { findOverscan, type OscnRow } from "../../src/calib/acs/oscntab.js";
import { trimOverscan } from "../../src/calib/acs/trim.js";
import { cleanBiasFit } from "../../src/calib/common/blev-rows.js";
import { medianOfDoubles } from "../../src/calib/common/median.js";
import { ccdRow, imageOf, oscnRow, pixel } from "./acs-fixtures.js";

const params = (over: Parameters<typeof ccdRow>[0] = {}, ccdamp = "B", chip = 1) =>
  selectCcdParameters(
    [ccdRow({ CCDAMP: ccdamp, CCDCHIP: chip, ...over })],
    {
      ccdamp,
      ccdgain: 2,
      ccdchip: chip,
      ccdofst: [3, 3, 3, 3],
    },
    { nx: 10 },
  ).parameters;
const regions = (over: Partial<OscnRow> = {}, ccdamp = "B", chip = 1) =>
  findOverscan([oscnRow({ CCDAMP: ccdamp, CCDCHIP: chip, ...over })], { ccdamp, ccdchip: chip, nx: 10, ny: 8 });
const isOverscanColumn = (i: number) => i < 2 || i > 7;

test("median of doubles: none → 0, even count → mean of the middle two", () => {
  assert.equal(medianOfDoubles([]), 0);
  assert.equal(medianOfDoubles([5]), 5);
  assert.equal(medianOfDoubles([1, 3]), 2);
  assert.equal(medianOfDoubles([3, 1, 2]), 2);
  assert.equal(medianOfDoubles([4, 1, 3, 2]), 2.5);
});

test("cleanBiasFit: 3σ clip (σ ≤ sqrt(mean)) then 3·RN clip around the new mean", () => {
  // Nine rows at 100, one at 200: mean 110, σ = sqrt(9000/9) = 31.6 → limited to sqrt(110) = 10.49;
  // threshold |3·10.49 + 110| = 141 rejects 200. New mean 100; |3·4 + 100| = 112 rejects nothing.
  const values = Float64Array.from([100, 100, 100, 100, 100, 100, 100, 100, 100, 200]);
  const mask = new Uint8Array(10).fill(1);
  assert.equal(cleanBiasFit(values, mask, 4), 2); // hstcal's count: the second pass counts 200 again
  assert.deepEqual([...mask], [1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
});

test("cleanBiasFit: the integer-abs trap truncates the thresholds", () => {
  // A constant 10.5 e level: σ = 0, threshold |0 + 10.5| becomes the int 10, so every row (10.5 > 10)
  // is rejected. With a real-valued abs nothing would be.
  const constant = Float64Array.from([10.5, 10.5, 10.5, 10.5]);
  const mask = new Uint8Array(4).fill(1);
  cleanBiasFit(constant, mask, 4);
  assert.deepEqual([...mask], [0, 0, 0, 0]);
  // 100.2..101.0: the σ clip keeps all (|0.95 + 100.6| = 101); the RN clip |3·0.1 + 100.6| = 100.9
  // truncates to 100 and removes all five rows, where 100.9 would only remove 101.0.
  const ramp = Float64Array.from([100.2, 100.4, 100.6, 100.8, 101.0]);
  const rampMask = new Uint8Array(5).fill(1);
  assert.equal(cleanBiasFit(ramp, rampMask, 0.1), 5);
  assert.deepEqual([...rampMask], [0, 0, 0, 0, 0]);
});

test("BLEVCORR classic: per-row overscan medians fitted by a line and subtracted from the amp region", () => {
  // 10x8 HRC-like raw image: bias columns 0-1 and 8-9, rows 6-7 trimmed. Overscan level 100 + j on
  // row j; illuminated pixels 500 above it. The fit (x = j - 3 over rows 0..5) is exactly 100 + j.
  const set = imageOf(10, 8, (i, j) => (isOverscanColumn(i) ? 100 + j : 600 + j));
  // Row 3: two pixels flagged serious with huge values are ignored by the median (else it is 5051).
  set.sci[3 * 10 + 0] = 9999;
  set.sci[3 * 10 + 1] = 9999;
  set.dq[3 * 10 + 0] = 16;
  set.dq[3 * 10 + 1] = 16;
  const result = subtractBiasLevelClassic(set, {
    detector: "HRC",
    params: params(),
    regions: regions(),
    sdqflags: 65535,
  });
  for (let j = 0; j < 6; j++) for (let i = 2; i < 8; i++) assert.equal(pixel(set, i, j), 500);
  assert.equal(pixel(set, 5, 6), 606); // trimmed rows are outside the amp region: untouched
  assert.equal(pixel(set, 0, 0), 100); // so are the bias columns
  // blev = mean of (100 + j) for j = 0..5 = 102.5; one amp → MEANBLEV 102.5.
  assert.deepEqual(result.blev, [0, 102.5, 0, 0]);
  assert.equal(result.meanblev, 102.5);
  assert.equal(result.fromOverscan, true);
  assert.equal(result.driftCorrected, false);
});

test("BLEVCORR classic: the fit is made on output rows but evaluated at input rows (hstcal, TRIMY1 > 0)", () => {
  // One overscan row at the bottom (TRIMY1 = 1). Level 100 + r on input row r is fitted as 101 + j' on
  // output row j' = r - 1, but evaluated at r: 101 + r is subtracted, one slope unit too much.
  const set = imageOf(10, 8, (i, j) => (isOverscanColumn(i) ? 100 + j : 600 + j));
  subtractBiasLevelClassic(set, {
    detector: "HRC",
    params: params(),
    regions: regions({ TRIMY1: 1, TRIMY2: 1 }),
    sdqflags: 65535,
  });
  assert.equal(pixel(set, 4, 1), 499);
  assert.equal(pixel(set, 4, 6), 499);
  assert.equal(pixel(set, 4, 0), 600); // the trimmed bottom row is not corrected
});

test("BLEVCORR classic: drift along rows from the virtual overscan (slope only, zero at the bias section)", () => {
  // Constant overscan level 100; virtual-overscan rows 6-7 (VY 7..8), columns 2..7 (VX 3..8) rise by
  // 0.5 per column. Drift slope 0.5, zero at column (0 + 1)/2 = 0.5: subtract 100 + 0.5·(i - 0.5).
  const set = imageOf(10, 8, (i, j) => (j >= 6 ? 100 + 0.5 * i : isOverscanColumn(i) ? 100 : 1000));
  const result = subtractBiasLevelClassic(set, {
    detector: "HRC",
    params: params(),
    regions: regions({ VX1: 3, VX2: 8, VY1: 7, VY2: 8 }),
    sdqflags: 65535,
  });
  assert.equal(pixel(set, 2, 0), 899.25);
  assert.equal(pixel(set, 7, 5), 896.75);
  // blev adds the drift at the middle of the amp width (6/2 = 3): 100 + 0.5·2.5 = 101.25.
  assert.equal(result.blev[1], 101.25);
  assert.equal(result.driftCorrected, true);
});

test("BLEVCORR classic: two amps on a WFC chip, each with the bias section on its side", () => {
  // WFC chip 1 read by A and B; AMPX = 4 (trimmed columns) → A owns raw columns 2..5, B 6..7.
  const set = imageOf(10, 8, (i) => (i < 2 ? 50 : i > 7 ? 70 : 1000));
  const p = params({ AMPX: 4 }, "AB", 1);
  const result = subtractBiasLevelClassic(set, {
    detector: "WFC",
    params: p,
    regions: regions({}, "AB", 1),
    sdqflags: 65535,
  });
  assert.equal(pixel(set, 5, 0), 950);
  assert.equal(pixel(set, 6, 0), 930);
  assert.deepEqual(result.blev, [50, 70, 0, 0]);
  assert.equal(result.meanblev, 60);
});

test("BLEVCORR: without an OSCNTAB row the CCDTAB bias (CCDBIAS × ATODGN) is subtracted everywhere", () => {
  // WFC chip 2, CCDAMP ABCD: default amp = first letter moved to chip 2 (A + 2 = C): 10 DN × 2 e/DN = 20 e.
  const set = imageOf(10, 8, () => 100, { chip: 2 });
  const p = params({ AMPX: 4, CCDBIASA: 99 }, "ABCD", 2);
  const noRow = findOverscan([oscnRow({ NX: 4144 })], { ccdamp: "ABCD", ccdchip: 2, nx: 10, ny: 8 });
  const result = subtractBiasLevelClassic(set, { detector: "WFC", params: p, regions: noRow, sdqflags: 65535 });
  assert.ok(set.sci.every((v) => v === 80));
  assert.deepEqual(result.blev, [0, 0, 20, 0]);
  assert.equal(result.meanblev, undefined);
  assert.equal(result.fromOverscan, false);
});

test("BLEVCORR: bias-section choice, including hstcal's test on 0-based ends", () => {
  const both = { biassecta: [0, 1] as [number, number], biassectb: [8, 9] as [number, number] };
  assert.deepEqual(biasSectionsForAmp(both, true, 1, 10), [0, 1, 8, 9]); // one amp per line: both
  assert.deepEqual(biasSectionsForAmp(both, false, 2, 10), [8, 9, 0, 0]); // right-hand amp: B only
  // Table A = (0,0) becomes (-1,-1): its end is not 0, so hstcal still takes A and finds no pixel there
  // (the whole step then falls back to the CCDTAB bias).
  const onlyB = { biassecta: [-1, -1] as [number, number], biassectb: [8, 9] as [number, number] };
  assert.deepEqual(biasSectionsForAmp(onlyB, true, 1, 10), [0, -1, 0, 0]);
  const set = imageOf(10, 8, (i) => (i > 7 ? 70 : 1000));
  const r = subtractBiasLevelClassic(set, {
    detector: "HRC",
    params: params(),
    regions: regions({ BIASSECTA1: 0, BIASSECTA2: 0 }),
    sdqflags: 65535,
  });
  assert.equal(r.blev[1], 20);
  assert.equal(pixel(set, 4, 0), 980);
});

test("trim: the illuminated box, SIZAXIS, LTV shifted as floats, CRPIX shift", () => {
  const set = imageOf(10, 8, (i, j) => 10 * j + i, { ltv: [2, 0.1] });
  const trimmed = trimOverscan(set, regions());
  assert.deepEqual([trimmed.set.nx, trimmed.set.ny], [6, 6]);
  assert.deepEqual(trimmed.sizaxis, [6, 6]);
  assert.equal(pixel(trimmed.set, 0, 0), 2);
  assert.equal(pixel(trimmed.set, 5, 5), 57);
  assert.deepEqual(trimmed.geometry.ltv, [0, Math.fround(0.1)]); // (float)LTV - trim
  assert.deepEqual(trimmed.crpixShift, [2, 0]);
});

test("BLEVCORR path: classic for HRC, pre-SM4 WFC and unsupported subarrays", () => {
  const base = {
    detector: "WFC" as const,
    expstart: 55000,
    subarray: false,
    aperture: "WFC",
    jwrotype: "DS_INT",
    ccdgain: 2,
    virtualOverscan: true,
  };
  assert.equal(chooseBlevPath({ ...base, detector: "HRC" }), "classic");
  assert.equal(chooseBlevPath({ ...base, expstart: 54000 }), "classic");
  assert.equal(chooseBlevPath(base), "post-sm4-full-frame");
  assert.equal(chooseBlevPath({ ...base, jwrotype: "CLAMP", ccdgain: 1 }), "post-sm4-full-frame"); // destripe anyway
  assert.equal(chooseBlevPath({ ...base, subarray: true, aperture: "WFC1A-2K" }), "post-sm4-subarray-bias-shift");
  assert.equal(chooseBlevPath({ ...base, subarray: true, aperture: "WFC1A-2K", ccdgain: 1 }), "classic");
  assert.equal(chooseBlevPath({ ...base, subarray: true, aperture: "WFC1-512" }), "classic");
});
