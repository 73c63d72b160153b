// The COS FP-POS association through the native calcos (src/sim/cos-nuv-asn.ts, two NUV exposures at FPOFFSET 0
// and 1): caldp-process on the association writes every member's products and the _x1dsum, _x1dsum3, _x1dsum4;
// the _x1dsum's grid covers both exposures and its NET is their exposure-weighted mean where they overlap; a
// DISPTAB without the row of a member's FPOFFSET is one line naming table and keys, no x1dsum, the inputs intact.
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { test } from "node:test";
import { FitsFile, rewriteHeaders } from "../../../src/fits/index.js";
import { simulateCosNuvAsn } from "../../../src/sim/cos-nuv-asn.js";
import { runCliAsync } from "../../helpers/cli-async.js";
import { CosWorkspaces, sha1 } from "./cos-workspaces.js";

const ASN = "lfps01010";
let disptab = "";

const cases = new CosWorkspaces("x1dsum", (template) => {
  const sim = simulateCosNuvAsn({
    asnId: ASN,
    out: template,
    seed: 8,
    fpOffsets: [0, 1],
    sourceRate: 250,
    backgroundRate: 25,
  });
  disptab = sim.members[0].references.DISPTAB;
});

function columns(path: string): Record<string, ArrayLike<number>> {
  const fits = FitsFile.open(path);
  try {
    return Object.fromEntries(fits.readTable(1).columns.map((c) => [c.name, c.data as ArrayLike<number>]));
  } finally {
    fits.close();
  }
}

test("caldp-process on an FP-POS association: members' products, _x1dsum and one _x1dsum<FPPOS> per position", async () => {
  const { dir, config } = cases.processFolder();
  const run = await runCliAsync("caldp-process", [ASN, "file:in", "file:out", config], { cwd: dir });
  assert.equal(run.status, 0, run.stdout.slice(-2000));
  const products = readdirSync(join(dir, "out", ASN)).filter((f) => f.endsWith(".fits"));
  for (const name of [`${ASN}_x1dsum.fits`, `${ASN}_x1dsum3.fits`, `${ASN}_x1dsum4.fits`, "lfps01abq_x1d.fits"])
    assert.ok(products.includes(name), `${name} in ${products.join(" ")}`);
  assert.ok(!products.some((f) => /_x1dsum[12]\.fits$/.test(f)), "no FPPOS without an exposure");

  const sum = columns(join(dir, "out", ASN, `${ASN}_x1dsum.fits`));
  const [a, b] = ["lfps01abq", "lfps01acq"].map((m) => columns(join(dir, "out", ASN, `${m}_x1d.fits`)));
  const n = sum.WAVELENGTH.length / 3;
  const m = a.WAVELENGTH.length / 3;
  assert.equal(sum.WAVELENGTH[0], Math.min(a.WAVELENGTH[0], b.WAVELENGTH[0]));
  assert.ok(n >= m + 50, `one FP step (52 pixels) wider: ${n} vs ${m}`);
  // where both exposures cover a wavelength with full weight, NET is about their mean (equal exposure times)
  let checked = 0;
  for (let k = 200; k < n - 200; k += 25) {
    const wl = sum.WAVELENGTH[k];
    const at = (s: Record<string, ArrayLike<number>>, col: string) => {
      const i = Math.round((wl - s.WAVELENGTH[0]) / (s.WAVELENGTH[1] - s.WAVELENGTH[0]));
      return i >= 1 && i < m - 1 && s.DQ_WGT[i] === 1 && s.DQ_WGT[i + 1] === 1 ? s[col][i] : undefined;
    };
    const [na, nb] = [at(a, "NET"), at(b, "NET")];
    if (na === undefined || nb === undefined || sum.DQ_WGT[k] < 1.9) continue;
    const tolerance = 3 * Math.max(sum.ERROR[k] / (sum.FLUX[k] / sum.NET[k] || 1), 0.05);
    assert.ok(Math.abs(sum.NET[k] - (na + nb) / 2) < tolerance, `NET at ${wl}: ${sum.NET[k]} vs ${na}, ${nb}`);
    checked++;
  }
  assert.ok(checked > 10, `${checked} pixels compared`);
});

test("a member at an FPOFFSET the DISPTAB has no row for: one line naming table and keys, no x1dsum", async () => {
  const dir = cases.workspace();
  rewriteHeaders(join(dir, "lfps01acq_rawtag.fits"), (h, hdu) => {
    if (hdu.index === 0) h.set("FPOFFSET", 2);
  });
  const before = sha1(join(dir, `${ASN}_asn.fits`));
  const raw = sha1(join(dir, "lfps01abq_rawtag.fits"));
  const run = await runCliAsync("caldp", ["calcos", "--outdir", "out", `${ASN}_asn.fits`], {
    cwd: dir,
    env: { lref: `${join(dir, "crds", "references", "hst")}/` },
  });
  assert.equal(run.status, 1, run.stderr);
  const lines = run.stderr.trim().split("\n");
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0], new RegExp(`DISPTAB ${basename(disptab)}.*no row for .*FPOFFSET=2`));
  assert.match(lines[0], /lfps01acq_rawtag\.fits/);
  assert.equal(sha1(join(dir, `${ASN}_asn.fits`)), before);
  assert.equal(sha1(join(dir, "lfps01abq_rawtag.fits")), raw);
  const out = existsSync(join(dir, "out")) ? readdirSync(join(dir, "out")) : [];
  assert.deepEqual(
    out.filter((f) => !/^lfps01abq(_(corrtag|counts|flt|x1d)\.fits|\.tra)$/.test(f)),
    [],
    "the first member's products only: no x1dsum, nothing of the second, no temporary file",
  );
});

test("an association of exposures without events: row-less x1dsum products as calcos writes them", async () => {
  const dir = cases.folder("empty");
  const sim = simulateCosNuvAsn({
    asnId: "lemp01010",
    out: dir,
    seed: 2,
    fpOffsets: [0, 1],
    sourceRate: 0,
    backgroundRate: 0,
  });
  assert.deepEqual(
    sim.members.map((m) => m.events),
    [0, 0],
  );
  const run = await runCliAsync("caldp", ["calcos", "--outdir", "out", "lemp01010_asn.fits"], {
    cwd: dir,
    env: { lref: `${sim.referenceDir}/` },
  });
  assert.equal(run.status, 0, run.stderr);
  for (const [name, fppos] of [
    ["lemp01010_x1dsum.fits", undefined],
    ["lemp01010_x1dsum3.fits", 3],
    ["lemp01010_x1dsum4.fits", 4],
  ] as const) {
    const fits = FitsFile.open(join(dir, "out", name));
    try {
      const table = fits.readTable(1);
      assert.equal(table.nrows, 0, name);
      assert.equal(fits.hdus[0].header.get("FILENAME"), name);
      assert.equal(fits.hdus[1].header.get("ASN_MTYP"), "PROD-FP", name);
      // one input is copied as it is (its FPPOS kept); the average of none keeps the extended NUV width
      assert.equal(fits.hdus[0].header.get("FPPOS"), fppos, name);
      if (fppos === undefined) assert.equal(fits.hdus[1].header.get("TFORM4"), "1274D");
    } finally {
      fits.close();
    }
  }
});

test("caldp sim l…0 --exposures N: an NUV FP-POS association of N exposures (2 to 4)", async () => {
  const dir = cases.folder("sim");
  const run = await runCliAsync("caldp", ["sim", "lcli01010", "--out", "sim", "--exposures", "3"], { cwd: dir });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(
    readdirSync(join(dir, "sim"))
      .filter((f) => f.endsWith(".fits"))
      .sort(),
    ["lcli01010_asn.fits", "lcli01abq_rawtag.fits", "lcli01acq_rawtag.fits", "lcli01adq_rawtag.fits"],
  );
  const fppos = ["abq", "acq", "adq"].map((m) => {
    const fits = FitsFile.open(join(dir, "sim", `lcli01${m}_rawtag.fits`));
    try {
      return fits.hdus[0].header.get("FPPOS");
    } finally {
      fits.close();
    }
  });
  assert.deepEqual(fppos, [2, 3, 4]);
  const five = await runCliAsync("caldp", ["sim", "lcli02010", "--out", "sim5", "--exposures", "5"], { cwd: dir });
  assert.notEqual(five.status, 0);
  assert.match(five.stderr, /FP-POS association has 2 to 4 exposures, got 5/);
});
