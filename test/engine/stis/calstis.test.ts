/**
 * Native calstis on the STIS/CCD: the real target-acquisition raws of ../shared/data/hst (every switch OMIT:
 * nothing to do; switched on with their own references absent: one error naming keyword and file; switched
 * on against simulated references: calibrated through calstis1, the all-zero one left IMSET_OK = F, as
 * cs0.e does) and bad input (a reference of another detector, a missing reference, a CR-SPLIT without its
 * CRREJTAB): one error naming file and keyword, inputs untouched, nothing half-written.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, test } from "node:test";
import { CalibrationError } from "../../../src/calib/common/errors.js";
import { calstis } from "../../../src/engine/stis/calstis.js";
import { FitsFile, rewriteHeaders } from "../../../src/fits/index.js";
import { simulateDataset } from "../../../src/sim/index.js";
import { HST_DATA } from "../../helpers/paths.js";

const out = mkdtempSync(join(tmpdir(), "calstis-"));
after(() => rmSync(out, { recursive: true, force: true }));

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const log = () => {};
const sim = simulateDataset({ dataset: "o8ab03abq", out: join(out, "sim"), seed: 5 });
const oref = `${sim.referenceDir}/`;

function folder(name: string, files: string[]): string {
  const dir = join(out, name);
  mkdirSync(dir);
  for (const f of files) copyFileSync(f, join(dir, basename(f)));
  return dir;
}

function primaryOf(path: string) {
  const file = FitsFile.open(path);
  try {
    return {
      primary: file.hdus[0]!.header.clone(),
      sci: file.hdus.filter((h) => h.name === "SCI").map((h) => h.header.clone()),
    };
  } finally {
    file.close();
  }
}

const SWITCHES = ["DQICORR", "BLEVCORR", "BIASCORR", "DARKCORR", "FLATCORR"];

/** Turns the basic 2-D switches on; `references` replaces the reference keywords (simulated files). */
function switchOn(path: string, references?: Record<string, string>): void {
  rewriteHeaders(path, (header, hdu) => {
    if (hdu.index !== 0) return;
    for (const s of SWITCHES) header.set(s, "PERFORM");
    if (!references) return;
    for (const [k, v] of Object.entries(references)) header.set(k, v);
    header.set("CCDGAIN", 1); // the simulated CCDTAB has the gain-1 row only
  });
}

const simulatedReferences = () =>
  Object.fromEntries(
    ["CCDTAB", "BPIXTAB", "BIASFILE", "DARKFILE", "PFLTFILE", "DFLTFILE", "LFLTFILE"].map((k) => [
      k,
      String(primaryOf(sim.exposures[0]!.raw).primary.get(k)),
    ]),
  );

test("real STIS acquisitions: every switch OMIT is nothing to do; switched on, a missing CCDTAB is named", async () => {
  const raws = ["ocmv0lw6q_raw.fits", "o4er06llq_raw.fits"].map((n) => join(HST_DATA, n));
  const dir = folder("real-omit", raws);
  const result = await calstis(["ocmv0lw6q_raw.fits", "o4er06llq_raw.fits"], { dir, env: { oref }, log });
  assert.deepEqual(result, { outputs: [], nothingToDo: ["ocmv0lw6q", "o4er06llq"] });
  switchOn(join(dir, "ocmv0lw6q_raw.fits"));
  await assert.rejects(
    calstis(["ocmv0lw6q_raw.fits"], { dir, env: { oref }, log }),
    (e: unknown) =>
      e instanceof CalibrationError &&
      e.code === "CAL_FILE_MISSING" &&
      e.message === `ocmv0lw6q_raw.fits: CCDTAB = 'oref$16j1600do_ccd.fits': ${oref}16j1600do_ccd.fits does not exist`,
  );
  assert.deepEqual(readdirSync(dir).sort(), ["o4er06llq_raw.fits", "ocmv0lw6q_raw.fits"]);
});

test("real STIS acquisitions through calstis1 on simulated references: 3 subarray imsets, an all-zero one left bad", async () => {
  const dir = folder(
    "real-on",
    ["ocmv0lw6q_raw.fits", "o4er06llq_raw.fits"].map((n) => join(HST_DATA, n)),
  );
  const references = simulatedReferences();
  for (const n of ["ocmv0lw6q_raw.fits", "o4er06llq_raw.fits"]) switchOn(join(dir, n), references);
  const result = await calstis(["ocmv0lw6q_raw.fits", "o4er06llq_raw.fits"], { dir, env: { oref }, log });
  assert.deepEqual(result.outputs, ["ocmv0lw6q_flt.fits", "o4er06llq_flt.fits"]);
  const flt = primaryOf(join(dir, "ocmv0lw6q_flt.fits"));
  for (const s of SWITCHES) assert.equal(flt.primary.get(s), "COMPLETE", s);
  assert.equal(flt.sci.length, 3);
  // Too small for the overscan: the CCDTAB bias (1510.3) is subtracted, nothing is trimmed.
  assert.deepEqual(
    flt.sci.map((h) => h.getInt("NAXIS1")),
    [100, 100, 30],
  );
  for (const sci of flt.sci) assert.equal(Math.fround(sci.getNumber("MEANBLEV")), Math.fround(1510.3));
  assert.equal(flt.sci[0]!.getNumber("LTV1"), -467);
  assert.equal(flt.primary.get("PHOTMODE"), "STIS F25ND3 A2D1 MIRROR CCD MJD#57660.9888", "as cs0.e writes it");
  const zero = primaryOf(join(dir, "o4er06llq_flt.fits"));
  assert.equal(zero.sci[0]!.get("IMSET_OK"), false);
  assert.equal(zero.primary.get("DQICORR"), "PERFORM", "no good imset: the switches stay as they were");
});

async function refused(dir: string, input: string, message: string, code = "INVALID_VALUE"): Promise<void> {
  const files = () =>
    readdirSync(dir)
      .filter((n) => n !== "refs")
      .map((n) => [n, sha(join(dir, n))]);
  const before = files();
  await assert.rejects(
    calstis([input], { dir, env: { oref: `${dir}/refs/` }, log }),
    (e: unknown) => e instanceof CalibrationError && e.code === code && e.message === message,
  );
  assert.deepEqual(files(), before, "inputs untouched, nothing written");
}

test("a DARKFILE of another detector, then a missing one: one error naming file and keyword, nothing written", async () => {
  const raw = sim.exposures[0]!.raw;
  const dir = folder("bad-refs", [raw]);
  mkdirSync(join(dir, "refs"));
  for (const f of readdirSync(sim.referenceDir)) copyFileSync(join(sim.referenceDir, f), join(dir, "refs", f));
  const dark = String(primaryOf(raw).primary.get("DARKFILE"));
  const darkPath = join(dir, "refs", dark.replace("oref$", ""));
  rewriteHeaders(darkPath, (header, hdu) => {
    if (hdu.index === 0) header.set("DETECTOR", "FUV-MAMA");
  });
  await refused(
    dir,
    basename(raw),
    `${basename(raw)}: DARKFILE = '${dark}': ${darkPath} is a STIS/FUV-MAMA reference, not STIS/CCD`,
  );
  rmSync(darkPath);
  await refused(
    dir,
    basename(raw),
    `${basename(raw)}: DARKFILE = '${dark}': ${darkPath} does not exist`,
    "CAL_FILE_MISSING",
  );
});

test("a CR-SPLIT whose CRREJTAB is missing: one error naming CRREJTAB and the file, nothing written", async () => {
  const crsplit = simulateDataset({ dataset: "o8ab04010", out: join(out, "crsplit"), exposures: 2, seed: 6 });
  const dir = folder("crsplit-run", [crsplit.exposures[0]!.raw]);
  mkdirSync(join(dir, "refs"));
  for (const f of readdirSync(crsplit.referenceDir)) copyFileSync(join(crsplit.referenceDir, f), join(dir, "refs", f));
  const crrejtab = String(primaryOf(crsplit.exposures[0]!.raw).primary.get("CRREJTAB"));
  const path = join(dir, "refs", crrejtab.replace("oref$", ""));
  rmSync(path);
  await refused(
    dir,
    "o8ab04010_raw.fits",
    `o8ab04010_raw.fits: CRREJTAB = '${crrejtab}': ${path} does not exist`,
    "CAL_FILE_MISSING",
  );
});

test("a raw whose CCDGAIN has no CCDTAB row: TABLE_ROW_MISSING naming raw, table and the row asked for", async () => {
  const raw = sim.exposures[0]!.raw;
  const dir = folder("no-ccd-row", [raw]);
  mkdirSync(join(dir, "refs"));
  for (const f of readdirSync(sim.referenceDir)) copyFileSync(join(sim.referenceDir, f), join(dir, "refs", f));
  rewriteHeaders(join(dir, basename(raw)), (header, hdu) => {
    if (hdu.index === 0) header.set("CCDGAIN", 4);
  });
  const ccdtab = String(primaryOf(raw).primary.get("CCDTAB")).replace("oref$", "");
  await refused(
    dir,
    basename(raw),
    `${basename(raw)}: CCDTAB ${join(dir, "refs", ccdtab)}: no row for CCDAMP D, CCDGAIN 4, CCDOFFST 3, BINAXIS 1x1`,
    "TABLE_ROW_MISSING",
  );
});

test("a spectroscopic step not native yet (WAVECORR) is refused by name, not skipped in silence", async () => {
  const raw = sim.exposures[0]!.raw;
  const dir = folder("spectroscopy", [raw]);
  mkdirSync(join(dir, "refs"));
  rewriteHeaders(join(dir, basename(raw)), (header, hdu) => {
    if (hdu.index !== 0) return;
    header.set("WAVECORR", "PERFORM");
    header.set("X1DCORR", "PERFORM");
  });
  await refused(
    dir,
    basename(raw),
    `${basename(raw)}: WAVECORR, X1DCORR = PERFORM is not in the native calstis yet`,
    "CAL_STEP_NOT_DONE",
  );
});
