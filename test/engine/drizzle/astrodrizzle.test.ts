/**
 * The native stage 2 end to end against AstroDrizzle (drizzlepac 3.6.2) on the simulator's dithered ACS/HRC
 * associations, calibrated by the native calacs and updatewcs: every step (static mask, sky, driz_separate,
 * median/minmed, blot, driz_cr, final drizzle) with the case's parameters, compared with the committed prints of
 * AstroDrizzle's outputs (astrodrizzle-fingerprints.ts makes them): SCI/WHT/CTX within 1e-5 relative + 1e-4
 * absolute, the same NaN pixels (no weight, final_fillval INDEF), the CR masks identical. The sky matching cases
 * give the exposures different skies. When they were recorded, every print agreed. And against the simulator's
 * truth: no injected cosmic ray is left in the drz above 5σ of the drizzle of the same exposures with exactly the
 * injected pixels masked.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { readNoise } from "../../../src/engine/drizzle/chip-units.js";
import { type DrizzleProduct, drizzleInputs } from "../../../src/engine/drizzle/run.js";
import { copyData, FitsFile, FitsWriter } from "../../../src/fits/index.js";
import type { PixelList } from "../../../src/sim/ccd.js";
import { pixToSky, skyToPix } from "../../../src/wcs/index.js";
import { REPO } from "../../helpers/paths.js";
import {
  CASES,
  type CasePrint,
  differences,
  ourOptions,
  type PreparedCase,
  prepare,
  printOutputs,
} from "./astrodrizzle-cases.js";

const RECORDED = JSON.parse(
  readFileSync(join(REPO, "test", "engine", "drizzle", "astrodrizzle-fingerprints.json"), "utf8"),
) as { cases: Record<string, { theirs: CasePrint }> };
const dir = mkdtempSync(join(tmpdir(), "caldp-adriz-e2e-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const sha1 = (path: string) => createHash("sha1").update(readFileSync(path)).digest("hex");

/** A copy of `flt` in `folder` with exactly the injected cosmic-ray pixels flagged 4096 in its DQ. */
function withTruthFlags(flt: string, folder: string, rays: PixelList): string {
  const out = join(folder, flt.split("/").at(-1)!);
  const input = FitsFile.open(flt);
  const writer = new FitsWriter(out);
  try {
    for (const hdu of input.hdus) {
      if (hdu.name === "DQ") {
        const dq = Int16Array.from(input.readImage(hdu).data as ArrayLike<number>);
        const width = hdu.header.getInt("NAXIS1");
        for (let n = 0; n < rays.x.length; n++) dq[rays.y[n] * width + rays.x[n]] |= 4096;
        writer.writeImage(hdu.header, dq, [width, hdu.header.getInt("NAXIS2")]);
      } else {
        const read = (offset: number, length: number) => input.readBytes(hdu.dataOffset + offset, length);
        writer.writeRaw(hdu.header, hdu.dataBytes, copyData(read, hdu.dataBytes));
      }
    }
    writer.close();
  } finally {
    input.close();
  }
  return out;
}

const prepared: { case: PreparedCase; product: DrizzleProduct }[] = [];

for (const [n, c] of CASES.entries()) {
  test(`equals AstroDrizzle's: ${c.name}`, async () => {
    const recorded = RECORDED.cases[c.name];
    assert.ok(recorded, `no prints recorded for "${c.name}": rerun astrodrizzle-fingerprints.ts`);
    const p = prepare(c, join(dir, `case${n}`));
    const roots = p.sim.exposures.map((e) => e.rootname);
    const flts = roots.map((r) => join(p.folder, `${r}_flt.fits`));
    const before = flts.map(sha1);
    const [product] = await drizzleInputs([p.asn], ourOptions(c));
    prepared.push({ case: p, product });
    assert.deepEqual(flts.map(sha1), before, "the flt files are left as they were");
    const ran = product.result.steps.filter((s) => s.ran).map((s) => s.name);
    assert.deepEqual(ran, ["static_mask", "sky", "driz_separate", "median", "blot", "driz_cr", "final_drizzle"]);
    const ours = printOutputs(p.folder, "j8dt010b0_drz.fits", roots);
    const found = differences(ours, recorded.theirs, 1e-5, 1e-4);
    assert.deepEqual(found.slice(0, 10), [], `${found.length} differences`);
  });
}

test("truth (4 exposures, minmed): no injected cosmic ray left in the drz above 5σ of the drizzle with exactly them masked", async () => {
  const p = prepared[1]?.case;
  const ours = prepared[1]?.product;
  assert.ok(p && ours, "the 4-exposure case ran");
  const options = ourOptions(CASES[1]);
  const ideal = join(dir, "ideal");
  mkdirSync(ideal);
  const copies = p.sim.exposures.map((e) =>
    withTruthFlags(join(p.folder, `${e.rootname}_flt.fits`), ideal, e.cosmicRays),
  );
  const [masked] = await drizzleInputs(copies, {
    ...options,
    output: join(ideal, "ideal"),
    // the same sky (the flags left out of its statistics) and static mask; no step of our own against the rays
    adriz: { ...options.adriz, sky_bits: 4096, driz_separate: false, median: false, blot: false, driz_cr: false },
  });
  const exptime = CASES[1].exptime;
  const chip = ours.result.chips[0];
  const rn = readNoise(chip);
  const sky = [...ours.result.sky.values()].reduce((a, b) => a + b, 0) / ours.result.sky.size / exptime;
  const { sci, wht } = ours.result.image;
  const truth = masked.result.image;
  const { frame } = ours.result;
  // the drz pixel under each injected ray's centre, in the overlap of three exposures or more (with two, the median
  // is their mean and holds half of a ray: AstroDrizzle leaves those too, its CR masks equal ours above)
  const hit = new Set<number>();
  p.sim.exposures.forEach((e, n) => {
    const wcs = ours.result.chips[n].wcs;
    for (let r = 0; r < e.cosmicRays.x.length; r++) {
      const [ra, dec] = pixToSky(wcs, e.cosmicRays.x[r] + 1, e.cosmicRays.y[r] + 1);
      const [x, y] = skyToPix(frame.wcs, ra, dec);
      const k = (Math.round(y) - 1) * frame.width + (Math.round(x) - 1);
      if (k >= 0 && k < sci.length && truth.wht[k] >= 2.5 * exptime && wht[k] > 0) hit.add(k);
    }
  });
  // within 6 px (4 PSF sigmas) of a star, driz_cr's derivative term lets a ray through by design (AstroDrizzle's too)
  const stars = p.sim.stars.map((s) => skyToPix(frame.wcs, s.ra, s.dec));
  const nearStar = (k: number) => {
    const [x, y] = [(k % frame.width) + 1, Math.floor(k / frame.width) + 1];
    return stars.some(([sx, sy]) => (sx - x) ** 2 + (sy - y) ** 2 < 36);
  };
  let [worst, at] = [0, -1];
  const left: number[] = [];
  const onStars: number[] = [];
  for (const k of hit) {
    const w = truth.wht[k];
    const sigma = Math.sqrt(Math.max(truth.sci[k] + sky, 0) * w + (rn * rn * w) / exptime) / w;
    const z = (sci[k] - truth.sci[k]) / sigma;
    if (nearStar(k)) {
      if (z > 5) onStars.push(k);
      continue;
    }
    if (z > worst) [worst, at] = [z, k];
    if (z > 5) left.push(k);
  }
  const where = [...left, ...onStars]
    .slice(0, 8)
    .map(
      (k) =>
        `(${(k % frame.width) + 1}, ${Math.floor(k / frame.width) + 1}) ${truth.sci[k].toFixed(2)}→${sci[k].toFixed(2)} w ${truth.wht[k].toFixed(0)}/${wht[k].toFixed(0)}`,
    );
  console.log(`# left above 5σ: ${left.length} on the sky, ${onStars.length} near stars: ${where.join("; ")}`);
  const compared = hit.size;
  const rays = p.sim.exposures.reduce((s, e) => s + e.cosmicRays.x.length, 0);
  console.log(
    `# ${rays} injected CR pixels; ${compared} drz pixels compared; worst residual ${worst.toFixed(2)}σ at ${at}`,
  );
  assert.ok(compared > 5000, `${compared} pixels`);
  assert.ok(worst < 5, `a cosmic ray left at ${worst}σ (drz pixel ${at})`);
});
