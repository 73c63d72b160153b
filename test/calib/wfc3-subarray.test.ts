/**
 * UVIS subarrays on small hand-made arrays (calibration.md §0.4, §3 OSCNTAB (WFC3), §4): the overscan
 * layout derived from LTV1 (prescan kept, trailing overscan reached, none at all), BLEVCORR from the
 * physical prescan with the trim moving LTV1, the CCDTAB bias when there is no overscan, and the
 * reference sections (BIASFILE untrimmed, DARKFILE trimmed) cut at the subarray's corner, past the
 * middle overscan of a 4-amp bias for amps B and D.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createImageSet } from "../../src/calib/common/imset.js";
import type { Wf3CcdParameters } from "../../src/calib/wfc3/ccdtab.js";
import { findWf3Overscan, type Wf3Overscan } from "../../src/calib/wfc3/oscntab.js";
import { subtractUvisBias } from "../../src/calib/wfc3/uvis-bias.js";
import { subtractUvisBiasLevel } from "../../src/calib/wfc3/uvis-blev.js";
import { subtractUvisDark } from "../../src/calib/wfc3/uvis-dark.js";
import { subarrayOverscan } from "../../src/calib/wfc3/uvis-subarray-overscan.js";
import { runWf3Ccd } from "../../src/calib/wfc3/wf3ccd.js";
import { uvisParameters } from "./wfc3-fixtures.js";

/** The reference names WF3CCD records in HISTORY (its steps check that they were given). */
const NOTES = { OSCNTAB: { name: "iref$t_osc.fits" }, BIASFILE: { name: "iref$t_bia.fits" } };

const NONE: [number, number] = [-1, -1];

/** A single-amp full-chip row: 25 prescan + 4096 + 25 overscan columns, prescan bias columns 5–24. */
function fullRow(biassecta: [number, number] = [4, 23]): Wf3Overscan {
  return {
    trimx: [25, 25],
    trimy: [0, 0],
    trimx3: 0,
    trimx4: 0,
    biassect: [biassecta, [4124, 4143], NONE, NONE],
    vleft: { x: [-1, -1], y: [-1, -1] },
    vright: { x: [-1, -1], y: [-1, -1] },
  };
}

test("subarray overscan: a corner subarray keeps the whole prescan and its bias columns", () => {
  const o = subarrayOverscan(fullRow(), 4146, 425, 25);
  assert.deepEqual(o.trimx, [25, 0]);
  assert.deepEqual(o.trimy, [0, 0]);
  assert.deepEqual(o.biassect, [[4, 23], NONE, NONE, NONE]);
  assert.equal(o.noOverscan, undefined);
});

test("subarray overscan: starting inside the prescan keeps its part (LTV1 = 10 → raw column 15)", () => {
  const o = subarrayOverscan(fullRow(), 4146, 100, 10);
  // cx0 = 25 − 10 = 15: prescan columns 4..23 of the chip are 0..8 of the subarray (clipped at 0).
  assert.deepEqual(o.trimx, [10, 0]);
  assert.deepEqual(o.biassect[0], [0, 8]);
});

test("subarray overscan: reaching the trailing overscan trims it and uses the row's BIASSECTA there", () => {
  // An amp on the right of the chip has its own prescan (BIASSECTA) at raw columns 4125..4144.
  const o = subarrayOverscan(fullRow([4125, 4144]), 4146, 121, -4000);
  // tx1 = 121 + 4000 = 4121 > cx1 = 4096 → trimx2 = 25; cx0 = 25 + 4000 = 4025.
  assert.deepEqual(o.trimx, [0, 25]);
  assert.deepEqual(o.biassect[1], [100, 119]);
  assert.deepEqual(o.biassect[0], NONE);
});

test("subarray overscan: an inner subarray has none and OSCNTAB rows match without NX/NY", () => {
  const rows = [
    {
      CCDAMP: "C",
      CCDCHIP: 2,
      BINX: 1,
      BINY: 1,
      NX: 4146,
      NY: 2051,
      TRIMX1: 25,
      TRIMX2: 25,
      TRIMX3: 0,
      TRIMX4: 0,
      TRIMY1: 0,
      TRIMY2: 0,
      BIASSECTA1: 5,
      BIASSECTA2: 24,
      BIASSECTB1: 4125,
      BIASSECTB2: 4144,
    },
  ];
  const want = { ccdamp: "C", ccdchip: 2, bin: [1, 1] as [number, number], nx: 384, ny: 256 };
  assert.throws(() => findWf3Overscan(rows, want), /no OSCNTAB row/);
  const o = findWf3Overscan(rows, { ...want, subarray: { ltv1: -64 } });
  assert.equal(o.noOverscan, true);
  assert.deepEqual(o.trimx, [0, 0]);
  const corner = findWf3Overscan(rows, { ...want, nx: 409, subarray: { ltv1: 25 } });
  assert.deepEqual(
    [corner.trimx, corner.biassect[0]],
    [
      [25, 0],
      [4, 23],
    ],
  );
});

const ampC = (over: Partial<Wf3CcdParameters> = {}) => uvisParameters({ ccdbias: [100, 110, 120.5, 130], ...over });

test("BLEVCORR without overscan subtracts CCDBIAS of the amp everywhere; no MEANBLEV", () => {
  const set = createImageSet(3, 2, { sci: Float32Array.from([200, 201, 202, 203, 204, 205]), chip: 2 });
  const o = { ...fullRow(), trimx: [0, 0] as [number, number], biassect: [NONE, NONE, NONE, NONE], noOverscan: true };
  const r = subtractUvisBiasLevel(set, ampC(), o as Wf3Overscan, 65535);
  assert.deepEqual([...set.sci], [79.5, 80.5, 81.5, 82.5, 83.5, 84.5]);
  assert.deepEqual(r.levels, [0, 0, 120.5, 0]);
  assert.equal(r.noOverscan, true);
  const ccd = runWf3Ccd({
    set: createImageSet(3, 2, {
      sci: new Float32Array(6).fill(300),
      chip: 2,
      geometry: { ltv: [-64, -32], ltm: [1, 1] },
    }),
    sdqflags: 65535,
    params: ampC(),
    overscan: o as Wf3Overscan,
    switches: { DQICORR: "OMIT", BLEVCORR: "PERFORM", BIASCORR: "OMIT", FLSHCORR: "OMIT" },
    binning: [1, 1],
    notes: NOTES,
  });
  assert.equal(ccd.sci.MEANBLEV, undefined);
  assert.deepEqual([ccd.set.nx, ccd.set.ny, ...ccd.set.geometry.ltv], [3, 2, -64, -32], "nothing trimmed");
  assert.equal(ccd.set.sci[0], 179.5);
});

test("WF3CCD on a corner subarray: bias from the prescan rows, trimmed, LTV1 moved by the trim", () => {
  // 4 prescan + 4 science columns, 4 rows; prescan row j holds 100 + j, science 500.
  const nx = 8;
  const sci = new Float32Array(nx * 4);
  for (let j = 0; j < 4; j++) for (let i = 0; i < nx; i++) sci[j * nx + i] = i < 4 ? 100 + j : 500;
  const o: Wf3Overscan = { ...fullRow([0, 3]), trimx: [4, 0] };
  const ccd = runWf3Ccd({
    set: createImageSet(nx, 4, { sci, chip: 2, geometry: { ltv: [4, -10], ltm: [1, 1] } }),
    sdqflags: 65535,
    params: ampC(),
    overscan: { ...o, biassect: [[0, 3], NONE, NONE, NONE] },
    switches: { DQICORR: "OMIT", BLEVCORR: "PERFORM", BIASCORR: "OMIT", FLSHCORR: "OMIT" },
    binning: [1, 1],
    notes: NOTES,
  });
  // The row levels 100..103 lie on a line: each science row loses exactly its own level.
  assert.deepEqual([ccd.set.nx, ccd.set.ny], [4, 4]);
  assert.deepEqual([...ccd.set.sci.subarray(0, 4)], [400, 400, 400, 400]);
  assert.deepEqual([...ccd.set.sci.subarray(12, 16)], [397, 397, 397, 397]);
  assert.equal(ccd.sci.MEANBLEV, 101.5);
  assert.deepEqual(ccd.set.geometry.ltv, [0, -10]);
  assert.deepEqual(ccd.crpixShift, [4, 0]);
});

test("reference sections: BIASFILE cut at the raw corner, DARKFILE at the trimmed corner", () => {
  // A 6 × 5 trimmed dark covering science pixels (0..5, 0..4); pixel (i, j) holds 10·j + i.
  const dark = createImageSet(6, 5, {
    sci: Float32Array.from({ length: 30 }, (_, k) => 10 * Math.floor(k / 6) + (k % 6)),
    chip: 2,
  });
  // A 2 × 2 science subarray at science corner (3, 2): LTV = (−3, −2).
  const set = createImageSet(2, 2, { chip: 2, geometry: { ltv: [-3, -2], ltm: [1, 1] } });
  subtractUvisDark(set, { name: "d", pedigree: "MODEL", descrip: "", imsets: [dark] }, ampC(), 1.5, 65535);
  // Dark × EXPTIME / ATODGN = dark × 1: rows 2, 3 and columns 3, 4.
  assert.deepEqual([...set.sci], [-23, -24, -33, -34]);
  const bias = createImageSet(8, 3, {
    sci: Float32Array.from({ length: 24 }, (_, k) => k),
    chip: 2,
    geometry: { ltv: [4, 0], ltm: [1, 1] },
  });
  const raw = createImageSet(3, 2, {
    sci: new Float32Array(6).fill(50),
    chip: 2,
    geometry: { ltv: [-1, -1], ltm: [1, 1] },
  });
  runWf3Ccd({
    set: raw,
    sdqflags: 65535,
    params: ampC(),
    overscan: { ...fullRow(), noOverscan: true },
    switches: { DQICORR: "OMIT", BLEVCORR: "OMIT", BIASCORR: "PERFORM", FLSHCORR: "OMIT" },
    binning: [1, 1],
    bias: [bias],
    notes: NOTES,
  });
  // Raw corner: science (1, 1) is bias column 4 + 1 = 5, row 1: bias values 13, 14, 15 then 21, 22, 23.
  assert.deepEqual([...raw.sci], [37, 36, 35, 29, 28, 27]);
});

test("BIASCORR of an amp B/D subarray with a 4-amp bias skips the bias's 60 middle columns", () => {
  // A one-row full-frame raw bias (LTV1 = 25) whose values are their column numbers.
  const bias = createImageSet(4206, 1, {
    sci: Float32Array.from({ length: 4206 }, (_, i) => i),
    geometry: { ltv: [25, 0], ltm: [1, 1] },
  });
  const subarray = () => createImageSet(2, 1, { geometry: { ltv: [-2100, 0], ltm: [1, 1] } });
  const d = subarray();
  subtractUvisBias(d, [bias], "ABCD", "D");
  // Corner 2100 − (−25) = 2125, then + 60.
  assert.deepEqual([...d.sci], [-2185, -2186]);
  const single = subarray();
  subtractUvisBias(single, [bias], "D", "D");
  assert.deepEqual([...single.sci], [-2125, -2126], "a single-amp bias has no middle columns");
  const c = subarray();
  subtractUvisBias(c, [bias], "ABCD", "C");
  assert.deepEqual([...c.sci], [-2125, -2126]);
});
