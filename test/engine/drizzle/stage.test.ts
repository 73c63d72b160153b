/**
 * The native drizzle stage on real HST files: the ACS/HRC flt of python-drizzle-testdata alone and with a
 * dithered copy of itself, and the shared WFC3 flt/flc samples (SIP). SCI, WHT and CTX equal Debian's
 * python3-drizzle (calc_pixmap + cdrizzle.tdriz with AstroDrizzle's final-drizzle settings) drizzling the same
 * chips onto the WCS our product carries; the product has the archive's structure and keywords; inputs stay as
 * they were.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { readChips } from "../../../src/engine/drizzle/inputs.js";
import { FINAL_DRIZZLE_ONLY } from "../../../src/engine/drizzle/parameters.js";
import { drizzleInputs } from "../../../src/engine/drizzle/run.js";
import { runDrizzleStage } from "../../../src/engine/drizzle/stage.js";
import { FitsFile, rewriteHeaders } from "../../../src/fits/index.js";
import { pixToSky, readWcs, skyToPix } from "../../../src/wcs/index.js";
import { ORACLE_MISSING, readF32, readI32 } from "../../calib/drizzle/oracle.js";
import { HST_DATA, PYTHON, REPO } from "../../helpers/paths.js";

const HRC = "/usr/share/python-drizzle/test_data/j8bt06nyq_flt.fits";
/** The final drizzle alone, with exact pixel maps read as python3-drizzle 1.13.4 reads them: what the oracle does. */
const FINAL_ONLY = (output: string) =>
  ({ output, interpolation: "drizzle-1.13.4", stepsize: 0, adriz: FINAL_DRIZZLE_ONLY }) as const;
const dir = mkdtempSync(join(tmpdir(), "caldp-drzstage-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const sha1 = (path: string) => createHash("sha1").update(readFileSync(path)).digest("hex");

/** Drizzles `inputs` with python3-drizzle onto `product`'s SCI WCS; its SCI, WHT and CTX. */
function oracle(product: string, inputs: string[], bits: number) {
  const out = mkdtempSync(join(dir, "oracle-"));
  const script = join(REPO, "test", "peers", "drizzle_stage_oracle.py");
  execFileSync(PYTHON, [script, product, String(bits), "square", "1", out, ...inputs], { stdio: "pipe" });
  return { sci: readF32(join(out, "sci.f32")), wht: readF32(join(out, "wht.f32")), ctx: readI32(join(out, "ctx.i32")) };
}

function compare(product: string, inputs: string[], bits: number): { maxRel: number; pixels: number } {
  const file = FitsFile.open(product);
  try {
    const sci = file.readImage("SCI").data as Float32Array;
    const wht = file.readImage("WHT").data as Float32Array;
    const ctx = file.readImage("CTX").data as Int32Array;
    const c = oracle(product, inputs, bits);
    assert.equal(c.sci.length, sci.length);
    let maxRel = 0;
    let pixels = 0;
    let maxWhtDiff = 0;
    let maxWht = 0;
    for (let k = 0; k < sci.length; k++) {
      if (c.wht[k] === 0) continue;
      pixels++;
      maxRel = Math.max(maxRel, Math.abs(sci[k] - c.sci[k]) / Math.max(Math.abs(c.sci[k]), 1e-3));
      maxWhtDiff = Math.max(maxWhtDiff, Math.abs(wht[k] - c.wht[k]));
      maxWht = Math.max(maxWht, c.wht[k]);
    }
    // tiny overlaps at the footprint's edge differ in the last bits of the pixel map: WHT relative to its peak
    assert.ok(maxWhtDiff <= 1e-5 * maxWht, `WHT differs by ${maxWhtDiff} (peak ${maxWht})`);
    assert.deepEqual(Array.from(ctx), Array.from(c.ctx));
    return { maxRel, pixels };
  } finally {
    file.close();
  }
}

/** A copy of the HRC flt pointed `dx`, `dy` pixels away (a dither), as a second exposure. */
function dithered(name: string, dx: number, dy: number): string {
  const path = join(dir, name);
  copyFileSync(HRC, path);
  rewriteHeaders(path, (h, hdu) => {
    if (hdu.index === 0) h.set("EXPSTART", (h.get("EXPSTART") as number) + 0.01);
    if (hdu.index === 0) h.set("EXPEND", (h.get("EXPEND") as number) + 0.01);
    if (hdu.name !== "SCI") return;
    const wcs = readWcs(h);
    const [ra, dec] = pixToSky(wcs, wcs.crpix[0] + dx, wcs.crpix[1] + dy);
    h.set("CRVAL1", ra, { float: true });
    h.set("CRVAL2", dec, { float: true });
  });
  return path;
}

test("a lone ACS/HRC flt: the single-exposure drz equals python3-drizzle's on the same frame", {
  skip: ORACLE_MISSING,
}, async () => {
  const before = sha1(HRC);
  const output = join(dir, "j8bt06nyq_drz.fits");
  const [product] = await drizzleInputs([HRC], FINAL_ONLY(output));
  assert.equal(product.path, output);
  assert.equal(sha1(HRC), before);
  const { maxRel, pixels } = compare(output, [HRC], 336);
  assert.ok(pixels > 1_000_000, `${pixels} pixels with weight`);
  assert.ok(maxRel < 1e-5, `max relative SCI difference ${maxRel}`);
  const file = FitsFile.open(output);
  try {
    assert.deepEqual(
      file.hdus.map((h) => h.name),
      ["PRIMARY", "SCI", "WHT", "CTX", "HDRTAB"],
    );
    const p = file.hdus[0].header;
    assert.equal(p.get("NDRIZIM"), 1);
    assert.equal(p.get("D001DATA"), "j8bt06nyq_flt.fits[sci,1]");
    assert.equal(p.get("D001KERN"), "square");
    assert.equal(p.get("EXPTIME"), 60);
    assert.ok(p.commentary("HISTORY").includes("AstroDrizzle step sky: switched off"));
    const sci = file.hdus[1].header;
    assert.equal(sci.get("BUNIT"), "ELECTRONS/S");
    assert.ok(Math.abs((sci.get("ORIENTAT") as number) - 15.5124) < 1e-3);
    const hdrtab = file.readTable("HDRTAB");
    assert.equal(hdrtab.nrows, 1);
    assert.deepEqual(
      hdrtab.columns.slice(0, 3).map((c) => c.name),
      ["ROOTNAME", "EXTNAME", "EXTVER"],
    );
    assert.deepEqual(hdrtab.columns[0].data, ["j8bt06nyq"]);
    assert.equal(file.hdu("HDRTAB").header.get("TFORM3"), "1K");
  } finally {
    file.close();
  }
});

test("two dithered exposures (3.4, -7.7 px): one frame holding both, context bits 1 and 2, equal to the oracle", {
  skip: ORACLE_MISSING,
}, async () => {
  const second = dithered("j8bt06x1q_flt.fits", 3.4, -7.7);
  const output = join(dir, "pair_drz.fits");
  const [product] = await drizzleInputs([HRC, second], FINAL_ONLY(output));
  const { frame } = product.result;
  const single = (await drizzleInputs([HRC], { output: join(dir, "one_drz.fits") }))[0].result.frame;
  assert.ok(frame.width >= single.width + 3 && frame.height >= single.height + 3, `${frame.width}×${frame.height}`);
  const { maxRel } = compare(output, [HRC, second], 336);
  assert.ok(maxRel < 1e-5, `max relative SCI difference ${maxRel}`);
  const file = FitsFile.open(output);
  try {
    const p = file.hdus[0].header;
    assert.equal(p.get("NDRIZIM"), 2);
    assert.equal(p.get("EXPTIME"), 120);
    assert.equal(p.get("D002DATA"), "j8bt06x1q_flt.fits[sci,1]");
    const ctx = file.readImage("CTX").data as Int32Array;
    assert.ok(ctx.includes(3) && ctx.includes(1) && ctx.includes(2));
  } finally {
    file.close();
  }
});

test("WFC3 IR flt and two-chip UVIS flc with SIP: frames hold every chip, equal to the oracle", {
  skip: ORACLE_MISSING,
}, async () => {
  for (const name of ["sample_ipppssoot_flt.fits", "sample_ipppssoot_flc.fits"]) {
    const input = join(HST_DATA, name);
    const output = join(dir, name.replace(/_fl[tc]/, name.includes("flc") ? "_drc" : "_drz"));
    const [product] = await drizzleInputs([input], FINAL_ONLY(output));
    const bits = String(product.result.chips[0].primary.get("DETECTOR")).trim() === "IR" ? 768 : 336;
    const { image } = product.result;
    assert.ok(image.wht.filter((w) => w > 0).length >= 50 * product.result.chips.length, name);
    // final_fillval INDEF: NaN exactly where no input pixel gave weight (the UVIS chip gap), as AstroDrizzle
    assert.ok(
      image.sci.every((v, k) => (image.wht[k] > 0 ? Number.isFinite(v) : Number.isNaN(v))),
      name,
    );
    const { maxRel } = compare(output, [input], bits);
    assert.ok(maxRel < 1e-5, `${name}: max relative SCI difference ${maxRel}`);
    for (const chip of product.result.chips) {
      const [ra, dec] = pixToSky(chip.wcs, 5, 5);
      const [x, y] = skyToPix(product.result.frame.wcs, ra, dec);
      assert.ok(x >= 1 && x <= product.result.frame.width && y >= 1 && y <= product.result.frame.height, name);
    }
  }
});

test("final_wht_type ERR: each chip's ERR read when the final drizzle asks, weights 1/ERR² unlike EXP", {
  skip: ORACLE_MISSING,
}, async () => {
  const [chip] = readChips(HRC);
  const file = FitsFile.open(HRC);
  const err = file.readImage(file.hdus.find((h) => h.name === "ERR" && h.ver === 1)!).data as Float32Array;
  file.close();
  assert.deepEqual(chip.err, Float32Array.from(err));
  const run = (weightType: "EXP" | "ERR") => runDrizzleStage(readChips(HRC), { weightType, workers: 1 });
  const [exp, byErr] = [await run("EXP"), await run("ERR")];
  let differ = 0;
  for (let k = 0; k < exp.image.wht.length; k++) if (exp.image.wht[k] !== byErr.image.wht[k]) differ++;
  assert.ok(differ > 500_000, `${differ} WHT pixels differ between EXP and ERR weights`);
  const noErr = { ...chip, err: undefined };
  await assert.rejects(runDrizzleStage([noErr], { weightType: "ERR", workers: 1 }), /has no ERR array/);
});
