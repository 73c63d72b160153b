import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type AcsCcdExposure,
  type AcsCcdReferences,
  type AcsCcdSwitches,
  runAcsCcd,
} from "../../src/calib/acs/acsccd.js";
import { CalibrationError } from "../../src/calib/common/errors.js";
import { ccdRow, dqAt, errAt, imageOf, oscnRow, pixel } from "./acs-fixtures.js";

/*
 * A 10x8 HRC-like raw image (LTV1 = 2: two prescan columns), single amp B, gain 2 e/DN, read noise 4 e:
 *   overscan columns 0-1 and 8-9: 60 DN; illuminated: 310 DN; pixel (4,3): 4095 DN (A-to-D saturated).
 * By hand: bias 10 DN (ERR 1) → 50 / 300 / 4085 DN; × 2 → 100 / 600 / 8170 e (ERR 2 e); overscan level
 * 100 e on every row → 500 / 8070 e; 8070 > SATUFILE 8000 → 256; ERR = sqrt(500 + 16 + 2²) = sqrt(520);
 * trim x(2,2) y(0,2) → 6x6 with LTV (0, 0). BPIXTAB (1,1) length 2 along x → raw columns 2-3 of row 0.
 */
const raw = () => imageOf(10, 8, (i, j) => (i === 4 && j === 3 ? 4095 : i < 2 || i > 7 ? 60 : 310), { ltv: [2, 0] });

const exposure: AcsCcdExposure = {
  detector: "HRC",
  ccdamp: "B",
  ccdgain: 2,
  ccdofst: [3, 3, 3, 3],
  expstart: 53000,
  subarray: false,
  aperture: "HRC",
  jwrotype: "CLAMP",
  darktime: 100,
  flashdur: 0,
  flashsta: "NOT PERFORMED",
  targname: "NGC104",
  hasBiaslevKeywords: true,
};

const switches: AcsCcdSwitches = { DQICORR: "PERFORM", BIASCORR: "PERFORM", BLEVCORR: "PERFORM", SINKCORR: "OMIT" };

const refs = (): AcsCcdReferences => ({
  ccdtab: {
    name: "jref$t_ccd.fits",
    pedigree: "INFLIGHT 01/01/2002",
    descrip: "ccd table",
    rows: [ccdRow({ DESCRIP: "HRC amp B" })],
  },
  oscntab: { name: "jref$t_osc.fits", pedigree: "INFLIGHT", descrip: "overscan", rows: [oscnRow()] },
  bpixtab: {
    name: "jref$t_bpx.fits",
    descrip: "bad pixels",
    rows: [{ CCDAMP: "B", CCDCHIP: 1, CCDGAIN: 2, PIX1: 1, PIX2: 1, LENGTH: 2, AXIS: 1, VALUE: 16 }],
  },
  bias: {
    name: "jref$t_bia.fits",
    pedigree: "INFLIGHT",
    descrip: "",
    imsets: [imageOf(10, 8, () => 10, { ltv: [2, 0], err: 1 })],
  },
  satufile: {
    name: "jref$t_sat.fits",
    pedigree: "",
    descrip: "",
    imsets: [imageOf(10, 8, () => 8000, { ltv: [2, 0] })],
  },
});

test("ACSCCD: DQI → bias → electrons → overscan level → saturation → ERR → trim, by hand", () => {
  const result = runAcsCcd([{ set: raw() }], exposure, switches, refs());
  const [out] = result.imsets;
  assert.equal(out.trimmed, true);
  assert.deepEqual([out.set.nx, out.set.ny], [6, 6]);
  assert.equal(pixel(out.set, 0, 0), 500);
  assert.equal(pixel(out.set, 2, 3), 8070);
  assert.equal(errAt(out.set, 0, 0), Math.fround(Math.sqrt(520)));
  assert.equal(errAt(out.set, 2, 3), Math.fround(Math.sqrt(8090)));
  assert.deepEqual([dqAt(out.set, 0, 0), dqAt(out.set, 1, 0), dqAt(out.set, 2, 0)], [16, 16, 0]);
  assert.equal(dqAt(out.set, 2, 3), 2048 | 256);
  assert.deepEqual(out.sci, { BUNIT: "ELECTRONS", MEANBLEV: 100, SIZAXIS1: 6, SIZAXIS2: 6, LTV1: 0, LTV2: 0 });
  assert.deepEqual(out.err, { BUNIT: "ELECTRONS", LTV1: 0, LTV2: 0 });
  assert.deepEqual(out.crpixShift, [2, 0]);
  assert.deepEqual(result.primary, {
    ATODGNA: 0,
    ATODGNB: 2,
    ATODGNC: 0,
    ATODGND: 0,
    READNSEA: 0,
    READNSEB: 4,
    READNSEC: 0,
    READNSED: 0,
    DQICORR: "COMPLETE",
    BIASCORR: "COMPLETE",
    BLEVCORR: "COMPLETE",
    DARKTIME: 100, // HRC before SM4: no overhead
    BIASLEVB: 100,
  });
  assert.deepEqual(result.history, [
    "CCD parameters table: ",
    "  reference table jref$t_ccd.fits",
    "    INFLIGHT 01/01/2002",
    "    ccd table",
    "    HRC amp B",
    "DQICORR complete ...",
    "  values checked for saturation",
    "  DQ array initialized ...",
    "  reference table jref$t_bpx.fits",
    "    bad pixels",
    "BIASCORR complete ...",
    "  reference image jref$t_bia.fits",
    "    INFLIGHT",
    "BLEVCORR complete; bias level from overscan was subtracted.",
    "BLEVCORR does not include correction for drift along lines.",
    "  Overscan region table: ",
    "  reference table jref$t_osc.fits",
    "    INFLIGHT",
    "    overscan",
    "Uncertainty array initialized.",
  ]);
});

test("ACSCCD: BLEVCORR omitted → untrimmed, no MEANBLEV, no full-well flags, no BLEVCORR history", () => {
  const result = runAcsCcd([{ set: raw() }], exposure, { ...switches, BLEVCORR: "OMIT" }, refs());
  const [out] = result.imsets;
  assert.equal(out.trimmed, false);
  assert.deepEqual([out.set.nx, out.set.ny], [10, 8]);
  assert.equal(pixel(out.set, 4, 3), 8170); // bias-subtracted, in electrons, overscan level still in
  assert.equal(dqAt(out.set, 4, 3), 2048); // 256 needs BIASCORR and BLEVCORR
  assert.deepEqual(out.sci, { BUNIT: "ELECTRONS" });
  assert.equal(result.primary.BLEVCORR, undefined);
  assert.ok(!result.history.some((line) => line.startsWith("BLEVCORR")));
});

test("ACSCCD: a dummy BPIXTAB skips the table (no placeholder) but still flags saturation", () => {
  const result = runAcsCcd([{ set: raw() }], exposure, { ...switches, DQICORR: "DUMMY" }, refs());
  const [out] = result.imsets;
  assert.equal(dqAt(out.set, 0, 0), 0);
  assert.equal(dqAt(out.set, 2, 3), 2048 | 256);
  assert.equal(result.primary.DQICORR, "SKIPPED");
  assert.ok(result.history.includes("DQICORR skipped due to dummy reference file ..."));
});

test("ACSCCD: missing references and a post-SM4 WFC full frame without both chips are clear errors", () => {
  const noSatu = { ...refs(), satufile: undefined };
  assert.throws(
    () => runAcsCcd([{ set: raw() }], exposure, switches, noSatu),
    (e: unknown) => e instanceof CalibrationError && e.code === "CAL_FILE_MISSING" && /SATUFILE/.test(e.message),
  );
  const noBias = { ...refs(), bias: undefined };
  assert.throws(() => runAcsCcd([{ set: raw() }], exposure, switches, noBias), /BIASFILE/);
  const wfc: AcsCcdExposure = { ...exposure, detector: "WFC", expstart: 56000 };
  assert.throws(
    () => runAcsCcd([{ set: raw() }], wfc, switches, refs()),
    (e: unknown) => e instanceof CalibrationError && e.code === "INVALID_VALUE" && /CCDCHIP 1 and 2/.test(e.message),
  );
});

test("ACSCCD: no CCDTAB row for the exposure stops before touching the data", () => {
  const set = raw();
  assert.throws(
    () => runAcsCcd([{ set }], { ...exposure, ccdamp: "C" }, switches, refs()),
    (e: unknown) => e instanceof CalibrationError && e.code === "TABLE_ROW_MISSING",
  );
  assert.equal(pixel(set, 4, 4), 310);
});
