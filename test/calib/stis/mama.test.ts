/**
 * The STIS MAMA steps of calstis1 on hand-computed cases: the MLINTAB row, the true/observed rate of the
 * paralysable dead-time model, the global correction and its limit (GLOBLIM), the local flags with their
 * neighbourhood, the Poisson error array and the NUV dark mean.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { CalibrationError } from "../../../src/calib/common/errors.js";
import { createImageSet } from "../../../src/calib/common/imset.js";
import { imageStatistics, SATPIXEL } from "../../../src/calib/stis/basic2d.js";
import { mamaNonlinearityHistory } from "../../../src/calib/stis/history.js";
import {
  globalRate,
  initMamaErrors,
  linearityRow,
  meanNuvDark,
  nonlinearity,
  type StisLinearityRow,
  trueRateRatio,
} from "../../../src/calib/stis/mama.js";
import { Random } from "../../../src/sim/random.js";

const rows: StisLinearityRow[] = [
  { DETECTOR: "NUV-MAMA", GLOBAL_LIMIT: 300000, LOCAL_LIMIT: 200, TAU: 2.8e-7, EXPAND: 1.5 },
  { DETECTOR: "FUV-MAMA", GLOBAL_LIMIT: 100, LOCAL_LIMIT: 50, TAU: 1e-3, EXPAND: 1.5 },
];

test("MLINTAB row: the header's DETECTOR spelt alike; an unknown detector names the table and keyword", () => {
  assert.equal(linearityRow(rows, "FUV-MAMA", "MLINTAB x_lin.fits").GLOBAL_LIMIT, 100);
  assert.throws(() => linearityRow(rows, "FUV_MAMA", "MLINTAB x_lin.fits"), CalibrationError);
  assert.throws(
    () => linearityRow(rows, "CCD", "MLINTAB x_lin.fits"),
    (e: unknown) => e instanceof CalibrationError && /x_lin\.fits.*DETECTOR = CCD/.test(e.message),
  );
});

test("true rate: x·exp(−τx) of the answer gives back the observed rate; 1 for no counts", () => {
  const tau = 1e-3;
  for (const y of [1, 50, 200]) {
    const x = y * trueRateRatio(y, tau);
    assert.ok(Math.abs(x * Math.exp(-tau * x) - y) < 1e-6 * y, `y=${y}`);
    assert.ok(x > y);
  }
  assert.equal(trueRateRatio(0, tau), 1);
  assert.equal(trueRateRatio(-3, tau), 1);
});

test("GLINCORR scales SCI and ERR under the limit; over it GLOBLIM is exceeded and nothing changes", () => {
  const set = createImageSet(4, 4);
  set.sci.fill(2);
  set.err.fill(1);
  assert.equal(globalRate(set, 10), 3.2);
  const r = nonlinearity(set, { row: rows[1]!, exptime: 10, glincorr: true, lflgcorr: false, bin: [1, 1] });
  const ratio = Math.fround(trueRateRatio(3.2, 1e-3));
  assert.equal(r.exceeded, false);
  assert.equal(set.sci[5], Math.fround(2 * ratio));
  assert.equal(set.err[5], Math.fround(ratio));
  const bright = createImageSet(4, 4);
  bright.sci.fill(100);
  const b = nonlinearity(bright, { row: rows[1]!, exptime: 10, glincorr: true, lflgcorr: false, bin: [1, 1] });
  assert.deepEqual([b.exceeded, b.globrate, bright.sci[0]], [true, 160, 100]);
});

test("LFLGCORR flags a pixel over LOCAL_LIMIT × EXPTIME within EXPAND pixels, clipped at the edges", () => {
  const set = createImageSet(7, 7);
  set.sci[3 * 7 + 3] = 501; // limit 50 × 10 × 1/4 = 125 for unbinned (high-res area 1/4)
  set.sci[0] = 126;
  const r = nonlinearity(set, { row: rows[1]!, exptime: 10, glincorr: false, lflgcorr: true, bin: [1, 1] });
  assert.equal(r.localCount, 2);
  const flagged = (i: number, j: number) => (set.dq[j * 7 + i]! & SATPIXEL) !== 0;
  // radius 1.5: the 3×3 block around (3,3), not (5,3) nor (4,5).
  for (const [i, j] of [
    [3, 3],
    [2, 2],
    [4, 4],
    [4, 2],
  ] as const)
    assert.ok(flagged(i, j), `(${i},${j})`);
  assert.ok(!flagged(5, 3) && !flagged(4, 5) && !flagged(3, 1));
  assert.ok(flagged(0, 0) && flagged(1, 1) && !flagged(2, 0));
  assert.equal(set.sci[3 * 7 + 3], 501);
});

test("MAMA errors: sqrt(SCI) for counts, 0 otherwise; an existing ERR is kept", () => {
  const set = createImageSet(3, 1);
  set.sci.set([9, 0, -2]);
  assert.equal(initMamaErrors(set), true);
  assert.deepEqual([...set.err], [3, 0, 0]);
  set.sci[1] = 16;
  assert.equal(initMamaErrors(set), false);
  assert.equal(set.err[1], 0);
});

test("NUV dark mean ignores flagged pixels and scales a 2048² high-res dark to low-res", () => {
  const dark = createImageSet(2048, 2048);
  dark.sci.fill(0.001);
  dark.sci[0] = 1000;
  dark.dq[0] = 4;
  assert.ok(Math.abs(meanNuvDark(dark) - 4 * Math.fround(0.001)) < 1e-15);
});

/**
 * A 1024² low-res FUV-MAMA exposure (bin 2 high-res pixels, EXPTIME 20 s) through cs1.e 3.5.0 `-glin -lflg
 * -stat` with an MLINTAB row GLOBAL_LIMIT 2e5 (or 1e5), LOCAL_LIMIT 40, TAU 1.9e-6, EXPAND 2.5: the values
 * below are cs1.e's (GLOBRATE, GLOBLIM, the SATPIXEL pixels, SCI/ERR at five pixels, NGOODPIX).
 */
function fuvMamaExposure() {
  const rng = new Random("stis-fuv-mama-nonlinearity");
  const n = 1024;
  const set = createImageSet(n, n);
  for (let k = 0; k < set.sci.length; k++) set.sci[k] = rng.poisson(2);
  for (let j = 500; j < 503; j++) for (let i = 600; i < 603; i++) set.sci[j * n + i] = 900;
  set.sci[10 * n + 1020] = 700;
  set.sci[1023 * n] = 801;
  return set;
}
const cs1Row = (globalLimit: number): StisLinearityRow => ({
  DETECTOR: "FUV-MAMA",
  GLOBAL_LIMIT: globalLimit,
  LOCAL_LIMIT: 40,
  TAU: 1.9e-6,
  EXPAND: Math.fround(2.5),
});
const flaggedPixels = (set: ReturnType<typeof createImageSet>) =>
  [...set.dq.keys()].filter((k) => set.dq[k]! & SATPIXEL).map((k) => [k % 1024, Math.floor(k / 1024)]);
const disc = (x: number, y: number) => [
  [x, y - 1],
  [x - 1, y],
  [x, y],
  [x + 1, y],
  [x, y + 1],
];

test("FUV-MAMA 1024²: GLINCORR, LFLGCORR and the statistics as cs1.e 3.5.0 computes them", () => {
  const set = fuvMamaExposure();
  assert.equal(initMamaErrors(set), true);
  const r = nonlinearity(set, { row: cs1Row(2e5), exptime: 20, glincorr: true, lflgcorr: true, bin: [2, 2] });
  assert.equal(Math.fround(r.globrate), Math.fround(105292.7));
  assert.equal(r.exceeded, false);
  const at = (a: Float32Array, x: number, y: number) => a[y * 1024 + x];
  assert.deepEqual(
    [at(set.sci, 0, 0), at(set.sci, 600, 500), at(set.sci, 1020, 10), at(set.sci, 0, 1023), at(set.sci, 300, 700)],
    [5.18393087387085, 1166.3843994140625, 907.1879272460938, 1038.0821533203125, 1.2959827184677124],
  );
  assert.deepEqual(
    [at(set.err, 0, 0), at(set.err, 600, 500), at(set.err, 300, 700)],
    [2.591965436935425, 38.87948226928711, 1.2959827184677124],
  );
  // A radius of 2.5 high-res pixels is one low-res pixel: each bright pixel flags itself and its 4 neighbours.
  const block: number[][] = [];
  for (let y = 499; y <= 503; y++)
    for (let x = 599; x <= 603; x++) if (!((x === 599 || x === 603) && (y === 499 || y === 503))) block.push([x, y]); // 5×5 less its corners
  const expected = [...disc(1020, 10), ...block, [0, 1022], [0, 1023], [1, 1023]];
  const key = (p: number[]) => p[1]! * 1024 + p[0]!;
  assert.deepEqual(
    flaggedPixels(set),
    expected.sort((a, b) => key(a) - key(b)),
  );
  const stats = imageStatistics(set, 31743);
  assert.equal(stats.sci.NGOODPIX, 1048547);
  assert.equal(stats.sci.GOODMEAN, Math.fround(2.5908926));
  assert.equal(stats.sci.GOODMAX, Math.fround(14.25581));
});

test("FUV-MAMA over GLOBAL_LIMIT: GLOBLIM exceeded, counts left uncorrected, local flags on the raw counts", () => {
  const set = fuvMamaExposure();
  initMamaErrors(set);
  const r = nonlinearity(set, { row: cs1Row(1e5), exptime: 20, glincorr: true, lflgcorr: true, bin: [2, 2] });
  assert.equal(r.exceeded, true);
  assert.deepEqual([set.sci[0], set.sci[500 * 1024 + 600]], [4, 900]);
  // 801 is not over 800 counts uncorrected: the corner pixel stays good (cs1.e: NGOODPIX 1048552).
  assert.equal(imageStatistics(set, 31743).sci.NGOODPIX, 1048552);
});

test("high-res in X only (2048×1024, bin 1×2): the flagged region is an ellipse, as cs1.e 3.5.0 flags it", () => {
  const nx = 2048;
  const set = createImageSet(nx, 1024);
  set.sci.fill(1);
  set.sci[100 * nx + 200] = 900;
  set.sci[2047] = 900;
  initMamaErrors(set);
  const r = nonlinearity(set, { row: cs1Row(2e5), exptime: 20, glincorr: true, lflgcorr: true, bin: [1, 2] });
  assert.equal(Math.fround(r.globrate), Math.fround(104947.5));
  assert.deepEqual([set.sci[100 * nx + 200], set.sci[5 * nx + 5]], [1165.048583984375, 1.2944984436035156]);
  const flagged = [...set.dq.keys()].filter((k) => set.dq[k]! & SATPIXEL).map((k) => [k % nx, Math.floor(k / nx)]);
  assert.deepEqual(flagged, [
    [2045, 0],
    [2046, 0],
    [2047, 0],
    [2046, 1],
    [2047, 1],
    [199, 99],
    [200, 99],
    [201, 99],
    [198, 100],
    [199, 100],
    [200, 100],
    [201, 100],
    [202, 100],
    [199, 101],
    [200, 101],
    [201, 101],
  ]);
  assert.equal(imageStatistics(set, 31743).sci.NGOODPIX, 2097136);
});

test("no exposure time: the header GLOBRATE decides the global limit; the local limit is zero", () => {
  const set = createImageSet(2, 2);
  set.sci.fill(5);
  const o = { row: cs1Row(2e5), exptime: 0, glincorr: true, lflgcorr: true, bin: [2, 2] as [number, number] };
  const over = nonlinearity(set, { ...o, headerGlobrate: 3e5 });
  assert.deepEqual([over.globrate, over.exceeded, set.sci[0]], [3e5, true, 5]);
  assert.equal(over.localCount, 4); // 5 > 40 × 0: every pixel is flagged, as doNonLin would
});

test("HISTORY of the nonlinearity steps as cs1.e 3.5.0 writes it, the table named once", () => {
  const mlintab = {
    name: "ref$mama_lin.fits",
    pedigree: "INFLIGHT 01/01/2000 01/01/2000",
    descrip: "test linearity table",
  };
  assert.deepEqual(mamaNonlinearityHistory(true, true, mlintab), [
    "GLINCORR complete ...",
    "LFLGCORR complete ...",
    "  reference table ref$mama_lin.fits",
    "    INFLIGHT 01/01/2000 01/01/2000",
    "    test linearity table",
  ]);
  assert.deepEqual(mamaNonlinearityHistory(false, true, mlintab).slice(0, 2), [
    "LFLGCORR complete ...",
    "  reference table ref$mama_lin.fits",
  ]);
  assert.deepEqual(mamaNonlinearityHistory(false, false, mlintab), []);
});
