// Bad input for a first-order MAMA spectrum (the simulated FUV-MAMA G140L long slit): a CCD's DISPTAB (rows for
// G430L only), a CENWAVE no table has a row for, an echelle grating with first-order tables. Each is one error
// naming the raw, the keyword or the table and its keys, before anything is written, the inputs as they were;
// `caldp calstis` says it in one line and exits 1, caldp-process exits 23 with no product. Over the MLINTAB's
// global count-rate limit calstis calibrates as cs0.e does (GLOBLIM = EXCEEDED, no GLINCORR scaling) and says so
// in one line. And caldp-process end to end: flt, x2d, x1d, the x1d's preview.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, test } from "node:test";
import { FitsFile, rewriteHeaders } from "../../../src/fits/index.js";
import { simulateDataset } from "../../../src/sim/index.js";
import { writeStisMlintab } from "../../../src/sim/stis-mama-references.js";
import { runCliAsync } from "../../helpers/cli-async.js";
import { refusedByCalstis } from "./refused-run.js";

const out = mkdtempSync(join(tmpdir(), "calstis-mama-spectro-"));
after(() => rmSync(out, { recursive: true, force: true }));
const options = { dataset: "obmm01abq", detector: "FUV-MAMA" as const, spectroscopic: true, seed: 7 };
const sim = simulateDataset({ ...options, out: join(out, "sim") });
const raw = sim.exposures[0].raw;
const wav = join(out, "sim", "obmm01abq_wav.fits");
const _sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const refName = (keyword: string) => basename(sim.references[keyword]);

/** A folder with the raw, the wavecal and a copy of the references. */
function folder(name: string): string {
  const dir = join(out, name);
  mkdirSync(join(dir, "refs"), { recursive: true });
  for (const f of [raw, wav]) copyFileSync(f, join(dir, basename(f)));
  for (const f of readdirSync(sim.referenceDir)) copyFileSync(join(sim.referenceDir, f), join(dir, "refs", f));
  return dir;
}

const refused = (dir: string, message: string, code: string) => refusedByCalstis(dir, raw, message, code);

test("a CCD's DISPTAB (G430L rows) named by the MAMA spectrum: the DISPTAB, its file and the keys named", async () => {
  const dir = folder("ccd-disptab");
  const ccd = simulateDataset({ dataset: "o8ss01abq", out: join(out, "ccd"), spectroscopic: true, seed: 3 });
  copyFileSync(ccd.references.DISPTAB, join(dir, "refs", "ccd_dsp.fits"));
  for (const f of [basename(raw), basename(wav)])
    rewriteHeaders(join(dir, f), (header, hdu) => {
      if (hdu.index === 0) header.set("DISPTAB", "oref$ccd_dsp.fits");
    });
  const where = join(dir, "refs", "ccd_dsp.fits");
  const message = `obmm01abq_raw.fits: DISPTAB oref$ccd_dsp.fits (${where}): no row for OPT_ELEM G140L, CENWAVE 1425`;
  await refused(dir, message, "TABLE_ROW_MISSING");
});

test("a CENWAVE no MAMA table has a row for, and an echelle grating with first-order tables: named, nothing written", async () => {
  const dir = folder("cenwave");
  rewriteHeaders(join(dir, basename(raw)), (header, hdu) => {
    if (hdu.index === 0) header.set("CENWAVE", 1234);
  });
  const sdc = refName("SDCTAB");
  const keys = "APERTURE 52X0.2, OPT_ELEM G140L, CENWAVE 1234";
  await refused(
    dir,
    `obmm01abq_raw.fits: SDCTAB oref$${sdc} (${dir}/refs/${sdc}): no row for ${keys}`,
    "TABLE_ROW_MISSING",
  );
  const echelle = folder("echelle");
  rewriteHeaders(join(echelle, basename(raw)), (header, hdu) => {
    if (hdu.index === 0) header.set("OPT_ELEM", "E140M");
  });
  // the echelle is native now: the G140L tables have no row for it, the first one read (the wavecal's) says so
  const message = `obmm01abq_raw.fits: WCPTAB oref$${refName("WCPTAB")}: no row for DETECTOR FUV-MAMA, OPT_ELEM E140M`;
  await refused(echelle, message, "TABLE_ROW_MISSING");
});

test("over the MLINTAB's global count-rate limit: calibrated as cs0.e does, GLOBLIM = EXCEEDED, said in one line per file", async () => {
  const dir = folder("globrate");
  const mlintab = join(dir, "refs", refName("MLINTAB"));
  rmSync(mlintab);
  writeStisMlintab(mlintab, [
    { DETECTOR: "NUV-MAMA", GLOBAL_LIMIT: 300000, LOCAL_LIMIT: 200, TAU: 2.8e-7, EXPAND: 2.5 },
    { DETECTOR: "FUV-MAMA", GLOBAL_LIMIT: 5000, LOCAL_LIMIT: 40, TAU: 1.9e-6, EXPAND: 2.5 },
  ]);
  const cli = await runCliAsync("caldp", ["calstis", basename(raw)], { cwd: dir, env: { oref: `${dir}/refs/` } });
  assert.equal(cli.status, 0, cli.stderr);
  // the wavecal (~30,000 counts/s) is over the limit too, and named
  const warnings = cli.stdout.split("\n").filter((l) => l.includes("Warning"));
  assert.equal(warnings.length, 2, cli.stdout);
  assert.match(
    warnings[0],
    /^obmm01abq_wav\.fits: Warning {2}imset 1: GLOBRATE [0-9.]+ counts\/s exceeds the MLINTAB limit 5000/,
  );
  assert.match(
    warnings[1],
    new RegExp(
      `^obmm01abq_raw\\.fits: Warning  imset 1: GLOBRATE [0-9.]+ counts/s exceeds the MLINTAB limit 5000 \\(GLOBAL_LIMIT of oref\\$${refName("MLINTAB")}\\): GLOBLIM = EXCEEDED, not corrected for nonlinearity$`,
    ),
  );
  const flt = FitsFile.open(join(dir, "obmm01abq_flt.fits"));
  assert.equal(flt.hdu("SCI").header.get("GLOBLIM"), "EXCEEDED");
  flt.close();
  assert.ok(existsSync(join(dir, "obmm01abq_x1d.fits")) && existsSync(join(dir, "obmm01abq_x2d.fits")));
});

test("caldp-process: the MAMA spectrum into _flt, _x2d, _x1d and its preview; a CENWAVE without rows exits 23", async () => {
  const config = join(out, "sim.cfg");
  writeFileSync(config, `CRDS_PATH=${sim.crds.root}\nCRDS_READONLY_CACHE=1\n`);
  const good = await runCliAsync("caldp-process", ["obmm01abq", "file:sim", "file:good", config], { cwd: out });
  assert.equal(good.status, 0, good.stdout.slice(-3000) + good.stderr);
  const products = readdirSync(join(out, "good", "obmm01abq")).filter((f) => /_(flt|x2d|x1d)\.fits$/.test(f));
  assert.deepEqual(products.sort(), ["obmm01abq_flt.fits", "obmm01abq_x1d.fits", "obmm01abq_x2d.fits"]);
  const previews = readdirSync(join(out, "good", "obmm01abq", "previews"));
  assert.ok(
    previews.some((f) => /obmm01abq_x1d.*\.png$/.test(f)),
    previews.join(" "),
  );
  const message = readFileSync(join(out, "messages", "processed-obmm01abq.trigger"), "utf8");
  assert.match(message, /obmm01abq_x1d\.fits/);

  mkdirSync(join(out, "cenwave-in"));
  for (const f of [raw, wav]) copyFileSync(f, join(out, "cenwave-in", basename(f)));
  rewriteHeaders(join(out, "cenwave-in", basename(raw)), (header, hdu) => {
    if (hdu.index === 0) header.set("CENWAVE", 1234);
  });
  const bad = await runCliAsync("caldp-process", ["obmm01abq", "file:cenwave-in", "file:bad", config], { cwd: out });
  assert.equal(bad.status, 23, bad.stdout.slice(-3000));
  assert.match(
    bad.stdout + bad.stderr,
    /obmm01abq_raw\.fits: SDCTAB \S+ \(\S+\): no row for APERTURE 52X0\.2, OPT_ELEM G140L, CENWAVE 1234/,
  );
  const left = existsSync(join(out, "bad", "obmm01abq")) ? readdirSync(join(out, "bad", "obmm01abq")) : [];
  assert.deepEqual(
    left.filter((f) => f.endsWith(".fits")),
    [],
  );
});
