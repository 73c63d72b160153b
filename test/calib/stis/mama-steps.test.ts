/**
 * The MAMA pieces of calstis1 and calstis8 on hand-computed cases: the pixel size from LTM, the post-SM4
 * TDCTAB row and factor (and its errors), the low-order flat expanded and multiplied in, PHOTMODE, and the
 * REPEATOBS sum (variances added, DQ ORed, a bad image set skipped, EXPEND of the last read), and a high-res
 * reference binned to a low-res image.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { CalibrationError } from "../../../src/calib/common/errors.js";
import { createImageSet } from "../../../src/calib/common/imset.js";
import {
  binnedReference,
  mamaBin,
  mamaCorner,
  mamaPhotmode,
  type TdcRow,
  tdcFactor,
  withLowOrderFlat,
} from "../../../src/calib/stis/mama-steps.js";
import { sumRepeats } from "../../../src/calib/stis/rptsum.js";

test("MAMA pixel size: LTM 1 is low-res (2 high-res pixels), LTM 2 high-res", () => {
  assert.deepEqual(mamaBin([1, 1]), [2, 2]);
  assert.deepEqual(mamaBin([2, 2]), [1, 1]);
  assert.deepEqual(mamaBin([2, 1]), [1, 2]);
});

const row = (DATE0: number, TA: number): TdcRow => ({
  DATE0,
  TEMP0: 30,
  A1: 0.01,
  D1: 100,
  A2: 0,
  D2: 1,
  TA,
  TB: 1e-4,
  TC: 1e-5,
});

test("TDCTAB: the latest DATE0 before EXPSTART; rate = A1·e^(−Δt/D1) + A2·e^(−Δt/D2) + TA + TB·ΔT + TC·ΔT², ÷ mean dark", () => {
  const rows = [row(50000, 1e-3), row(55000, 2e-3), row(60000, 200)];
  const t = tdcFactor(rows, { expstart: 55100, temperature: 35, meanDark: 0.002, table: "TDCTAB t" });
  const rate = 0.01 * Math.exp(-1) + 2e-3 + 1e-4 * 5 + 1e-5 * 25;
  assert.ok(Math.abs(t.factor - rate / 0.002) < 1e-12, String(t.factor));
  assert.deepEqual(t.warnings, []);
  // Unknown temperature (−1): ΔT = −31, used as calstis does.
  const cold = tdcFactor(rows, { expstart: 55100, temperature: -1, meanDark: 0.002, table: "TDCTAB t" });
  assert.ok(Math.abs(cold.factor - (0.01 * Math.exp(-1) + 2e-3 - 31e-4 + 961e-5) / 0.002) < 1e-12);
  // EXPSTART equal to the only DATE0: no row strictly before it, factor 1 with a warning.
  assert.deepEqual(tdcFactor([row(55000, 1e-3)], { expstart: 55000, temperature: 30, meanDark: 1, table: "T" }), {
    factor: 1,
    warnings: ["Warning  No valid row found in TDCTAB T"],
  });
  assert.throws(
    () => tdcFactor(rows, { expstart: 49999, temperature: 30, meanDark: 1, table: "TDCTAB t" }),
    (e: unknown) =>
      e instanceof CalibrationError && e.message === "TDCTAB t: EXPSTART 49999 precedes the earliest DATE0 (50000)",
  );
  assert.throws(
    () => tdcFactor([], { expstart: 1, temperature: 1, meanDark: 1, table: "TDCTAB e" }),
    /TDCTAB e is empty/,
  );
  const huge = tdcFactor(rows, { expstart: 60001, temperature: 30, meanDark: 0.001, table: "T" });
  assert.deepEqual(huge.warnings.length, 2, "a rate over 100 and a factor over 100 are both reported");
});

test("low-order flat: expanded by linear interpolation (extrapolated at the edges) and multiplied into the flat", () => {
  const flat = createImageSet(4, 1);
  flat.sci.fill(2);
  flat.err.fill(0.1);
  const lflt = createImageSet(2, 1);
  lflt.sci.set([1, 3]);
  lflt.err.set([0, 0]);
  lflt.dq.set([0, 4]);
  const product = withLowOrderFlat(flat, lflt, "FLATCORR: LFLTFILE l");
  // Expanded ×2 in x (×1 in y): samples at (m − 0.5)/2 = −0.25, 0.25, 0.75, 1.25 → 0.5, 1.5, 2.5, 3.5 (the
  // outer two extrapolated from the edge pair); DQ from the nearest sample at the edges, else the pair ORed.
  assert.deepEqual([...product.sci.subarray(0, 4)], [1, 3, 5, 7]);
  assert.deepEqual([...product.dq.subarray(0, 4)], [0, 0, 0, 4]);
  assert.ok(Math.abs(product.err[0]! - Math.fround(0.1 * 0.5)) < 1e-7);
  assert.throws(
    () => withLowOrderFlat(flat, createImageSet(3, 1), "FLATCORR: LFLTFILE l"),
    (e: unknown) =>
      e instanceof CalibrationError && /3x1 low-order flat does not expand to the 4x1 flat/.test(e.message),
  );
  assert.throws(
    () => withLowOrderFlat(createImageSet(4, 4), createImageSet(2, 1), "FLATCORR: LFLTFILE l"),
    /a 2x1 low-order flat cannot be interpolated along an axis of one pixel/,
  );
});

test("MAMA PHOTMODE: MIRROR for MIR*, the detector without its dash, CENWAVE for spectroscopy only", () => {
  const o = { aperture: "25MAMA", optElem: "MIRROR", detector: "NUV-MAMA", obstype: "IMAGING", expstart: 56000.348 };
  assert.equal(mamaPhotmode(o), "STIS 25MAMA MIRROR NUVMAMA MJD#56000.3480");
  assert.equal(
    mamaPhotmode({ ...o, optElem: "G140L", detector: "FUV-MAMA", obstype: "SPECTROSCOPIC", cenwave: 1425 }),
    "STIS 25MAMA G140L FUVMAMA 1425 MJD#56000.3480",
  );
});

test("REPEATOBS sum: SCI added, ERR = √Σ ERR², DQ ORed; an IMSET_OK = F set skipped but its EXPEND kept if last", () => {
  const make = (v: number, e: number, dq: number) => {
    const s = createImageSet(2, 1);
    s.sci.fill(v);
    s.err.fill(e);
    s.dq.fill(dq);
    return s;
  };
  const sum = sumRepeats([
    { set: make(1, 3, 0), exptime: 10, expend: 1, ok: true },
    { set: make(100, 100, 8), exptime: 10, expend: 2, ok: false },
    { set: make(2, 4, 16), exptime: 20, expend: 3, ok: true },
    { set: make(7, 7, 32), exptime: 5, expend: 4, ok: false },
  ])!;
  assert.deepEqual([...sum.set.sci], [3, 3]);
  assert.deepEqual([...sum.set.err], [5, 5]);
  assert.deepEqual([...sum.set.dq], [16, 16]);
  assert.deepEqual([sum.first, sum.nrptexp, sum.exptime, sum.expend], [0, 2, 30, 4]);
  assert.equal(sumRepeats([{ set: make(1, 1, 0), exptime: 1, expend: 1, ok: false }]), undefined);
});

test("a high-res reference under a low-res image: corner from LTV, 2×2 sums (dark) or means (flat), DQ ORed", () => {
  const lowRes = { ltm: [1, 1] as [number, number], ltv: [0, 0] as [number, number] };
  const highRes = { ltm: [2, 2] as [number, number], ltv: [-0.5, -0.5] as [number, number] };
  assert.deepEqual(mamaCorner(lowRes), { bin: [2, 2], corner: [0, 0] });
  assert.deepEqual(mamaCorner(highRes), { bin: [1, 1], corner: [0, 0] });
  const science = createImageSet(2, 1, { geometry: lowRes });
  const reference = createImageSet(4, 2, { geometry: highRes });
  reference.sci.set([1, 2, 3, 4, 5, 6, 7, 8]);
  reference.err.set([1, 1, 2, 2, 1, 1, 2, 2]);
  reference.dq.set([0, 4, 0, 0, 0, 0, 0, 16]);
  const sum = binnedReference(science, reference, false, "DARKFILE d");
  assert.deepEqual([...sum.sci], [1 + 2 + 5 + 6, 3 + 4 + 7 + 8]);
  assert.deepEqual([...sum.err], [2, 4]);
  assert.deepEqual([...sum.dq], [4, 16]);
  const mean = binnedReference(science, reference, true, "FLATCORR");
  assert.deepEqual([...mean.sci], [3.5, 5.5]);
  assert.deepEqual([...mean.err], [0.5, 1]);
  assert.equal(binnedReference(science, science, true, "FLATCORR"), science, "same pixels: used as it is");
  assert.throws(
    () => binnedReference(reference, science, true, "FLATCORR"),
    (e: unknown) => e instanceof CalibrationError && /do not bin to the science's 1x1/.test(e.message),
  );
  assert.throws(
    () => binnedReference(createImageSet(4, 1, { geometry: lowRes }), reference, false, "DARKFILE d"),
    /a 4x2 reference binned 2x2 from \(0, 0\) does not cover the 4x1 image/,
  );
});
