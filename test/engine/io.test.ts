import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CalibrationError } from "../../src/calib/common/errors.js";
import { readImageSetAt, readImageSets, writeImageSets } from "../../src/engine/imset-io.js";
import { readReferenceTable, requireReference, resolveReference } from "../../src/engine/reference-files.js";
import { FitsError, FitsFile, Header } from "../../src/fits/index.js";
import { astropyDump, fitsverify } from "../helpers/astropy.js";
import { HST_DATA } from "../helpers/paths.js";

test("a real ACS/HRC raw reads as one float32 image set with expanded ERR and DQ", () => {
  const file = FitsFile.open(join(HST_DATA, "j8bt05njq_raw.fits"));
  const { primary, imsets } = readImageSets(file);
  const raw = file.readImage("SCI").data as Uint16Array;
  file.close();
  assert.equal(primary.get("DETECTOR"), "HRC");
  assert.equal(imsets.length, 1);
  const { set } = imsets[0];
  assert.deepEqual([set.nx, set.ny, set.chip], [1062, 1044, 1]);
  assert.deepEqual(set.geometry, { ltv: [19, 0], ltm: [1, 1] });
  assert.ok(set.sci.every((v, i) => v === raw[i]));
  assert.ok(set.err.every((v) => v === 0) && set.dq.every((v) => v === 0));
});

test("image sets written back: constant ERR/DQ compressed, fitsverify clean, astropy reads the same pixels", () => {
  const file = FitsFile.open(join(HST_DATA, "ocmv0lw6q_raw.fits"));
  const imsets = readImageSets(file);
  file.close();
  imsets.imsets[1].set.dq[5] = 32768 | 4; // a DQ that is not constant, with the top bit set
  const out = join(mkdtempSync(join(tmpdir(), "caldp-imset-")), "out_flt.fits");
  writeImageSets(out, imsets);
  const verdict = fitsverify(out);
  assert.equal(verdict.errors, 0, verdict.report);
  const again = FitsFile.open(out);
  assert.equal(again.hdus[0].header.get("NEXTEND"), 9);
  assert.equal(again.hdu("ERR", 1).axes.length, 0, "constant ERR compressed");
  assert.equal(again.hdu("DQ", 2).axes.length, 2, "non-constant DQ kept");
  const back = readImageSets(again);
  again.close();
  assert.equal(back.imsets[1].set.dq[5], 32772);
  assert.deepEqual(back.imsets[2].set.sci, imsets.imsets[2].set.sci);
  const seen = astropyDump([out], true)[out];
  assert.equal(seen[1].data?.dtype, "f4");
});

test("one image set read alone (a worker's chip) is the same as that set read with the others", () => {
  const path = join(HST_DATA, "ocmv0lw6q_raw.fits");
  const file = FitsFile.open(path);
  const all = readImageSets(file).imsets;
  file.close();
  assert.equal(all.length, 3);
  for (const k of [0, 2]) assert.deepEqual(readImageSetAt(path, k), all[k].set);
  assert.throws(
    () => readImageSetAt(path, 3),
    (e) =>
      e instanceof FitsError && e.message.includes("ocmv0lw6q_raw.fits") && /no image set number 4/.test(e.message),
  );
});

test("reference names: jref$ resolves through the environment, N/A is none, a missing file names the keyword", () => {
  assert.equal(resolveReference("BIASFILE", "jref$x_bia.fits", { jref: "/refs/" }), "/refs/x_bia.fits");
  assert.equal(resolveReference("BIASFILE", "jref$x_bia.fits", { jref: "/refs" }), "/refs/x_bia.fits");
  assert.equal(resolveReference("FLSHFILE", "N/A", {}), undefined);
  assert.equal(resolveReference("FLSHFILE", "  ", {}), undefined);
  assert.throws(() => resolveReference("BIASFILE", "jref$x_bia.fits", {}), /environment variable jref is not set/);
  const h = new Header().set("DARKFILE", "jref$nope_drk.fits");
  assert.throws(
    () => requireReference(h, "DARKFILE", { jref: HST_DATA }),
    (e) =>
      e instanceof CalibrationError &&
      e.code === "CAL_FILE_MISSING" &&
      /DARKFILE = 'jref\$nope_drk.fits'/.test(e.message),
  );
});

test("a real BPIXTAB reads as rows with its PEDIGREE and DESCRIP", () => {
  const table = readReferenceTable("BPIXTAB", join(HST_DATA, "j4d1435jj_bpx.fits"));
  assert.equal(table.rows.length, 4008);
  assert.deepEqual(Object.keys(table.rows[0]), [
    "CCDAMP",
    "PIX1",
    "PIX2",
    "LENGTH",
    "AXIS",
    "VALUE",
    "CCDCHIP",
    "CCDGAIN",
  ]);
  assert.equal(table.pedigree, "GROUND"); // PEDIGREE= 'GROUND  ' in the primary header
  assert.equal(table.descrip, ""); // no DESCRIP keyword
  assert.deepEqual(table.rows[0].CCDAMP, table.rows[0].CCDAMP?.toString().trim());
});
