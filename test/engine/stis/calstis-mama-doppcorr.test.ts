// DOPPCORR on a simulated FUV-MAMA G140L ACCUM spectrum (caldp sim --doppcorr), run as `caldp calstis`: the
// smearing changes the flt and names its steps in HISTORY; DOPPON = F omits it silently, as calstis1 does (the
// flt of DOPPCORR = OMIT); a missing DOPPZERO, a DOPPMAG of 0 or a low-res flat (calstis1 smears high-res
// pixels only) is one line naming the raw and the cause, exit 1, the inputs untouched. (Equality with cs0.e: test/parity/stis-mama-doppcorr.test.ts.)
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { FitsFile, rewriteHeaders } from "../../../src/fits/index.js";
import { simulateDataset } from "../../../src/sim/index.js";
import { runCliAsync } from "../../helpers/cli-async.js";

const scratch = mkdtempSync(join(tmpdir(), "caldp-stis-doppcorr-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
const dataset = "obmm02abq";
const sim = simulateDataset({
  dataset,
  out: join(scratch, "sim"),
  detector: "FUV-MAMA",
  spectroscopic: true,
  doppcorr: true,
  seed: 3,
});
const oref = `${sim.referenceDir}/`;
const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** A work folder holding the raw and wavecal, their headers edited. */
function folder(name: string, primary: Record<string, string> = {}, sci: Record<string, unknown> = {}) {
  const dir = join(scratch, name);
  mkdirSync(dir);
  for (const f of [`${dataset}_raw.fits`, `${dataset}_wav.fits`]) copyFileSync(join(sim.out, f), join(dir, f));
  rewriteHeaders(join(dir, `${dataset}_raw.fits`), (header, hdu) => {
    const edits = hdu.index === 0 ? primary : hdu.index === 1 ? sci : {};
    for (const [k, v] of Object.entries(edits)) {
      if (v === undefined) header.delete(k);
      else header.set(k, v as string | number | boolean);
    }
  });
  return dir;
}

async function flt(dir: string) {
  const run = await runCliAsync("caldp", ["calstis", `${dataset}_raw.fits`], { cwd: dir, env: { oref } });
  assert.equal(run.status, 0, run.stderr);
  const f = FitsFile.open(join(dir, `${dataset}_flt.fits`));
  try {
    const history = f
      .hdu(0)
      .header.commentary("HISTORY")
      .map((h) => h.trim());
    const pixels = ["SCI", "ERR", "DQ"].map((e) => Array.from(f.readImage(e, { ver: 1 }).data, Number));
    return { history, pixels };
  } finally {
    f.close();
  }
}

test("DOPPCORR smears the references; DOPPON = F leaves the flt of DOPPCORR = OMIT", async () => {
  const [performed, doppoff, omitted] = await Promise.all([
    flt(folder("perform")),
    flt(folder("doppon-false", {}, { DOPPON: false })),
    flt(folder("omit", { DOPPCORR: "OMIT" })),
  ]);
  assert.ok(performed.history.includes("DOPPCORR applied to DQICORR, DARKCORR, FLATCORR"));
  assert.equal(omitted.history.filter((h) => h.startsWith("DOPPCORR")).length, 0);
  assert.deepEqual(doppoff.history, omitted.history);
  const changed = performed.pixels[0]!.filter((v, k) => v !== omitted.pixels[0]![k]).length;
  assert.ok(changed > 1000000, `${changed} SCI pixels changed by DOPPCORR`);
  assert.ok(
    performed.pixels[2]!.some((v, k) => v !== omitted.pixels[2]![k]),
    "BPIXTAB runs widened",
  );
  for (let e = 0; e < 3; e++)
    assert.ok(
      doppoff.pixels[e]!.every((v, k) => v === omitted.pixels[e]![k]),
      `array ${e}`,
    );
});

for (const [name, sci, message] of [
  ["no-doppzero", { DOPPZERO: undefined }, /DOPPZERO is missing/],
  ["doppmag-zero", { DOPPMAG: 0 }, /DOPPMAG = 0/],
] as const) {
  test(`${name}: one line naming the raw and the keyword, exit 1, nothing written`, async () => {
    await refused(folder(name, {}, sci), message, true);
  });
}

test("a low-res flat: one line naming the raw and the cause, exit 1, the inputs untouched", async () => {
  const plain = simulateDataset({ dataset, out: join(scratch, "plain"), detector: "FUV-MAMA", spectroscopic: true });
  const lowRes = "lowres_pfl.fits";
  copyFileSync(plain.references.PFLTFILE!, join(sim.referenceDir, lowRes));
  const dir = folder("low-res-flat", { PFLTFILE: `oref$${lowRes}` });
  await refused(dir, /DOPPCORR.*the flat field oref\$\w+_pfl\.fits is binned to low-res pixels/, false);
});

/** One stderr line naming the raw, exit 1, the inputs untouched (and, when asked, no file added). */
async function refused(dir: string, message: RegExp, nothingWritten: boolean) {
  const files = () => readdirSync(dir).map((f) => [f, sha(join(dir, f))]);
  const before = files();
  const run = await runCliAsync("caldp", ["calstis", `${dataset}_raw.fits`], { cwd: dir, env: { oref } });
  assert.equal(run.status, 1, run.stderr);
  const lines = run.stderr.trim().split("\n");
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0]!, new RegExp(`${dataset}_raw\\.fits: `));
  assert.match(lines[0]!, message);
  const after = files();
  if (nothingWritten) assert.deepEqual(after, before);
  else
    for (const [name, digest] of before)
      assert.deepEqual(
        after.find(([n]) => n === name),
        [name, digest],
        name,
      );
}
