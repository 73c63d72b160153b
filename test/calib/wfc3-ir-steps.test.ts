/**
 * WF3IR steps on tiny hand-made ramps, against values computed by hand from calibration.md §5: the
 * noise model per quadrant, the resistant reference-pixel mean, ZSIGCORR, ZOFFCORR, NLINCORR with
 * saturation carried forward, DARKCORR matched by sample time, UNITCORR, and the straight-line fits.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createImageSet } from "../../src/calib/common/imset.js";
import { WF3_DQ } from "../../src/calib/wfc3/dq.js";
import { darkForTime, subtractIrDark } from "../../src/calib/wfc3/ir-dark.js";
import { divideFlatInside } from "../../src/calib/wfc3/ir-flat.js";
import { fitInterval, optimumPower } from "../../src/calib/wfc3/ir-linfit.js";
import { correctNonLinearity } from "../../src/calib/wfc3/ir-nlin.js";
import { noiseImage, quadrantOf } from "../../src/calib/wfc3/ir-noise.js";
import { readStatistics } from "../../src/calib/wfc3/ir-read-stats.js";
import { sampZero, toCountRates } from "../../src/calib/wfc3/ir-unit.js";
import { subtractZeroRead } from "../../src/calib/wfc3/ir-zoff.js";
import { zeroReadSignal } from "../../src/calib/wfc3/ir-zsig.js";
import { createRead, type MultiAccum } from "../../src/calib/wfc3/multiaccum.js";
import type { NonLinearity } from "../../src/calib/wfc3/nlinfile.js";
import { resistantMean } from "../../src/calib/wfc3/resistant-mean.js";

const NX = 4;
const NY = 4;
const amps = {
  atodgain: [2, 2, 2, 2] as [number, number, number, number],
  readnoise: [4, 4, 4, 4] as [number, number, number, number],
  ampx: 2,
  ampy: 2,
};

function ramp(values: number[][], times: number[]): MultiAccum {
  const reads = values.map((v, k) => {
    const r = createRead(NX * NY, times[k]);
    r.sci.fill(v[0]);
    r.time.fill(times[k]);
    return r;
  });
  return { nx: NX, ny: NY, reads, border: { x: [1, 1], y: [1, 1] }, ltv: [0, 0], chip: 1 };
}

function nlin(coef1: number, node: number): NonLinearity {
  const n = NX * NY;
  return {
    nx: NX,
    ny: NY,
    coef: [new Float32Array(n), new Float32Array(n).fill(coef1)],
    dq: new Uint16Array(n),
    node: new Float32Array(n).fill(node),
    zsci: new Float32Array(n).fill(100),
    zerr: new Float32Array(n).fill(3),
  };
}

test("quadrants and the noise model: ERR = sqrt(RN² + |SCI·g|)/g inside the border", () => {
  assert.equal(quadrantOf(0, 3, [2, 2]), 0);
  assert.equal(quadrantOf(0, 0, [2, 2]), 1);
  assert.equal(quadrantOf(3, 0, [2, 2]), 2);
  assert.equal(quadrantOf(3, 3, [2, 2]), 3);
  const sci = new Float32Array(16).fill(6);
  const err = new Float32Array(16);
  noiseImage(sci, err, NX, NY, { x: [1, 1], y: [1, 1] }, amps, [0, 0]);
  assert.equal(err[5], Math.fround(Math.sqrt(16 + 12)) / 2);
  assert.equal(err[0], 0, "reference pixels untouched");
});

test("resistant mean ignores outliers", () => {
  const values = Float32Array.from([10, 11, 9, 10, 10, 11, 9, 10, 500, -300]);
  const r = resistantMean(values, 3);
  assert.equal(r.used, 8);
  assert.ok(Math.abs(r.mean - 10) < 1e-6);
});

test("resistant mean in hstcal's floats: squares and mean rounded to float, a negative variance is a zero sigma", () => {
  // 3 × 11000, 5 × 11001, 2 × 11002: Σx² in float (11001² → 121022000, 11002² → 121044000) / 10 = 121019800,
  // below the float mean 11000.900390625 squared, so sigma is 0 and only the values at the median survive.
  const values = Float32Array.from([11000, 11001, 11002, 11001, 11000, 11001, 11002, 11001, 11000, 11001]);
  assert.deepEqual(resistantMean(values, 3), { mean: 11001, sigma: 0, used: 5 });
  // The median falls between the values: hstcal would keep none (mean NaN); the first round's survivors are used.
  const halves = Float32Array.from([11000, 11000, 11001, 11001, 11000, 11001]);
  assert.deepEqual(resistantMean(halves, 3), { mean: 11000.5, sigma: 0, used: 6 });
});

test("ZSIGCORR keeps a significant zero-read signal, flags ZEROSIG and adds it to the zeroth read", () => {
  const m = ramp([[160], [200]], [0, 3]);
  // zsig = 160 - 100 = 60 DN; noise = sqrt(((16 + 120)/4) + 9) ≈ 6.6 → significant
  const z = zeroReadSignal(m, nlin(0, 1e6), amps, [0, 0]);
  assert.equal(z.zsig[5], 60);
  assert.equal(m.reads[0].dq[5] & WF3_DQ.ZEROSIG, WF3_DQ.ZEROSIG);
  assert.equal(m.reads[0].sci[5], 220);
  assert.equal(z.zsig[0], 0, "border untouched");
  const quiet = ramp([[105], [200]], [0, 3]);
  const q = zeroReadSignal(quiet, nlin(0, 1e6), amps, [0, 0]);
  assert.equal(q.zsig[5], 0, "5 DN is below 4σ");
  const saturated = ramp([[160], [200]], [0, 3]);
  zeroReadSignal(saturated, nlin(0, 50), amps, [0, 0]);
  assert.equal(saturated.reads[0].dq[5], WF3_DQ.SATPIXEL | WF3_DQ.ZEROSIG);
  assert.equal(saturated.reads[1].dq[5], WF3_DQ.SATPIXEL);
});

test("ZSIGCORR's ZEROSIG (signal or first-read saturation) reaches every later read through NLINCORR", () => {
  const m = ramp([[160], [200], [260]], [0, 3, 28]);
  m.reads[1].sci[10] = 400; // 300 DN over ZSCI in the first read: saturated there (NODE 250), not in the zeroth
  m.reads[0].sci[10] = 100;
  m.reads[0].sci[6] = 100; // no zero-read signal
  const z = zeroReadSignal(m, nlin(0, 250), amps, [0, 0]);
  assert.equal(z.zerosig[5], 1);
  assert.equal(z.zerosig[10], 1, "saturated in the first read");
  assert.equal(m.reads[0].dq[10], 0, "the zeroth read itself is not flagged for first-read saturation");
  subtractZeroRead(m, { sci: Float32Array.from(m.reads[0].sci), time: new Float32Array(16), samptime: 0 });
  correctNonLinearity(m, nlin(0, 1e6), z, [0, 0]);
  for (const k of [1, 2]) {
    assert.equal(m.reads[k].dq[5] & WF3_DQ.ZEROSIG, WF3_DQ.ZEROSIG, `read ${k} pixel 5`);
    assert.equal(m.reads[k].dq[10] & WF3_DQ.ZEROSIG, WF3_DQ.ZEROSIG, `read ${k} pixel 10`);
    assert.equal(m.reads[k].dq[6] & WF3_DQ.ZEROSIG, 0, `read ${k} pixel 6 had no zero-read signal`);
  }
  assert.equal(m.reads[0].dq[6] & WF3_DQ.ZEROSIG, 0);
});

test("ZOFFCORR subtracts the zeroth read from SCI, TIME and SAMPTIME", () => {
  const m = ramp([[100], [130], [170]], [0.5, 3, 28]);
  const zero = { sci: Float32Array.from(m.reads[0].sci), time: Float32Array.from(m.reads[0].time), samptime: 0.5 };
  subtractZeroRead(m, zero);
  assert.deepEqual([m.reads[1].sci[5], m.reads[2].sci[5], m.reads[0].sci[5]], [30, 70, 0]);
  assert.deepEqual([m.reads[1].time[5], m.reads[2].samptime], [2.5, 27.5]);
});

test("NLINCORR: s(1 + c1·s) below NODE, saturation flagged above it and carried to later reads", () => {
  const m = ramp([[0], [1000], [3000], [2000]], [0, 3, 28, 53]);
  m.reads[2].dq[6] = 0;
  const saturated = correctNonLinearity(m, nlin(1e-5, 2500), undefined, [0, 0]);
  assert.equal(m.reads[1].sci[5], Math.fround(1000 * Math.fround(1 + 1e-5 * 1000)));
  assert.equal(m.reads[2].dq[5] & WF3_DQ.SATPIXEL, WF3_DQ.SATPIXEL);
  assert.equal(m.reads[2].sci[5], 3000, "a saturated read is not corrected");
  assert.equal(m.reads[3].dq[5] & WF3_DQ.SATPIXEL, WF3_DQ.SATPIXEL, "saturation carries forward");
  assert.equal(m.reads[3].sci[5], 2000);
  assert.equal(saturated, 4);
});

test("DARKCORR matches the dark imset by sample time and reports MEANDARK", () => {
  const m = ramp([[0], [10], [40]], [0, 3, 28]);
  const imset = (t: number, v: number) => ({
    samptime: t,
    sci: new Float32Array(16).fill(v),
    err: new Float32Array(16),
    dq: new Uint16Array(16),
  });
  const dark = { nx: NX, ny: NY, imsets: [imset(28.004, 4), imset(3, 1), imset(0, 0)] };
  const means = subtractIrDark(m, dark, true, [0, 0]);
  assert.deepEqual(means, [0, 1, 4]);
  assert.deepEqual([m.reads[1].sci[5], m.reads[2].sci[5]], [9, 36]);
  assert.throws(() => darkForTime(dark, 50, true), /SAMPTIME 50/);
  assert.ok(Math.abs(darkForTime(dark, 15.5, false).sci[0] - 2.5) < 1e-3, "non-standard sequences interpolate");
});

test("UNITCORR divides by TIME; the zeroth read by SAMPZERO", () => {
  const m = ramp([[6], [30]], [0, 3]);
  const sz = sampZero(3);
  assert.equal(sz, 3 - 0.020535);
  toCountRates(m, sz);
  assert.equal(m.reads[1].sci[5], 10);
  assert.equal(m.reads[0].sci[5], Math.fround(6 * Math.fround(1 / sz)));
});

test("IR FLATCORR divides inside the reference-pixel border only; a zero flat value gives SCI = ERR = 0", () => {
  const read = createRead(NX * NY);
  read.sci.fill(8);
  read.err.fill(2);
  const flat = createImageSet(NX, NY);
  flat.sci.fill(2);
  flat.err.fill(0.5);
  flat.sci[6] = 0;
  flat.dq[5] = 512;
  divideFlatInside(read, NX, NY, { x: [1, 1], y: [1, 1] }, { set: flat, x0: 0, y0: 0 });
  assert.equal(read.sci[5], 4);
  // sqrt(2²/2² + 8²·0.5²/2⁴) = sqrt(1 + 1)
  assert.equal(read.err[5], Math.fround(Math.SQRT2));
  assert.equal(read.dq[5], 512);
  assert.deepEqual([read.sci[6], read.err[6]], [0, 0]);
  assert.deepEqual([read.sci[0], read.err[0], read.sci[15]], [8, 2, 8], "reference pixels untouched");
});

test("IR FLATCORR with the gain: each value rounded to float, then × gain, the reference pixels × gain only", () => {
  const read = createRead(NX * NY);
  read.sci.set([3, 7.1, 1e-3, -5, 11, 8.3, 0.7, 2, 9, 1e7, -0.2, 4, 5, 6, 7, 8]);
  read.err.set([1, 0.3, 2, 0.01, 3, 0.9, 0.1, 4, 5, 6, 0.25, 1, 2, 3, 4, 5]);
  const flat = createImageSet(NX, NY);
  flat.sci.set([1, 1, 1, 1, 1, 0.97, 0, 1, 1, 1.03, 3, 1, 1, 1, 1, 1]);
  flat.err.fill(0.013);
  const gain = 2.34;
  divideFlatInside(read, NX, NY, { x: [1, 1], y: [1, 1] }, { set: flat, x0: 0, y0: 0 }, gain);
  const f = Math.fround;
  const g = f(gain);
  // the division alone, then the whole image × gain as a second pass (hstcal's div then multk)
  const [sci, err] = [
    [3, 7.1, 1e-3, -5, 11, 8.3, 0.7, 2, 9, 1e7, -0.2, 4, 5, 6, 7, 8].map(f),
    [1, 0.3, 2, 0.01, 3, 0.9, 0.1, 4, 5, 6, 0.25, 1, 2, 3, 4, 5].map(f),
  ];
  for (const k of [5, 6, 9, 10]) {
    const [a, b, ea, eb] = [sci[k], flat.sci[k], err[k], flat.err[k]];
    if (b === 0) [sci[k], err[k]] = [0, 0];
    else {
      const b2 = f(b * b);
      const fromFlat = f(f(f(f(f(a * a) * eb) * eb)) / f(b2 * b2));
      [sci[k], err[k]] = [f(a / b), f(Math.sqrt(f(f(f(ea * ea) / b2) + fromFlat)))];
    }
  }
  assert.deepEqual(
    Array.from(read.sci),
    sci.map((v) => f(v * g)),
  );
  assert.deepEqual(
    Array.from(read.err),
    err.map((v) => f(v * g)),
  );
});

test("IR statistics keywords as calwf3.e writes them: ERR statistics as SNR*, SCI/ERR ones as the ERR GOOD*", () => {
  const read = createRead(NX * NY);
  // Inside the border: SCI 10, 20, 30, 40 with ERR 2, 4, 5, 8 (SNR 5, 5, 6, 5); a flagged pixel is left out.
  [10, 20, 30, 40].forEach((v, q) => {
    const k = [5, 6, 9, 10][q];
    read.sci[k] = v;
    read.err[k] = [2, 4, 5, 8][q];
  });
  read.sci[0] = 1000; // reference pixel
  const stats = readStatistics(read, NX, NY, { x: [1, 1], y: [1, 1] }, 512);
  assert.deepEqual(stats.sci, {
    NGOODPIX: 4,
    GOODMEAN: 25,
    GOODMIN: 10,
    GOODMAX: 40,
    SNRMEAN: 4.75,
    SNRMIN: 2,
    SNRMAX: 8,
  });
  assert.deepEqual(stats.err, { NGOODPIX: 4, GOODMEAN: 5.25, GOODMIN: 5, GOODMAX: 6 });
  read.dq[10] = 512;
  assert.equal(readStatistics(read, NX, NY, { x: [1, 1], y: [1, 1] }, 512).sci.GOODMAX, 30);
});

test("interval fits: exact line, two-sample slope, SNR power table", () => {
  const t = Float32Array.from([0, 1, 2, 3, 4]);
  const y = Float32Array.from([0, 12, 22, 32, 42]);
  const e = Float32Array.from([1, 1, 1, 1, 1]);
  const d = new Float32Array(5);
  const fit = fitInterval(t, y, e, d, [1, 2, 3, 4], 2, false);
  assert.ok(Math.abs(fit.b - 10) < 1e-4 && Math.abs(fit.a - 2) < 1e-3);
  // slope error = sqrt((g·σ_fit·dx)² + g·dy)/dx/g with σ_fit² = S/denom, weights 1/(21/2)²
  const w = 1 / (10.5 * 10.5);
  const S = 4 * w;
  const denom = S * (1 + 4 + 9 + 16) * w - (10 * w) ** 2;
  const expected = Math.sqrt((2 * Math.sqrt(S / denom) * 3) ** 2 + 2 * 30) / 3 / 2;
  assert.ok(Math.abs(fit.sigb - expected) / expected < 1e-4, `${fit.sigb} vs ${expected}`);
  const two = fitInterval(t, y, e, d, [1, 2], 2, true);
  assert.ok(Math.abs(two.b - 10) < 1e-6);
  assert.deepEqual([101, 51, 21, 11, 6, 5].map(optimumPower), [10, 6, 3, 1, 0.4, 0]);
});
