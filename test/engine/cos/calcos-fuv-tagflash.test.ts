// caldp calcos on FUV TIME-TAG raws with TAGFLASH: WAVECORR refused without TAGFLASH, flashes commanded but
// absent from the events refused (one line naming the file, table and keys; raws untouched, nothing left),
// no flash commanded (NUMFLASH = 0) WAVECORR SKIPPED with LAMPUSED = NONE and an empty `_lampflash` as calcos.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, before, test } from "node:test";
import { FitsFile, rewriteHeaders } from "../../../src/fits/index.js";
import { simulateCosFuv } from "../../../src/sim/cos-fuv.js";
import { runCliAsync } from "../../helpers/cli-async.js";

const DATASET = "lfuv02abq";
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), "caldp-calcos-fuv-flash-"));
  dirs.push(dir);
  return dir;
}

// a faint exposure without lamp flashes; each test copies the raws and sets the flash keywords it needs
let base: ReturnType<typeof simulateCosFuv>;
before(() => {
  base = simulateCosFuv({
    dataset: DATASET,
    out: tempDir(),
    seed: 11,
    sourceRate: 60,
    backgroundRate: 15,
    darkRate: 5,
  });
});

function workspace(flashes: { on: number; off: number }[] | undefined, tagflash = "AUTO") {
  const dir = tempDir();
  const raws = (["FUVA", "FUVB"] as const).map((s) => join(dir, basename(base.rawtags[s])));
  cpSync(base.rawtags.FUVA, raws[0]);
  cpSync(base.rawtags.FUVB, raws[1]);
  for (const raw of raws) {
    rewriteHeaders(raw, (h, hdu) => {
      if (hdu.index === 0) h.set("WAVECORR", "PERFORM").set("TAGFLASH", tagflash);
      if (hdu.index !== 1 || flashes === undefined) return;
      h.set("NUMFLASH", flashes.length);
      for (const [i, f] of flashes.entries()) h.set(`LMP_ON${i + 1}`, f.on).set(`LMPOFF${i + 1}`, f.off);
    });
  }
  return { dir, raws };
}

const sha1 = (path: string) => createHash("sha1").update(readFileSync(path)).digest("hex");
const calcos = (dir: string) =>
  runCliAsync("caldp", ["calcos", "--outdir", "out", `${DATASET}_rawtag_a.fits`], {
    cwd: dir,
    env: { lref: `${base.referenceDir}/` },
  });

async function refused(dir: string, raws: string[], message: RegExp) {
  const before = raws.map(sha1);
  const run = await calcos(dir);
  assert.equal(run.status, 1, run.stdout);
  const lines = run.stderr.trim().split("\n");
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0], message);
  assert.deepEqual(raws.map(sha1), before, "the raws are not modified");
  const out = join(dir, "out");
  assert.deepEqual(existsSync(out) ? readdirSync(out) : [], [], "nothing written, no temporary file left");
}

test("WAVECORR = PERFORM without TAGFLASH is refused by name: separate wavecal exposures are not native for FUV", async () => {
  const { dir, raws } = workspace(undefined, "NONE");
  await refused(dir, raws, /lfuv02abq_rawtag_a\.fits: WAVECORR = PERFORM without TAGFLASH .* not native for FUV yet/);
});

test("TAGFLASH WAVECORR with GEOCORR = PERFORM is refused by name (the shifted distortion border is not native)", async () => {
  const { dir, raws } = workspace([{ on: 20, off: 32 }]);
  rewriteHeaders(raws[1], (h, hdu) => {
    if (hdu.index === 0) h.set("GEOCORR", "PERFORM");
  });
  await refused(
    dir,
    raws,
    /lfuv02abq_rawtag_b\.fits: WAVECORR = PERFORM \(TAGFLASH\) with GEOCORR = PERFORM is not native/,
  );
});

test("a flash commanded but no lamp lines in the WCA rows: one line naming file, table, keys and rows", async () => {
  const { dir, raws } = workspace([{ on: 20, off: 32 }]);
  await refused(
    dir,
    raws,
    /lfuv02abq_rawtag_a\.fits\[EVENTS\]: NUMFLASH = 1 lamp flash\(es\) commanded \(LMP_ONn\/LMPOFFn 20-32 s\) but no lamp lines in the WCA rows 535-585 of FUVA/,
  );
});

test("TAGFLASH with no flash commanded: WAVECORR SKIPPED, LAMPUSED NONE, an empty _lampflash as calcos writes", async () => {
  const { dir } = workspace([]);
  const run = await calcos(dir);
  assert.equal(run.status, 0, run.stderr);
  const out = join(dir, "out");
  assert.ok(readdirSync(out).includes(`${DATASET}_lampflash.fits`));
  for (const s of ["a", "b"]) {
    const corrtag = FitsFile.open(join(out, `${DATASET}_corrtag_${s}.fits`));
    try {
      assert.equal(corrtag.hdus[0].header.getString("WAVECORR"), "SKIPPED");
      assert.equal(corrtag.hdus[0].header.getString("LAMPUSED"), "NONE");
      assert.equal(corrtag.hdu("EVENTS").header.getInt("NUMFLASH"), 0);
    } finally {
      corrtag.close();
    }
  }
  const lampflash = FitsFile.open(join(out, `${DATASET}_lampflash.fits`));
  try {
    assert.equal(lampflash.hdu("LAMPFLASH").header.getInt("NAXIS2"), 0);
    assert.equal(lampflash.hdus[0].header.getString("WAVECORR"), "SKIPPED");
  } finally {
    lampflash.close();
  }
  assert.match(
    readFileSync(join(out, `${DATASET}.tra`), "utf8"),
    /no lamp flash found in lfuv02abq_rawtag_a\.fits: WAVECORR SKIPPED/,
  );
});
