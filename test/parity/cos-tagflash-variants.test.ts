// COS TAGFLASH variants against calcos 3.4.7 (fingerprints/cos-tagflash-variants.json, written by
// scripts/cos-tagflash-variants.ts): one commanded flash, uniformly spaced flashes; the shift keywords, the
// _lampflash's shifts, χ² and flags, and the corrtag's XFULL/YFULL/WAVELENGTH sums within 1e-6 relative.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCliAsync } from "../helpers/cli-async.js";
import { COS_TAGFLASH_CASE, simulateCosCase } from "./cos-case.js";
import { applyVariant, printVariant, VARIANTS, type VariantPrint, variantsPath } from "./cos-tagflash-variants.js";

const recorded: Record<string, VariantPrint> = JSON.parse(readFileSync(variantsPath, "utf8"));
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

for (const variant of VARIANTS) {
  test(`TAGFLASH ${variant.name}: caldp calcos's shifts equal calcos 3.4.7's`, async () => {
    const dir = mkdtempSync(join(tmpdir(), `caldp-cos-tagflash-${variant.name}-`));
    try {
      const { input, referenceDir } = simulateCosCase(dir, COS_TAGFLASH_CASE);
      applyVariant(join(dir, input), variant);
      const run = await runCliAsync("caldp", ["calcos", "--outdir", "out", input], {
        cwd: dir,
        env: { lref: `${referenceDir}/` },
      });
      assert.equal(run.status, 0, run.stderr);
      const ours = printVariant(join(dir, "out"), COS_TAGFLASH_CASE.dataset);
      const theirs = recorded[variant.name];
      for (const [k, v] of Object.entries(theirs.keywords))
        assert.ok(close(ours.keywords[k], v), `${k}: ${ours.keywords[k]} vs ${v}`);
      for (const [k, v] of Object.entries(theirs.sums))
        assert.ok(close(ours.sums[k], v), `sum of ${k}: ${ours.sums[k]} vs ${v}`);
      for (const [k, values] of Object.entries(theirs.lampflash)) {
        assert.equal(ours.lampflash[k].length, values.length, k);
        for (const [i, v] of values.entries())
          assert.ok(close(ours.lampflash[k][i], v), `${k}[${i}]: ${ours.lampflash[k][i]} vs ${v}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
