// `caldp cte forward` as a real subprocess: the forward model of a trimmed ACS/WFC full frame in electrons,
// written beside the input as _ctefmod.fits; bad inputs fail with one line naming file and keyword.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { FitsFile, FitsWriter, Header, verifyFile } from "../../src/fits/index.js";
import { acsWfcCte, writeAcsPctetab } from "../../src/sim/acs-cte.js";
import { detectorModel } from "../../src/sim/detectors.js";
import { runCliAsync } from "../helpers/cli-async.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-cte-forward-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const context = { model: detectorModel("ACS", "WFC"), maps: [], seed: 9, dir, spectralElements: {}, aperture: "" };
const pctetab = writeAcsPctetab(context, acsWfcCte());
const env = { jref: `${dir}/` };
const W = 4096;
const H = 2048;
/** Point sources (x, y, e-) per CCDCHIP. */
const SOURCES: Record<number, [number, number, number][]> = {
  2: [
    [100, 1800, 5000],
    [4000, 1800, 5000],
  ],
  1: [[100, 200, 5000]],
};

function writeInput(name: string, instrument = "ACS"): string {
  const path = join(dir, name);
  const writer = new FitsWriter(path);
  const primary = new Header()
    .set("INSTRUME", instrument)
    .set("DETECTOR", "WFC")
    .set("CCDAMP", "ABCD")
    .set("EXPSTART", 57000.5)
    .set("PCTETAB", `jref$${pctetab.name}`);
  writer.writeImage(primary);
  for (const [ver, chip] of [
    [1, 2],
    [2, 1],
  ]) {
    const sci = new Float32Array(W * H).fill(30);
    for (const [x, y, flux] of SOURCES[chip]) sci[y * W + x] += flux;
    const ext = (extname: string) => new Header().set("EXTNAME", extname).set("EXTVER", ver).set("CCDCHIP", chip);
    writer.writeImage(ext("SCI"), sci, [W, H]);
    writer.writeConstantImage(ext("ERR"), 5, [W, H], -32);
    writer.writeConstantImage(ext("DQ"), 0, [W, H], 16);
  }
  writer.close();
  return path;
}

const sha1 = (path: string) => createHash("sha1").update(readFileSync(path)).digest("hex");

test("forward model: trails behind each source away from its amp, the input untouched", {
  timeout: 300_000,
}, async () => {
  const input = writeInput("j8cb08abq_flc.fits");
  const before = sha1(input);
  const run = await runCliAsync("caldp", ["cte", "forward", input], { env });
  assert.equal(run.status, 0, run.stderr);
  const output = join(dir, "j8cb08abq_ctefmod.fits");
  assert.equal(run.stdout.trim(), output);
  assert.equal(sha1(input), before, "the input is not modified");
  assert.deepEqual(verifyFile(output), []);
  const fits = FitsFile.open(output);
  try {
    assert.equal(fits.hdus[0].header.get("CTE_NAME"), "Par/Serial PixelCTE 2023");
    const chip2 = fits.readImage("SCI", { ver: 1 }).data as Float32Array;
    const chip1 = fits.readImage("SCI", { ver: 2 }).data as Float32Array;
    const err = fits.readImage("ERR", { ver: 1 }).data as Float32Array;
    const at = (x: number, y: number) => y * W + x;
    assert.ok(chip2[at(100, 1800)] < 5030 - 10, `amp C source loses charge: ${chip2[at(100, 1800)]}`);
    assert.ok(
      chip2[at(100, 1801)] > 31 && chip2[at(100, 1799)] < 30.5,
      "amp C: trail above the source (readout at row 0)",
    );
    assert.ok(chip2[at(101, 1800)] > 30 && chip2[at(99, 1800)] <= 30, "amp C: serial trail to the right");
    assert.ok(chip2[at(3999, 1800)] > 30 && chip2[at(4001, 1800)] <= 30, "amp D: serial trail to the left");
    assert.ok(
      chip1[at(100, 199)] > 31 && chip1[at(100, 201)] < 30.5,
      "amp A: trail below the source (readout at the top)",
    );
    assert.ok(err[at(100, 1801)] > 5, `ERR grows by 10% of the change in quadrature: ${err[at(100, 1801)]}`);
  } finally {
    fits.close();
  }
  const again = await runCliAsync("caldp", ["cte", "forward", input], { env });
  assert.equal(again.status, 1);
  assert.match(again.stderr, /_ctefmod\.fits exists: remove it first/);
});

test("bad inputs: another instrument, no PCTETAB, a missing table: one line naming file and keyword, no output", async () => {
  const wfc3 = writeInput("iabc01abq_flc.fits", "WFC3");
  const run = await runCliAsync("caldp", ["cte", "forward", wfc3], { env });
  assert.equal(run.status, 1);
  assert.match(run.stderr, /iabc01abq_flc\.fits: keyword INSTRUME = WFC3: the forward model is for ACS\/WFC/);
  assert.equal(existsSync(join(dir, "iabc01abq_ctefmod.fits")), false);

  const input = writeInput("j8cb09abq_flc.fits");
  const missing = await runCliAsync("caldp", ["cte", "forward", input, "--pctetab", join(dir, "nope_cte.fits")], {
    env,
  });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /PCTETAB .*nope_cte\.fits/);
  const noJref = await runCliAsync("caldp", ["cte", "forward", input], { env: { jref: "" } });
  assert.equal(noJref.status, 1);
  assert.match(noJref.stderr, /PCTETAB = 'jref\$.*environment variable jref is not set/);
  assert.equal(existsSync(join(dir, "j8cb09abq_ctefmod.fits")), false);
});
