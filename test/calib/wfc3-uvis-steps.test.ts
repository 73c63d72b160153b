/**
 * WF3CCD and WF32D steps on small hand-made image sets, against values worked out by hand from
 * calibration.md §4: CCDTAB (BINAXIS must match, mean gain) and OSCNTAB rows, ERR initialisation in DN,
 * DQICORR saturation and the BPIXTAB shift past the serial virtual overscan, the 3.5σ / 2·RN cleaning,
 * BLEVCORR from the virtual overscan per amp, the middle-column trim, DARKCORR by EXPTIME / ATODGN of
 * each amp, FLATCORR to electrons with the mean gain, PHOTMODE and FLUXCORR.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createImageSet } from "../../src/calib/common/imset.js";
import { selectWf3CcdParameters, type Wf3CcdParameters } from "../../src/calib/wfc3/ccdtab.js";
import { WF3_DQ } from "../../src/calib/wfc3/dq.js";
import { applyFluxCorrection } from "../../src/calib/wfc3/fluxcorr.js";
import { findWf3Overscan, type Wf3Overscan } from "../../src/calib/wfc3/oscntab.js";
import { wf3Photmode } from "../../src/calib/wfc3/photometry.js";
import { ampColumns, ampsOfChip } from "../../src/calib/wfc3/uvis-amps.js";
import { cleanLevels, subtractUvisBiasLevel } from "../../src/calib/wfc3/uvis-blev.js";
import { subtractUvisDark } from "../../src/calib/wfc3/uvis-dark.js";
import { uvisDqi } from "../../src/calib/wfc3/uvis-dqicorr.js";
import { flatFieldToElectrons } from "../../src/calib/wfc3/uvis-flat.js";
import { initUvisErrors } from "../../src/calib/wfc3/uvis-noise.js";
import { trimUvis } from "../../src/calib/wfc3/uvis-trim.js";

const row = (chip: number, over: Record<string, unknown> = {}) => ({
  CCDAMP: "ABCD",
  CCDCHIP: chip,
  CCDGAIN: 1.5,
  BINAXIS1: 1,
  BINAXIS2: 1,
  CCDOFSTA: 3,
  CCDOFSTB: 3,
  CCDOFSTC: 3,
  CCDOFSTD: 3,
  CCDBIASA: 100,
  CCDBIASB: 110,
  CCDBIASC: 120,
  CCDBIASD: 130,
  ATODGNA: 1.5,
  ATODGNB: 1.6,
  ATODGNC: 1.7,
  ATODGND: 1.8,
  READNSEA: 3,
  READNSEB: 3,
  READNSEC: 3.2,
  READNSED: 3.2,
  AMPX: 4,
  AMPY: 0,
  SATURATE: 1000,
  ...over,
});

const want = {
  ccdamp: "ABCD",
  ccdgain: 1.5,
  ccdchip: 2,
  ccdofst: [3, 3, 3, 3] as [number, number, number, number],
  binaxis: [1, 1] as [number, number],
};

function params(chip = 2): Wf3CcdParameters {
  return selectWf3CcdParameters([row(1), row(2)], { ...want, ccdchip: chip });
}

/** A 12 × 3 raw chip: 1 prescan column each side, 2 + 2 serial virtual overscan columns after AMPX = 4. */
const OVERSCAN: Wf3Overscan = {
  trimx: [1, 1],
  trimy: [0, 1],
  trimx3: 2,
  trimx4: 2,
  biassect: [
    [0, 0],
    [11, 11],
    [5, 6],
    [7, 8],
  ],
  vleft: { x: [-1, -1], y: [-1, -1] },
  vright: { x: [-1, -1], y: [-1, -1] },
};

test("CCDTAB: BINAXIS must match; the mean of the four ATODGN is the flat-field gain", () => {
  const p = params();
  assert.equal(p.meanGain, Math.fround((1.5 + 1.6 + 1.7 + 1.8) / 4));
  assert.equal(p.ccdbias[2], 120);
  assert.throws(() => selectWf3CcdParameters([row(2, { BINAXIS1: 2 })], want), /Matching row not found/);
  assert.equal(selectWf3CcdParameters([row(-1)], want).ccdchip, 2, "wildcards match");
});

test("OSCNTAB: 1-based columns become 0-based, absent sections are [-1, -1]", () => {
  const o = findWf3Overscan(
    [
      {
        CCDAMP: "ABCD",
        CCDCHIP: 1,
        BINX: 1,
        BINY: 1,
        NX: 4206,
        NY: 2070,
        TRIMX1: 25,
        TRIMX2: 25,
        TRIMX3: 30,
        TRIMX4: 30,
        TRIMY1: 19,
        TRIMY2: 0,
        BIASSECTA1: 4,
        BIASSECTA2: 23,
        BIASSECTB1: 0,
        BIASSECTB2: 0,
        BIASSECTC1: 2078,
        BIASSECTC2: 2100,
        BIASSECTD1: 2108,
        BIASSECTD2: 2130,
        VX1: 31,
        VX2: 2000,
        VY1: 3,
        VY2: 17,
        VX3: 2206,
        VX4: 4175,
        VY3: 3,
        VY4: 17,
      },
    ],
    { ccdamp: "ABCD", ccdchip: 1, bin: [1, 1], nx: 4206, ny: 2070 },
  );
  assert.deepEqual(o.biassect, [
    [3, 22],
    [-1, -1],
    [2077, 2099],
    [2107, 2129],
  ]);
  assert.deepEqual([o.trimx3, o.trimx4, o.trimy[0]], [30, 30, 19]);
  assert.deepEqual(o.vright, { x: [2205, 4174], y: [2, 16] });
});

test("amps of a chip: UVIS2 is read by C (left) and D (right)", () => {
  assert.deepEqual(ampsOfChip("ABCD", 2), [
    { index: 2, side: 0 },
    { index: 3, side: 1 },
  ]);
  assert.deepEqual(ampsOfChip("ABCD", 1), [
    { index: 0, side: 0 },
    { index: 1, side: 1 },
  ]);
  assert.deepEqual([...ampColumns(params(), 8)], [2, 2, 2, 2, 3, 3, 3, 3]);
});

test("ERR initialisation in DN per raw amp: sqrt(max((SCI − CCDBIAS)·g, 0) + RN²)/g", () => {
  const set = createImageSet(12, 3, { chip: 2 });
  set.sci.fill(220);
  initUvisErrors(set, params(), OVERSCAN);
  const f = Math.fround;
  const rn2 = f(f(3.2) * f(3.2));
  assert.equal(set.err[0], f(f(Math.sqrt(f(f(100 * f(1.7)) + rn2))) / f(1.7)), "amp C");
  assert.equal(
    set.err[11],
    f(f(Math.sqrt(f(f(90 * f(1.8)) + rn2))) / f(1.8)),
    "amp D starts after AMPX + prescan + TRIMX3",
  );
  assert.equal(set.err[7], set.err[11]);
  assert.equal(set.err[6], set.err[0]);
});

test("DQICORR: SATURATE and 65534 flags; BPIXTAB rows right of AMPX skip the middle overscan", () => {
  const set = createImageSet(12, 3, { chip: 2, geometry: { ltv: [1, 0], ltm: [1, 1] } });
  set.sci[0] = 1001;
  set.sci[1] = 65535;
  const bpix = [
    { CCDAMP: "N/A", CCDCHIP: 2, PIX1: 2, PIX2: 1, LENGTH: 3, AXIS: 2, VALUE: 4 },
    { CCDAMP: "N/A", CCDCHIP: 2, PIX1: 6, PIX2: 2, LENGTH: 1, AXIS: 1, VALUE: 16 },
  ];
  const r = uvisDqi(set, {
    saturate: 1000,
    bpixtab: bpix,
    selection: { ccdamp: "ABCD", ccdgain: 1.5, ccdchip: 2 },
    ampx: 4,
    middleOverscan: 4,
    binx: 1,
  });
  assert.equal(r.saturated, 2);
  assert.deepEqual([set.dq[0], set.dq[1]], [WF3_DQ.SATPIXEL, WF3_DQ.SATPIXEL | WF3_DQ.ATODSAT]);
  assert.deepEqual([set.dq[2], set.dq[14], set.dq[26]], [4, 4, 4], "science column 1 = raw column 2");
  assert.equal(set.dq[12 + 10], 16, "science column 5 = raw column 1 + 5 + 4");
});

test("cleaning the row levels: 3.5σ (σ over n, at most √mean), then 2·RN above the new mean", () => {
  // mean 104.886, σ = min(10.35, √mean = 10.24): 3.5σ + mean = 140.7 keeps 130; 2·1.5 + mean = 107.9 drops it.
  const values = Float64Array.from([100, 100.5, 99.5, 100, 130, 100.2, 104]);
  const mask = new Uint8Array(7).fill(1);
  const rejected = cleanLevels(values, mask, 1.5);
  assert.deepEqual([...mask], [1, 1, 1, 1, 0, 1, 1]);
  assert.equal(rejected, 1);
});

test("BLEVCORR: each amp's science pixels lose the level of its own virtual overscan (C left, D right)", () => {
  const set = createImageSet(12, 3, { chip: 2 });
  for (let j = 0; j < 3; j++) {
    for (let i = 0; i < 12; i++) set.sci[j * 12 + i] = i < 7 ? 500 + j : 600;
  }
  const r = subtractUvisBiasLevel(set, params(), OVERSCAN, 65535);
  assert.ok(r.fromOverscan);
  // Left amp: rows 0, 1 give 500, 501 (row 2 is trimmed) → the line 501 + (j − 1) removes them exactly.
  assert.deepEqual(Array.from(set.sci.subarray(1, 5)), [0, 0, 0, 0]);
  assert.deepEqual(Array.from(set.sci.subarray(13, 17)), [0, 0, 0, 0]);
  assert.deepEqual(Array.from(set.sci.subarray(9, 11)), [0, 0]);
  assert.equal(set.sci[5], 500, "overscan columns are left alone");
  assert.ok(Math.abs(r.levels[2] - 500.5) < 1e-9 && r.levels[3] === 600);
});

test("trim: prescan, virtual rows and the middle serial overscan go; LTV moves", () => {
  const set = createImageSet(12, 3, { chip: 2, geometry: { ltv: [1, 0], ltm: [1, 1] } });
  set.sci.forEach((_, k) => {
    set.sci[k] = k;
  });
  const t = trimUvis(set, OVERSCAN, 4, true);
  assert.deepEqual([t.set.nx, t.set.ny], [6, 2]);
  assert.deepEqual(Array.from(t.set.sci.subarray(0, 6)), [1, 2, 3, 4, 9, 10]);
  assert.deepEqual(t.set.geometry.ltv, [0, 0]);
});

test("DARKCORR: dark × EXPTIME / ATODGN of the column's amp; MEANDARK over good pixels", () => {
  const science = createImageSet(8, 1, { chip: 2 });
  science.sci.fill(10);
  const dark = createImageSet(8, 1, { chip: 2 });
  dark.sci.fill(0.017);
  dark.dq[7] = 16;
  const mean = subtractUvisDark(science, { name: "d", pedigree: "", descrip: "", imsets: [dark] }, params(), 100, 16);
  const f = Math.fround;
  const c = f(f(0.017) * f(100 / f(1.7)));
  const d = f(f(0.017) * f(100 / f(1.8)));
  assert.equal(science.sci[0], f(10 - c));
  assert.equal(science.sci[7], f(10 - d));
  assert.equal(mean, f((4 * c + 3 * d) / 7));
});

test("FLATCORR divides by PFLT / mean gain (DN → e); FLUXCORR scales UVIS2 by PHTFLAM2/PHTFLAM1", () => {
  const science = createImageSet(2, 1, { chip: 2 });
  science.sci.set([100, 100]);
  const flat = createImageSet(2, 1, { chip: 2 });
  flat.sci.set([1, 0.5]);
  flatFieldToElectrons(science, { name: "p", pedigree: "", descrip: "", imsets: [flat] }, 1.65);
  const f = Math.fround;
  assert.equal(science.sci[0], f(100 / f(1 / f(1.65))));
  assert.equal(science.sci[1], f(100 / f(0.5 / f(1.65))));
  const before = science.sci[0];
  const keys = applyFluxCorrection(science, 2e-19, 2.1e-19);
  assert.ok(Math.abs(keys.PHTRATIO - 1.05) < 1e-12);
  assert.equal(science.sci[0], f(before * f(1.05)));
  const chip1 = createImageSet(1, 1, { chip: 1 });
  chip1.sci[0] = 7;
  applyFluxCorrection(chip1, 2e-19, 2.1e-19);
  assert.equal(chip1.sci[0], 7, "UVIS1 is the reference");
  assert.equal(wf3Photmode("UVIS", 2, "F555W", 55611.02640872), "WFC3 UVIS2 F555W MJD#55611.0264");
  // calwf3 3.7.2 (2024) added MJD# for IR; the real sample flt (3.7.1) has none, as without EXPSTART.
  assert.equal(wf3Photmode("IR", 1, "F110W", 55611.1), "WFC3 IR F110W MJD#55611.1000");
  assert.equal(wf3Photmode("IR", 1, "F110W"), "WFC3 IR F110W");
});
