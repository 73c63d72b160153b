// Bad input for a MAMA echelle spectrum (the simulated FUV-MAMA E140M, X1DCORR = OMIT so that its native WAVECORR
// and X2DCORR run): a CENWAVE the echelle tables have no row for, an SPTRCTAB or INANGTAB without the echelle's rows
// (a first-order table), an SPTRCTAB missing one SPORDER row of the SDCTAB's orders. Each is one error naming the
// raw, the table, its file and the keys, before anything is written, the inputs as they were; `caldp calstis` says
// it in one line and exits 1. And caldp-process end to end: the flt with the wavecal's shifts, the x2d of one
// imset per order and the x1d of one row per order with its plot.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, test } from "node:test";
import { FitsFile, rewriteHeaders } from "../../../src/fits/index.js";
import { simulateDataset } from "../../../src/sim/index.js";
import * as E140M from "../../../src/sim/stis-echelle-model.js";
import { runCliAsync } from "../../helpers/cli-async.js";
import { dropOrderRows } from "./echelle-tables.js";
import { refusedByCalstis } from "./refused-run.js";

const out = mkdtempSync(join(tmpdir(), "calstis-echelle-"));
after(() => rmSync(out, { recursive: true, force: true }));
const options = { dataset: "oe1401abq", detector: "FUV-MAMA" as const, spectroscopic: true, echelle: true, seed: 11 };
const sim = simulateDataset({ ...options, out: join(out, "sim") });
const raw = sim.exposures[0].raw;
const wav = join(out, "sim", "oe1401abq_wav.fits");
const setPrimary = (path: string, values: Record<string, string | number>) =>
  rewriteHeaders(path, (header, hdu) => {
    if (hdu.index === 0) for (const [k, v] of Object.entries(values)) header.set(k, v);
  });
const withoutX1d = { X1DCORR: "OMIT" };
const _sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const refName = (keyword: string) => basename(sim.references[keyword]);
// a first-order table: the FUV-MAMA G140L long slit's SPTRCTAB and INANGTAB (SPORDER 1 of G140L only)
const g140l = simulateDataset({
  dataset: "obmm01abq",
  detector: "FUV-MAMA",
  spectroscopic: true,
  seed: 7,
  out: join(out, "g140l"),
});

/** A folder with the raw (X1DCORR OMIT, then `edits`), the wavecal and a copy of the references. */
function folder(name: string, edits: Record<string, string | number> = {}): string {
  const dir = join(out, name);
  mkdirSync(join(dir, "refs"), { recursive: true });
  for (const f of [raw, wav]) copyFileSync(f, join(dir, basename(f)));
  for (const f of readdirSync(sim.referenceDir)) copyFileSync(join(sim.referenceDir, f), join(dir, "refs", f));
  setPrimary(join(dir, basename(raw)), { ...withoutX1d, ...edits });
  return dir;
}

const refused = (dir: string, message: string, code: string) => refusedByCalstis(dir, raw, message, code);

test("a CENWAVE the echelle's DISPTAB has no row for: the table, its file and the keys named, nothing written", async () => {
  const dir = folder("cenwave", { CENWAVE: 1234 });
  const dsp = refName("DISPTAB");
  const message = `oe1401abq_raw.fits: DISPTAB oref$${dsp}: no row for OPT_ELEM E140M, CENWAVE 1234`;
  await refused(dir, message, "TABLE_ROW_MISSING");
});

test("an SPTRCTAB or INANGTAB without the echelle's rows (a first-order G140L table): named, nothing written", async () => {
  for (const keyword of ["SPTRCTAB", "INANGTAB"]) {
    const dir = folder(keyword.toLowerCase(), { [keyword]: `oref$g140l_${keyword.toLowerCase()}.fits` });
    copyFileSync(g140l.references[keyword]!, join(dir, "refs", `g140l_${keyword.toLowerCase()}.fits`));
    await refused(
      dir,
      `oe1401abq_raw.fits: ${keyword} oref$g140l_${keyword.toLowerCase()}.fits: no row for OPT_ELEM E140M, CENWAVE 1425`,
      "TABLE_ROW_MISSING",
    );
  }
});

test("an SPTRCTAB without order 100's row (the SDCTAB has 97–103): the table, its file and SPORDER 100 named", async () => {
  const dir = folder("sporder");
  const trc = join(dir, "refs", refName("SPTRCTAB"));
  dropOrderRows(trc, 100);
  const message = `oe1401abq_raw.fits: SPTRCTAB oref$${refName("SPTRCTAB")} (${trc}): no row for OPT_ELEM E140M, CENWAVE 1425, SPORDER 100`;
  await refused(dir, message, "TABLE_ROW_MISSING");
});

test("caldp-process: the echelle's flt with the wavecal's shifts, its x2d and x1d (a row per order), the x1d's plot", async () => {
  const config = join(out, "sim.cfg");
  writeFileSync(config, `CRDS_PATH=${sim.crds.root}\nCRDS_READONLY_CACHE=1\n`);
  const run = await runCliAsync("caldp-process", ["oe1401abq", "file:sim", "file:all", config], { cwd: out });
  assert.equal(run.status, 0, run.stdout.slice(-3000) + run.stderr);
  const products = readdirSync(join(out, "all", "oe1401abq")).filter((f) => /_(flt|x1d|x2d)\.fits$/.test(f));
  assert.deepEqual(products.sort(), ["oe1401abq_flt.fits", "oe1401abq_x1d.fits", "oe1401abq_x2d.fits"]);
  const previews = readdirSync(join(out, "all", "oe1401abq", "previews")).sort();
  assert.deepEqual(previews, ["oe1401abq_x1d.png", "oe1401abq_x1d_thumb.png"]);
  const trigger = readFileSync(join(out, "messages", "processed-oe1401abq.trigger"), "utf8");
  assert.match(trigger, /oe1401abq_x1d\.fits/);
  const x1d = FitsFile.open(join(out, "all", "oe1401abq", "oe1401abq_x1d.fits"));
  try {
    assert.equal(x1d.hdus[0]!.header.get("X1DCORR"), "COMPLETE");
    const orders = x1d.readTable("SCI").columns.find((c) => c.name === "SPORDER")!.data as Int16Array;
    assert.deepEqual(Array.from(orders), [...E140M.ORDERS]);
  } finally {
    x1d.close();
  }
  const flt = FitsFile.open(join(out, "all", "oe1401abq", "oe1401abq_flt.fits"));
  try {
    const sci = flt.hdu("SCI").header;
    assert.equal(flt.hdus[0]!.header.get("WAVECORR"), "COMPLETE");
    assert.ok(Math.abs((sci.get("SHIFTA1") as number) - E140M.SHIFT_A1) < 0.1, `SHIFTA1 ${sci.get("SHIFTA1")}`);
    assert.ok(Math.abs((sci.get("SHIFTA2") as number) - E140M.SHIFT_A2) < 0.1, `SHIFTA2 ${sci.get("SHIFTA2")}`);
  } finally {
    flt.close();
  }
});
