/**
 * Up-the-ramp fitting of single pixels (calibration.md §5 CRCORR): a clean ramp gives its slope, a jump
 * is flagged DATAREJECT and splits the ramp into two intervals whose slopes combine to the true rate, a
 * one-sample spike is flagged SPIKE and left out, four jumps make the pixel HIGH_CURVATURE, and a band
 * of pixels returns SCI/ERR/DQ/SAMP/TIME and the flags written back to the reads; without UNITCORR the
 * reads are counts and so is the result (hstcal cridcalc.c's BUNIT COUNTS).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { WF3_DQ } from "../../src/calib/wfc3/dq.js";
import { rejectBand } from "../../src/calib/wfc3/ir-crcorr.js";
import { modelledDark } from "../../src/calib/wfc3/ir-linfit.js";
import { fitRamp, type PixelRamp } from "../../src/calib/wfc3/ir-ramp-fit.js";

const TIMES = [0, 2.9, 27.9, 52.9, 77.9, 102.9, 127.9, 152.9, 177.9];

function pixel(rate: number, extra: (k: number) => number = () => 0): PixelRamp {
  const n = TIMES.length;
  const p: PixelRamp = {
    sci: Float32Array.from(TIMES, (t, k) => rate * t + extra(k)),
    err: new Float32Array(n).fill(10),
    dq: new Uint16Array(n),
    time: Float32Array.from(TIMES),
    dark: new Float32Array(n),
    n,
  };
  modelledDark(p.time, 2.5, p.dark);
  return p;
}

test("a clean ramp: slope, samples and integration time", () => {
  const p = pixel(5);
  const r = fitRamp(p, 2.5, 4, 39);
  assert.ok(Math.abs(r.rate - 5) < 1e-4);
  assert.equal(r.samp, 9);
  assert.ok(Math.abs(r.time - 177.9) < 1e-4);
  assert.ok(r.err > 0 && r.err < 0.5);
  assert.ok(p.dq.every((d) => d === 0));
});

test("a jump is flagged and the two intervals give the true rate", () => {
  const p = pixel(5, (k) => (k >= 5 ? 400 : 0));
  const r = fitRamp(p, 2.5, 4, 39);
  assert.equal(p.dq[5], WF3_DQ.DATAREJECT);
  assert.ok(Math.abs(r.rate - 5) < 1e-3, `${r.rate}`);
  assert.equal(r.samp, 5 + 4 - 1);
});

test("a one-sample spike is flagged SPIKE and ignored", () => {
  const p = pixel(5, (k) => (k === 4 ? 300 : 0));
  const r = fitRamp(p, 2.5, 4, 39);
  assert.equal(p.dq[4], WF3_DQ.SPIKE);
  assert.ok(Math.abs(r.rate - 5) < 1e-3, `${r.rate}`);
});

test("a band: rates, flags written back to the reads (DATAREJECT after the hit), SATPIXEL dropped", () => {
  const nx = 3;
  const reads = TIMES.map((t, k) => {
    const counts = [5 * t, 5 * t + (k >= 6 ? 500 : 0), 5 * t];
    return {
      sci: Float32Array.from(counts, (c) => (t ? c / t : 0)),
      err: Float32Array.from(counts, () => (t ? 10 / t : 0)),
      dq: Uint16Array.from([0, 0, k === 8 ? WF3_DQ.SATPIXEL : 0]),
      time: new Float32Array(nx).fill(t),
      samp: new Int16Array(nx).fill(k),
    };
  });
  const out = rejectBand({
    nx,
    ny: 1,
    reads,
    x0: 0,
    x1: nx,
    meanGain: 2.5,
    thresh: 4,
    badinpdq: 39,
    zsigDone: true,
    sampzero: 2.88,
    countRates: true,
  });
  for (const i of [0, 1]) assert.ok(Math.abs(out.sci[i] - 5) < 1e-3, `${out.sci[i]}`);
  assert.ok(Math.abs(out.sci[2] - 5) < 1e-3);
  assert.equal(out.dq[2], 0, "SATPIXEL is not propagated to the output");
  assert.deepEqual(
    out.readDq.map((d) => d[1] & WF3_DQ.DATAREJECT),
    [0, 0, 0, 0, 0, 0, 8192, 8192, 8192],
  );
  assert.equal(out.samp[0], 9);
});

test("without UNITCORR the reads are counts: fitted as they are, the result in counts (rate × TIME)", () => {
  const band = (countRates: boolean) => {
    const reads = TIMES.map((t, k) => {
      const counts = [5 * t, 5 * t + (k >= 6 ? 500 : 0)];
      return {
        sci: Float32Array.from(counts, (c) => (countRates ? (t ? c / t : 0) : c)),
        err: Float32Array.from(counts, () => (countRates ? (t ? 10 / t : 0) : 10)),
        dq: new Uint16Array(2),
        time: new Float32Array(2).fill(t),
        samp: new Int16Array(2).fill(k),
      };
    });
    const input = { nx: 2, ny: 1, reads, x0: 0, x1: 2, meanGain: 2.5, thresh: 4, badinpdq: 39 };
    return rejectBand({ ...input, zsigDone: true, sampzero: 2.88, countRates });
  };
  const rates = band(true);
  const counts = band(false);
  for (const i of [0, 1]) {
    assert.equal(counts.time[i], rates.time[i]);
    assert.ok(Math.abs(counts.sci[i] - rates.sci[i] * rates.time[i]) < 1e-3 * counts.sci[i], `${counts.sci[i]}`);
    assert.ok(Math.abs(counts.err[i] - rates.err[i] * rates.time[i]) < 1e-3 * counts.err[i]);
  }
  assert.deepEqual(
    counts.readDq.map((d) => d[1]),
    rates.readDq.map((d) => d[1]),
    "the same jump is found",
  );
});
