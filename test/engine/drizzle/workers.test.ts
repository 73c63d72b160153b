/**
 * The final drizzle on worker threads (bands of a shared frame, final-drizzle-workers.ts) against one thread,
 * on the real ACS/HRC flt of python-drizzle-testdata and a dithered copy, onto a rotated frame: SCI, WHT and
 * CTX bit-identical for every kernel on 3 workers (whose bands and schedule differ from one thread's order); with
 * every AstroDrizzle step, driz_separate and blot on workers too (singles, median, CR masks, product); the stage's
 * error for a chip that reaches no band of the frame.
 */
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { DrizzleKernel } from "../../../src/calib/drizzle/types.js";
import { finalDrizzleOnWorkers } from "../../../src/engine/drizzle/final-drizzle-workers.js";
import { readChips } from "../../../src/engine/drizzle/inputs.js";
import { ADRIZ_STEPS } from "../../../src/engine/drizzle/run.js";
import { runDrizzleStage } from "../../../src/engine/drizzle/stage.js";
import { rewriteHeaders } from "../../../src/fits/index.js";
import { outputFrame, pixToSky, readWcs } from "../../../src/wcs/index.js";

const HRC = "/usr/share/python-drizzle/test_data/j8bt06nyq_flt.fits";
const skip = existsSync(HRC) ? false : "python-drizzle-testdata is not installed";
const dir = mkdtempSync(join(tmpdir(), "caldp-drz-workers-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function dithered(dx: number, dy: number): string {
  const path = join(dir, "j8bt06o0q_flt.fits");
  copyFileSync(HRC, path);
  rewriteHeaders(path, (h, hdu) => {
    if (hdu.name !== "SCI") return;
    const wcs = readWcs(h);
    const [ra, dec] = pixToSky(wcs, wcs.crpix[0] + dx, wcs.crpix[1] + dy);
    h.set("CRVAL1", ra, { float: true });
    h.set("CRVAL2", dec, { float: true });
  });
  return path;
}

const identical = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  assert.equal(a.length, b.length);
  for (let k = 0; k < a.length; k++) if (!Object.is(a[k], b[k])) return `first difference at ${k}: ${a[k]} ${b[k]}`;
  return "";
};

test("every kernel: SCI, WHT and CTX on 3 workers bit-identical to one thread", { skip }, async () => {
  const chips = [...readChips(HRC), ...readChips(dithered(3.4, -7.7))];
  const kernels: [DrizzleKernel, number][] = [
    ["square", 1],
    ["turbo", 0.8],
    ["point", 1],
    ["gaussian", 1],
    ["lanczos3", 1],
  ];
  for (const [kernel, pixfrac] of kernels) {
    const options = { kernel, pixfrac, rotation: 33, scale: 0.031 };
    const one = await runDrizzleStage(chips, { ...options, workers: 1 });
    for (const workers of [3]) {
      const many = await runDrizzleStage(chips, { ...options, workers, workerThreshold: 0 });
      const what = `${kernel} pixfrac ${pixfrac} on ${workers} workers`;
      assert.equal(identical(many.image.sci, one.image.sci), "", `${what}: SCI`);
      assert.equal(identical(many.image.wht, one.image.wht), "", `${what}: WHT`);
      assert.equal(identical(many.image.ctx, one.image.ctx), "", `${what}: CTX`);
    }
    let covered = 0;
    for (const w of one.image.wht) if (w > 0) covered++;
    assert.ok(covered > 700_000, `${kernel}: ${covered} pixels with weight`);
  }
});

test("all steps: singles, median, CR masks and product on 3 workers bit-identical to one thread", {
  skip,
}, async () => {
  const chips = [...readChips(HRC), ...readChips(dithered(13.4, -27.7))];
  const options = { rotation: 20, scale: 0.05, keepIntermediates: true };
  const one = await runDrizzleStage(chips, { ...options, workers: 1 }, ADRIZ_STEPS);
  const many = await runDrizzleStage(chips, { ...options, workers: 3, workerThreshold: 0 }, ADRIZ_STEPS);
  assert.deepEqual(
    many.steps.map((s) => s.name),
    ["static_mask", "sky", "driz_separate", "median", "blot", "driz_cr", "final_drizzle"],
  );
  const skies = (r: typeof one) => r.chips.map((c) => r.sky.get(c));
  assert.deepEqual(skies(many), skies(one), "sky per chip (static mask and sky statistics on workers)");
  assert.ok(
    skies(one).every((s) => s !== undefined && s > 0),
    `skies ${skies(one)}`,
  );
  for (const [n, single] of one.singles!.entries()) {
    assert.equal(identical(many.singles![n].sci, single.sci), "", `single ${n} SCI`);
    assert.equal(identical(many.singles![n].wht, single.wht), "", `single ${n} WHT`);
  }
  assert.equal(identical(many.median!, one.median!), "", "median");
  let flagged = 0;
  for (const chip of chips) {
    const mask = one.crMasks.get(chip)!;
    assert.equal(identical(many.crMasks.get(many.chips[chips.indexOf(chip)])!, mask), "", `${chip.file} CR mask`);
    for (const m of mask) if (!m) flagged++;
  }
  assert.ok(flagged > 1000, `${flagged} CR pixels flagged`);
  assert.equal(identical(many.image.sci, one.image.sci), "", "SCI");
  assert.equal(identical(many.image.wht, one.image.wht), "", "WHT");
  assert.equal(identical(many.image.ctx, one.image.ctx), "", "CTX");
});

test("static mask and globalmin sky on 3 workers: the same sky per chip as one thread", { skip }, async () => {
  const chips = [...readChips(HRC), ...readChips(dithered(13.4, -27.7))];
  const steps = ADRIZ_STEPS.filter((s) => s.name === "static_mask" || s.name === "sky");
  const adriz = { skymethod: "globalmin" as const, skystat: "mode" as const };
  const one = await runDrizzleStage(chips, { rotation: 20, scale: 0.05, workers: 1, adriz }, steps);
  const many = await runDrizzleStage(
    chips,
    { rotation: 20, scale: 0.05, workers: 3, workerThreshold: 0, adriz },
    steps,
  );
  const skies = (r: typeof one) => r.chips.map((c) => r.sky.get(c));
  assert.deepEqual(skies(many), skies(one));
  // globalmin: one brightness for every chip, here all of the same scale and exposure time
  assert.equal(new Set(skies(one)).size, 1, `skies ${skies(one)}`);
  assert.equal(identical(many.image.sci, one.image.sci), "", "SCI");
});

test("a chip whose pixels reach no band of the frame is named (no overlap)", { skip }, async () => {
  const [chip] = readChips(HRC);
  const far = { ...readChips(dithered(0, 5000))[0], file: "far_flt.fits" };
  const frame = outputFrame([{ wcs: chip.wcs, width: chip.width, height: chip.height, name: chip.file }], {});
  const prepare = () => ({ data: far.sci, weights: new Float32Array(far.sci.length).fill(1), options: {} });
  await assert.rejects(
    finalDrizzleOnWorkers([far], frame.wcs, frame, prepare, 2),
    /^DrizzleStageError: far_flt\.fits: \[SCI,1\] falls outside the output frame \(no overlap\)$/,
  );
});
