// TAGFLASH WAVECORR through `caldp calcos` on a simulated NUV exposure with lamp flashes: the _lampflash table in
// calcos' layout; NUMFLASH = 0 skips WAVECORR as calcos does; a LAMPTAB without the row of a stripe for the
// exposure's OPT_ELEM/CENWAVE/FPOFFSET is one line naming table and keys, exit 1, nothing written.
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { FitsFile, FitsWriter, rewriteHeaders } from "../../../src/fits/index.js";
import { simulateCosNuv } from "../../../src/sim/index.js";
import { runCliAsync } from "../../helpers/cli-async.js";
import { CosWorkspaces, cosReferences, runCalcos, sha1 } from "./cos-workspaces.js";

const DS = "lfla01abq";
const RAW = `${DS}_rawtag.fits`;

const cases = new CosWorkspaces("tagflash", (template) => {
  simulateCosNuv({ dataset: DS, out: template, seed: 7, sourceRate: 200, backgroundRate: 20, tagflash: true });
});

const calcos = (dir: string) => runCalcos(dir, RAW);

test("the _lampflash: one row per flash and stripe, calcos' columns, formats and units", async () => {
  const dir = cases.workspace();
  const run = await calcos(dir);
  assert.equal(run.status, 0, run.stderr);
  const fits = FitsFile.open(join(dir, "out", `${DS}_lampflash.fits`));
  try {
    assert.equal(fits.hdus[0].header.getString("WAVECORR"), "COMPLETE");
    const table = fits.readTable("LAMPFLASH");
    assert.equal(table.nrows, 6);
    assert.deepEqual(
      table.columns.map((c) => `${c.name}:${c.form.repeat}${c.form.type}`),
      ["SEGMENT:4A", "TIME:1D", "EXPTIME:1D", "LAMP_ON:1D", "LAMP_OFF:1D", "NELEM:1J"]
        .concat(["WAVELENGTH:1274D", "NET:1274E", "GROSS:1274E", "BACKGROUND:1274E", "SHIFT_DISP:1E"])
        .concat(["SHIFT_XDISP:1E", "SPEC_FOUND:1L", "CHI_SQUARE:1E", "N_DEG_FREEDOM:1J"]),
    );
    const header = fits.hdu("LAMPFLASH").header;
    for (const k of ["SHIFT1A", "SHIFT2B", "CHI_SQ_C", "NDF_A", "DPIXEL1B", "LMPMED1", "LMPMED2"])
      assert.ok(header.has(k), k);
    assert.deepEqual(table.columns.find((c) => c.name === "SPEC_FOUND")?.data, [true, true, true, true, true, true]);
  } finally {
    fits.close();
  }
  const corrtag = FitsFile.open(join(dir, "out", `${DS}_corrtag.fits`));
  try {
    assert.equal(corrtag.hdus[0].header.getString("WAVECALS"), RAW);
    assert.equal(corrtag.hdu("EVENTS").header.getInt("NUMFLASH"), 2);
  } finally {
    corrtag.close();
  }
});

test("TAGFLASH with NUMFLASH = 0: WAVECORR SKIPPED and an empty _lampflash, as calcos", async () => {
  const dir = cases.workspace();
  rewriteHeaders(join(dir, RAW), (h, hdu) => {
    if (hdu.name === "EVENTS") h.set("NUMFLASH", 0);
  });
  const run = await calcos(dir);
  assert.equal(run.status, 0, run.stderr);
  const fits = FitsFile.open(join(dir, "out", `${DS}_corrtag.fits`));
  try {
    assert.equal(fits.hdus[0].header.getString("WAVECORR"), "SKIPPED");
    assert.equal(fits.hdus[0].header.getString("LAMPUSED"), "NONE");
  } finally {
    fits.close();
  }
  const flash = FitsFile.open(join(dir, "out", `${DS}_lampflash.fits`));
  try {
    assert.equal(flash.readTable("LAMPFLASH").nrows, 0);
  } finally {
    flash.close();
  }
});

test("a LAMPTAB without NUVB's row for the FPOFFSET: one line naming table and keys, nothing written", async () => {
  const dir = cases.workspace();
  const name = readdirSync(cosReferences(dir)).find((f) => f.endsWith("_lamp.fits")) ?? "";
  const path = join(cosReferences(dir), name);
  const fits = FitsFile.open(path);
  const primary = fits.hdus[0].header.clone();
  const header = fits.hdu(1).header.clone();
  const table = fits.readTable(1);
  fits.close();
  const fpoffset = table.columns.find((c) => c.name === "FPOFFSET")?.data as Int32Array;
  fpoffset[1] = 1; // NUVB's row now belongs to FPOFFSET 1
  const writer = new FitsWriter(path);
  writer.writeImage(primary);
  header.removeWhere((c) => /^(TTYPE|TFORM|TUNIT|TDISP)\d+$/.test(c.keyword));
  writer.writeTable(
    header,
    table.columns.map((c) => ({ name: c.name, format: `${c.form.repeat}${c.form.type}`, data: c.data })),
    table.nrows,
  );
  writer.close();
  const before = sha1(join(dir, RAW));
  const run = await calcos(dir);
  assert.equal(run.status, 1, run.stdout);
  const lines = run.stderr.trim().split("\n");
  assert.equal(lines.length, 1, run.stderr);
  assert.match(
    lines[0],
    new RegExp(`LAMPTAB ${name}\\[1\\]: no row for OPT_ELEM='G185M', CENWAVE=1850, SEGMENT='NUVB', FPOFFSET=0`),
  );
  assert.equal(sha1(join(dir, RAW)), before, "the input is not modified");
  const out = join(dir, "out");
  assert.deepEqual(existsSync(out) ? readdirSync(out) : [], [], "nothing written, no temporary file left");
});

test("caldp-process on a TAGFLASH dataset: WAVECORR COMPLETE, the _lampflash among the products", async () => {
  const { dir, config } = cases.processFolder();
  const run = await runCliAsync("caldp-process", [DS, "file:in", "file:out", config], { cwd: dir });
  assert.equal(run.status, 0, run.stdout.slice(-2000));
  const products = readdirSync(join(dir, "out", DS)).filter((f) => f.endsWith(".fits"));
  for (const suffix of ["corrtag", "counts", "flt", "lampflash", "x1d"])
    assert.ok(products.includes(`${DS}_${suffix}.fits`), suffix);
  const fits = FitsFile.open(join(dir, "out", DS, `${DS}_x1d.fits`));
  try {
    assert.equal(fits.hdus[0].header.getString("WAVECORR"), "COMPLETE");
  } finally {
    fits.close();
  }
});
