// Bad input for the spectroscopic steps of the native calstis, on the simulated long-slit case: a missing
// wavecal, a grating or central wavelength that a table has no row for. Each is one error naming the file and
// the keyword or the table and its keys, before anything is written; the inputs stay as they were. And
// caldp-process: the long-slit dataset into _flt, _crj and _sx2; without its wavecal, exit 23 and no product.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
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
import { CalibrationError } from "../../../src/calib/common/errors.js";
import { calstis } from "../../../src/engine/stis/calstis.js";
import { rewriteHeaders } from "../../../src/fits/index.js";
import { simulateDataset } from "../../../src/sim/index.js";
import { runCliAsync } from "../../helpers/cli-async.js";
import { PYTHON } from "../../helpers/paths.js";

const out = mkdtempSync(join(tmpdir(), "calstis-spectro-"));
after(() => rmSync(out, { recursive: true, force: true }));
const sim = simulateDataset({ dataset: "o8ss01010", out: join(out, "sim"), spectroscopic: true, seed: 31 });
const raw = sim.exposures[0].raw;
const wav = join(out, "sim", "o8ss01010_wav.fits");
const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** A folder with the raw (and the wavecal) and a copy of the references. */
function folder(name: string, withWavecal = true): string {
  const dir = join(out, name);
  mkdirSync(join(dir, "refs"), { recursive: true });
  for (const f of withWavecal ? [raw, wav] : [raw]) copyFileSync(f, join(dir, basename(f)));
  for (const f of readdirSync(sim.referenceDir)) copyFileSync(join(sim.referenceDir, f), join(dir, "refs", f));
  return dir;
}

async function refused(dir: string, message: string, code: string): Promise<void> {
  const files = () =>
    readdirSync(dir, { recursive: true })
      .map(String)
      .filter((n) => n.endsWith(".fits"))
      .sort()
      .map((n) => [n, sha(join(dir, n))]);
  const before = files();
  await assert.rejects(
    calstis([basename(raw)], { dir, env: { oref: `${dir}/refs/` }, log: () => {} }),
    (e: unknown) => e instanceof CalibrationError && e.code === code && e.message === message,
  );
  assert.deepEqual(files(), before, "inputs untouched, nothing written");
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.startsWith(".caldp-") || n.endsWith(".tra")),
    [],
  );
}

test("WAVECORR = PERFORM without the _wav: the raw and WAVECAL named, CAL_FILE_MISSING, nothing written", async () => {
  const dir = folder("no-wavecal", false);
  const where = join(dir, "o8ss01010_wav.fits");
  const message = `o8ss01010_raw.fits: WAVECAL = 'o8ss01010_wav.fits': ${where} does not exist`;
  await refused(dir, message, "CAL_FILE_MISSING");
});

test("a CENWAVE, then an OPT_ELEM, with no SDCTAB row: the table, its file and the keys named", async () => {
  for (const [keyword, value, keys] of [
    ["CENWAVE", 4301, "OPT_ELEM G430L, CENWAVE 4301"],
    ["OPT_ELEM", "G430M", "OPT_ELEM G430M, CENWAVE 4300"],
  ] as const) {
    const dir = folder(`sdc-${keyword}`);
    rewriteHeaders(join(dir, basename(raw)), (header, hdu) => {
      if (hdu.index === 0) header.set(keyword, value);
    });
    const sdc = "w0ts9m1io_sdc.fits";
    const message = `o8ss01010_raw.fits: SDCTAB oref$${sdc} (${dir}/refs/${sdc}): no row for APERTURE 52X0.2, ${keys}`;
    await refused(dir, message, "TABLE_ROW_MISSING");
  }
});

test("a DISPTAB without the grating's CENWAVE: the DISPTAB, its file and the keys named, nothing written", async () => {
  const dir = folder("disptab");
  const dsp = join(dir, "refs", "z10zj011o_dsp.fits");
  const edit = `from astropy.io import fits\nwith fits.open('${dsp}', mode='update') as f: f[1].data['CENWAVE'][:] = 5000`;
  execFileSync(PYTHON, ["-c", edit]);
  const message = `o8ss01010_raw.fits: DISPTAB oref$z10zj011o_dsp.fits (${dsp}): no row for OPT_ELEM G430L, CENWAVE 4300`;
  await refused(dir, message, "TABLE_ROW_MISSING");
});

test("caldp-process: the long-slit dataset into _flt, _crj, _sx2 and _sx1; without its wavecal exit 23 and no product", async () => {
  const config = join(out, "sim.cfg");
  writeFileSync(config, `CRDS_PATH=${sim.crds.root}\nCRDS_READONLY_CACHE=1\n`);
  const good = await runCliAsync("caldp-process", ["o8ss01010", "file:sim", "file:good", config], { cwd: out });
  assert.equal(good.status, 0, good.stdout.slice(-3000) + good.stderr);
  const products = readdirSync(join(out, "good", "o8ss01010")).filter((f) => /_(flt|crj|sx2|x2d|sx1)\.fits$/.test(f));
  assert.deepEqual(products.sort(), [
    "o8ss01010_crj.fits",
    "o8ss01010_flt.fits",
    "o8ss01010_sx1.fits",
    "o8ss01010_sx2.fits",
  ]);
  const message = readFileSync(join(out, "messages", "processed-o8ss01010.trigger"), "utf8");
  assert.match(message, /o8ss01010_sx2\.fits/);

  mkdirSync(join(out, "alone"));
  copyFileSync(raw, join(out, "alone", basename(raw)));
  const bad = await runCliAsync("caldp-process", ["o8ss01010", "file:alone", "file:bad", config], { cwd: out });
  assert.equal(bad.status, 23, bad.stdout.slice(-3000));
  assert.match(bad.stdout + bad.stderr, /o8ss01010_raw\.fits: WAVECAL = 'o8ss01010_wav\.fits': \S+ does not exist/);
  const left = existsSync(join(out, "bad", "o8ss01010")) ? readdirSync(join(out, "bad", "o8ss01010")) : [];
  assert.deepEqual(
    left.filter((f) => f.endsWith(".fits")),
    [],
  );
});
