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
  assert.match(log, /not native yet, not run: static_mask, sky, driz_separate, median, blot, driz_cr/);
  const file = FitsFile.open(drz);
  const primary = file.hdus[0].header;
  file.close();
  assert.equal(primary.get("NDRIZIM"), 2);
  // the sky level of the drz (cps) against the crj's (e-, summed exposure time) made from the same flt
  const drzSky = medianRate(drz);
  const crjSky = medianRate(join(out, "j8cb010b1_crj.fits"));
  assert.ok(Math.abs(drzSky / crjSky - 1) < 0.01, `median ${drzSky} e-/s in the drz, ${crjSky} in the crj`);
});
