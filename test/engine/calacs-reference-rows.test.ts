/**
 * ACSCCD reads BIASFILE and SATUFILE a band of rows at a time from their files; a gzip-compressed reference has
 * no row offsets and is read whole instead: the products are the same either way.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { gzipSync } from "node:zlib";
import { runCliAsync } from "../helpers/cli-async.js";

const out = mkdtempSync(join(tmpdir(), "calacs-reference-rows-"));
after(() => rmSync(out, { recursive: true, force: true }));

test("ACS/HRC ×2 with BIASFILE and SATUFILE gzip-compressed (read whole) equals the run that reads them by rows", async () => {
  const sim = join(out, "sim");
  const made = await runCliAsync("caldp", ["sim", "j8cb020b0", "--detector", "HRC", "--exposures", "2", "--out", sim]);
  assert.equal(made.status, 0, made.stderr);
  const refs = join(sim, "crds", "references", "hst");
  const compressedRefs = join(out, "gz-refs");
  mkdirSync(compressedRefs);
  let compressed = 0;
  for (const name of readdirSync(refs)) {
    // same names (the raws' BIASFILE and SATUFILE), gzip content: recognised by its magic number
    if (/_(bia|sat)\.fits$/.test(name)) {
      writeFileSync(join(compressedRefs, name), gzipSync(readFileSync(join(refs, name)), { level: 1 }));
      compressed++;
    } else copyFileSync(join(refs, name), join(compressedRefs, name));
  }
  assert.equal(compressed, 2);
  const runs = [
    ["rows", refs],
    ["whole", compressedRefs],
  ] as const;
  for (const [dir, jref] of runs) {
    mkdirSync(join(out, dir));
    for (const f of readdirSync(sim).filter((n) => /_(raw|asn)\.fits$/.test(n))) {
      copyFileSync(join(sim, f), join(out, dir, f));
    }
    const r = await runCliAsync("caldp", ["calacs", "j8cb020b0_asn.fits"], {
      cwd: join(out, dir),
      env: { jref: `${jref}/` },
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  }
  const products = readdirSync(join(out, "rows")).filter((n) => /_(flt|crj)\.fits$/.test(n));
  assert.equal(products.length, 3);
  for (const name of products) {
    const diff = await runCliAsync("caldp", [
      "fits",
      "diff",
      "--ignore-volatile",
      "-q",
      join(out, "rows", name),
      join(out, "whole", name),
    ]);
    assert.equal(diff.status, 0, `${name}: ${diff.stdout}${diff.stderr}`);
  }
});
