/**
 * The SBC (MAMA) steps against hand-computed values: the dead-time ratio, GLOBLIM, the LFLGCORR
 * flag disc, the MLINTAB row, the MAMA DQICORR (no A-to-D saturation) and sbc2d's switches and HISTORY.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Acs2dKeywords } from "../../src/calib/acs/acs2d.js";
import { type SbcInput, sbc2d } from "../../src/calib/acs/sbc-2d.js";
import {
  correctNonLinearity,
  expandFlag,
  type MlinRow,
  selectMlinRow,
  trueRateRatio,
} from "../../src/calib/acs/sbc-nonlin.js";
import { CalibrationError } from "../../src/calib/common/errors.js";
import { createImageSet } from "../../src/calib/common/imset.js";

const row: MlinRow = { DETECTOR: "SBC", GLOBAL_LIMIT: 1000, LOCAL_LIMIT: 5, TAU: 1e-4, EXPAND: 1 };
const image = (nx: number, ny: number, value: number) =>
  createImageSet(nx, ny, { sci: new Float32Array(nx * ny).fill(value), err: new Float32Array(nx * ny) });

test("trueRateRatio: three Newton steps of y = x·exp(−τx); 1 for a rate ≤ 0", () => {
  assert.equal(trueRateRatio(0, 1e-4), 1);
  assert.equal(trueRateRatio(-5, 1e-4), 1);
  // x = 500 gives y = 500·e^(−0.05) = 475.614712…; the ratio must bring y back to 500.
  const y = 500 * Math.exp(-0.05);
  assert.ok(Math.abs(trueRateRatio(y, 1e-4) * y - 500) < 1e-6);
  // By hand, first step from x0 = y: x1 = y + (y − y·e^(−τy)) / ((1 − τy)·e^(−τy)).
  const x1 = y + (y - y * Math.exp(-1e-4 * y)) / ((1 - 1e-4 * y) * Math.exp(-1e-4 * y));
  assert.ok(x1 > y && x1 < 500);
});

test("GLINCORR multiplies SCI and ERR by the ratio under GLOBAL_LIMIT; over it GLOBLIM = EXCEEDED, no change", () => {
  const set = image(2, 1, 100);
  set.err.fill(10);
  const y = 500 * Math.exp(-0.05);
  const r = correctNonLinearity(set, { GLINCORR: "PERFORM", LFLGCORR: "OMIT", globrate: y, exptime: 10, row });
  assert.equal(r.globlim, "NOT-EXCEEDED");
  assert.equal(set.sci[0], Math.fround(100 * Math.fround(r.ratio)));
  assert.ok(Math.abs(set.sci[0]! - 100 * Math.exp(0.05)) < 1e-3);
  assert.equal(set.err[1], Math.fround(10 * Math.fround(r.ratio)));

  const over = image(2, 1, 100);
  const e = correctNonLinearity(over, { GLINCORR: "PERFORM", LFLGCORR: "OMIT", globrate: 1001, exptime: 10, row });
  assert.deepEqual([e.globlim, e.ratio, over.sci[0]], ["EXCEEDED", 1, 100]);
});

test("LFLGCORR flags 256 within EXPAND of every pixel above LOCAL_LIMIT × EXPTIME (SCI unchanged)", () => {
  const set = image(5, 5, 1);
  set.sci[2 * 5 + 2] = 51; // above 5 × 10 = 50
  set.sci[0] = 50; // not above
  const r = correctNonLinearity(set, { GLINCORR: "OMIT", LFLGCORR: "PERFORM", globrate: 10, exptime: 10, row });
  assert.equal(r.locallySaturated, 1);
  assert.equal(r.ratio, 1);
  const flagged = [...set.dq].flatMap((v, k) => (v === 256 ? [k] : []));
  // EXPAND 1: the pixel and its four neighbours (diagonals are at √2 > 1).
  assert.deepEqual(flagged, [7, 11, 12, 13, 17]);
  assert.equal(set.sci[12], 51);
});

test("expandFlag: EXPAND 1.5 reaches the diagonals (2 ≤ 2.25), rounds the reach to 2, clips at the edges", () => {
  const set = image(4, 4, 0);
  expandFlag(set, 1.5, 0, 0);
  const flagged = [...set.dq].flatMap((v, k) => (v ? [k] : []));
  assert.deepEqual(flagged, [0, 1, 4, 5]); // (2,0) is at distance 2 > 1.5
});

test("selectMlinRow: the DETECTOR row; a missing detector names the table", () => {
  assert.equal(selectMlinRow([{ ...row, DETECTOR: "FUV_MAMA" }, row], "SBC", "jref$x_lin.fits").TAU, 1e-4);
  assert.throws(
    () => selectMlinRow([{ ...row, DETECTOR: "NUV_MAMA" }], "SBC", "jref$x_lin.fits"),
    (e: unknown) => e instanceof CalibrationError && /SBC.*jref\$x_lin\.fits/.test(e.message),
  );
});

const keywords: Acs2dKeywords & { ccdamp: string; ccdgain: number; globrate?: number } = {
  detector: "SBC",
  bunit: "COUNTS",
  sdqflags: 31743,
  blevcorr: "OMIT",
  darktime: 100,
  flashdur: 0,
  flashsta: "",
  exptime: 100,
  ncombine: 1,
  expstart: 52377.5,
  filter1: "F122M",
  filter2: "N/A",
  obstype: "IMAGING",
  ccdamp: "N/A",
  ccdgain: 1,
  globrate: 10,
};

function sbcInput(over: Partial<SbcInput["switches"]> = {}, pedigree = "INFLIGHT"): SbcInput {
  const science = image(3, 3, 400);
  science.sci[0] = 2; // sqrt(2) < 1.41: ERR stays above 1
  science.sci[1] = -9; // |SCI| through C's abs
  science.sci[2] = 0.25; // sqrt < 1 → ERR 1
  const table = <Row>(rows: Row[]) => ({ name: "jref$t.fits", pedigree, descrip: "test table", rows });
  return {
    science,
    firstImset: true,
    switches: {
      DQICORR: "PERFORM",
      DARKCORR: "OMIT",
      FLSHCORR: "OMIT",
      FLATCORR: "OMIT",
      SHADCORR: "OMIT",
      PHOTCORR: "OMIT",
      EXPSCORR: "OMIT",
      GLINCORR: "PERFORM",
      LFLGCORR: "PERFORM",
      ...over,
    },
    keywords,
    references: {
      // One bad column at x = 3 (1-based), CCDAMP N/A and CCDGAIN -999 are wildcards.
      bpixtab: table([{ CCDAMP: "N/A", CCDCHIP: 1, CCDGAIN: -999, PIX1: 3, PIX2: 1, LENGTH: 3, AXIS: 2, VALUE: 4 }]),
      mlintab: table([row]),
    },
  };
}

test("sbc2d: BPIXTAB flags without A-to-D saturation, counts kept as electrons, MAMA ERR, switches and HISTORY", () => {
  const input = sbcInput();
  input.science.sci[4] = 70000; // above any ATODSAT: a MAMA pixel is not flagged 2048
  const updates = sbc2d(input);
  const { dq, err, sci } = input.science;
  assert.deepEqual([dq[2]! & 4, dq[5]! & 4, dq[8]! & 4, dq[0]! & 4], [4, 4, 4, 0]);
  assert.equal(dq[4]! & 2048, 0);
  // GLOBRATE 10 ≪ 1000: ratio ≈ 1.001; LOCAL_LIMIT × EXPTIME = 500, so 70000 is flagged with its 4 neighbours.
  assert.equal(updates.sci.GLOBLIM, "NOT-EXCEEDED");
  assert.deepEqual(
    [...dq].map((v) => v & 256),
    [0, 256, 0, 256, 256, 256, 0, 256, 0],
  );
  const ratio = Math.fround(trueRateRatio(10, 1e-4));
  assert.equal(sci[6], Math.fround(400 * ratio));
  assert.equal(err[6], Math.fround(Math.sqrt(sci[6]!)));
  assert.equal(err[2], 1);
  assert.equal(err[1], Math.fround(Math.sqrt(Math.trunc(Math.abs(sci[1]!)))));
  assert.equal(updates.sci.BUNIT, "ELECTRONS");
  assert.equal(updates.sci.PHOTMODE, "ACS SBC F122M MJD#52377.5000");
  assert.deepEqual(
    { DQICORR: updates.primary.DQICORR, GLINCORR: updates.primary.GLINCORR, LFLGCORR: updates.primary.LFLGCORR },
    { DQICORR: "COMPLETE", GLINCORR: "COMPLETE", LFLGCORR: "COMPLETE" },
  );
  const history = updates.history.join("\n");
  assert.doesNotMatch(history, /values checked for saturation/);
  assert.match(history, /GLINCORR complete \.\.\.\nLFLGCORR complete \.\.\.\n {2}reference table jref\$t\.fits/);
  assert.match(history, /Uncertainty array initialized\./);
});

test("sbc2d: a DUMMY MLINTAB or BPIXTAB skips its steps (SKIPPED, pixels untouched)", () => {
  const input = sbcInput({}, "DUMMY 01/01/2002");
  const updates = sbc2d(input);
  assert.deepEqual(
    [updates.primary.DQICORR, updates.primary.GLINCORR, updates.primary.LFLGCORR],
    ["SKIPPED", "SKIPPED", "SKIPPED"],
  );
  assert.equal(input.science.sci[6], 400);
  assert.ok(input.science.dq.every((v) => v === 0));
  assert.equal(updates.sci.GLOBLIM, undefined);
});

test("sbc2d: GLINCORR without GLOBRATE, or without an MLINTAB, is a clear error", () => {
  const noRate = sbcInput();
  noRate.keywords = { ...keywords, globrate: undefined };
  assert.throws(() => sbc2d(noRate), /GLOBRATE is missing/);
  const noTable = sbcInput();
  noTable.references = { ...noTable.references, mlintab: undefined };
  assert.throws(() => sbc2d(noTable), /MLINTAB is needed/);
});
