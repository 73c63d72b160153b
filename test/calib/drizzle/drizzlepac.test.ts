/**
 * Our kernels and AstroDrizzle steps against drizzlepac 3.6.2's own code on simulated inputs, through the committed
 * fingerprints of drizzlepac's outputs (drizzlepac is not in Debian; drizzlepac-fingerprints.ts makes them where a
 * drizzlepac venv exists). Measured when they were made: every output (kernels, median, quickDeriv, driz_cr mask,
 * imagestats, static mask, localmin/globalmin sky) is bit-identical to drizzlepac's except the lanczos3 kernel (drizzlepac 3.6.2 has its own, older cdrizzle; reported, not reproduced).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { REPO } from "../../helpers/paths.js";
import { drizzlepacCases, type Fingerprint, fingerprint } from "./drizzlepac-cases.js";

interface Recorded {
  arrays: Record<string, Fingerprint>;
  stats?: Record<string, number>;
  sky?: number[][];
}

const RECORDED = JSON.parse(
  readFileSync(join(REPO, "test", "calib", "drizzle", "drizzlepac-fingerprints.json"), "utf8"),
) as { cases: Record<string, Recorded> };

/** Equal fingerprints: identical bytes, or with rtol > 0 sums and samples within rtol. */
function sameOutput(ours: Fingerprint, theirs: Fingerprint, rtol: number): string | undefined {
  if (ours.sha256 === theirs.sha256) return undefined;
  if (rtol === 0) return "bytes differ";
  if (ours.length !== theirs.length) return `length ${ours.length} vs ${theirs.length}`;
  const close = (a: number, b: number) => Math.abs(a - b) <= rtol * Math.max(Math.abs(a), Math.abs(b)) + 1e-12;
  if (!close(ours.sum, theirs.sum)) return `sum ${ours.sum} vs ${theirs.sum}`;
  if (!close(ours.sumAbs, theirs.sumAbs)) return `sum of |values| ${ours.sumAbs} vs ${theirs.sumAbs}`;
  const k = ours.samples.findIndex((v, n) => !close(v, theirs.samples[n]));
  return k < 0 ? undefined : `sample ${k}: ${ours.samples[k]} vs ${theirs.samples[k]}`;
}

for (const c of drizzlepacCases()) {
  test(`${c.name}: equals drizzlepac 3.6.2's`, () => {
    const recorded = RECORDED.cases[c.name];
    assert.ok(recorded, `no fingerprint recorded for "${c.name}": rerun drizzlepac-fingerprints.ts`);
    const ours = c.ours();
    for (const [name, theirs] of Object.entries(recorded.arrays)) {
      assert.ok(ours[name], `we produce no ${name}`);
      const why = sameOutput(fingerprint(ours[name]), theirs, c.rtol);
      assert.equal(why, undefined, `${name}: ${why}`);
    }
    if (recorded.stats) {
      const mine = c.oursStats?.() ?? {};
      for (const [k, v] of Object.entries(recorded.stats)) assert.equal(mine[k], v, `${k}`);
    }
    if (recorded.sky) assert.deepEqual(c.oursSky?.(), recorded.sky, "sky per image and chip");
  });
}

test("drizzlepac reads the map bilinearly and centres lanczos: python drizzle 1.13.4's reading gives other pixels", () => {
  const cases = drizzlepacCases();
  for (const name of [
    "tdriz square, rotated",
    "tdriz square, input footprint holds the whole output",
    "tdriz lanczos3, rotated",
  ]) {
    const c = cases.find((k) => k.name === name);
    assert.ok(c?.legacy);
    const legacy = fingerprint(c.legacy().sci);
    const theirs = RECORDED.cases[name].arrays.sci;
    assert.notEqual(legacy.sha256, theirs.sha256, name);
    assert.ok(
      Math.abs(legacy.sum - theirs.sum) > 1e-3 * Math.abs(theirs.sum),
      `${name}: ${legacy.sum} vs ${theirs.sum}`,
    );
  }
});
