/**
 * caldp-process stage 2 with the native engine on a simulated ACS/HRC CR-SPLIT association whose raws say
 * DRIZCORR=PERFORM: the association's `_drz` is made from both flt (header WCS: the simulation has no IDCTAB),
 * collected with the products, previewed, listed in the message, and its sky level equals the crj's.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { FitsFile, rewriteHeaders } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";
import { runCliAsync } from "../helpers/cli-async.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-native-drz-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Median of a product's SCI in e-/s (over WHT > 0 for a drz). */
function medianRate(path: string): number {
  const file = FitsFile.open(path);
  try {
    const data = file.readImage("SCI").data as Float32Array;
    const wht = file.hdus.some((h) => h.name === "WHT") ? (file.readImage("WHT").data as Float32Array) : undefined;
    const t = wht ? 1 : file.hdus[0].header.getNumber("EXPTIME");
    const values = Array.from(
      data.filter((_, k) => !wht || wht[k] > 0),
      (v) => v / t,
    ).sort((a, b) => a - b);
    return values[values.length >> 1];
  } finally {
    file.close();
  }
}

test("native stage 2 drizzles a DRIZCORR=PERFORM association into <asn>_drz.fits with its preview", async () => {
  const sim = simulateDataset({ dataset: "j8cb010b0", out: join(dir, "in"), detector: "HRC", seed: 5 });
  for (const e of sim.exposures) {
    rewriteHeaders(e.raw, (h, hdu) => {
      if (hdu.index === 0) h.set("DRIZCORR", "PERFORM");
    });
  }
  const config = join(dir, "sim.cfg");
  writeFileSync(config, `CRDS_PATH=${sim.crds.root}\nCRDS_READONLY_CACHE=1\n`);
  const r = await runCliAsync("caldp-process", ["j8cb010b0", "file:in", "file:out", config], { cwd: dir });
  assert.equal(r.status, 0, r.stdout.slice(-3000) + r.stderr);
  const out = join(dir, "out", "j8cb010b0");
  const drz = join(out, "j8cb010b0_drz.fits");
  assert.ok(existsSync(drz));
  assert.ok(existsSync(join(out, "previews", "j8cb010b0_drz.jpg")));
  const message = readFileSync(join(dir, "messages", "processed-j8cb010b0.trigger"), "utf8").split("\n");
  assert.ok(message.includes("j8cb010b0/j8cb010b0_drz.fits"));
  const log = readFileSync(join(dir, "process.txt"), "utf8");
  assert.match(log, /native drizzle\): .*j8cb010b0_drz\.fits from 2 chip/);
  // AstroDrizzle's steps, each logged with its parameters (AstroDrizzle's defaults: no MDRIZTAB in this cache)
  assert.match(log, /AstroDrizzle's default parameters/);
  for (const step of ["static_mask", "sky", "driz_separate", "median", "blot", "driz_cr", "final_drizzle"]) {
    assert.match(log, new RegExp(`stage 2: ${step}: ran, `), step);
  }
  const file = FitsFile.open(drz);
  const primary = file.hdus[0].header;
  file.close();
  assert.equal(primary.get("NDRIZIM"), 2);
  // AstroDrizzle subtracts each exposure's sky (skysub on by default): the drz's sky is left near 0 where the crj
  // made from the same flt keeps it (its rate: e- over the summed exposure time)
  const drzSky = medianRate(drz);
  const crjSky = medianRate(join(out, "j8cb010b1_crj.fits"));
  assert.ok(crjSky > 0 && Math.abs(drzSky) < 0.05 * crjSky, `median ${drzSky} e-/s in the drz, ${crjSky} in the crj`);
});
