// COS x1dsum parity with calcos 3.4.7: `caldp calcos` on the simulated NUV FP-POS association (four exposures at
// FPPOS 2, 3, 4, 4) against the recorded fingerprints of calcos' _x1dsum, _x1dsum3, _x1dsum4 SCI tables and the
// keywords fpavg sets in every spectrum (fingerprints/cos-nuv-x1dsum.json, scripts/cos-x1dsum-fingerprints.ts):
// 1e-4 relative, DQ identical; the output grid spans every input, the input association is left as it was.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { FitsFile } from "../../src/fits/index.js";
import { runCliAsync } from "../helpers/cli-async.js";
import {
  COS_X1DSUM_CASE,
  FINGERPRINTED,
  type KeywordPrint,
  keywordPrint,
  simulateX1dsumCase,
  spectraIn,
  x1dsumFingerprintPath,
} from "./cos-x1dsum-case.js";
import { compareProducts, describe, fingerprintProduct, type ProductPrint } from "./fingerprint.js";

const recorded: { program: string; files: string[]; products: ProductPrint[]; keywords: Record<string, KeywordPrint> } =
  JSON.parse(readFileSync(x1dsumFingerprintPath, "utf8"));

const sha1 = (path: string) => createHash("sha1").update(readFileSync(path)).digest("hex");

function keywordDifferences(file: string, ours: KeywordPrint, theirs: KeywordPrint): string[] {
  return Object.entries(theirs).flatMap(([hdu, keys]) =>
    Object.entries(keys).flatMap(([k, v]) => {
      const o = ours[hdu]?.[k];
      const same =
        typeof v === "number" && typeof o === "number" ? Math.abs(o - v) <= 1e-9 * Math.max(1, Math.abs(v)) : o === v;
      return same ? [] : [`${file}[${hdu}] ${k}: ${o} vs ${v}`];
    }),
  );
}

test(`${COS_X1DSUM_CASE.name}: caldp calcos's _x1dsum products equal ${recorded.program}'s`, async () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-parity-cos-x1dsum-"));
  try {
    const sim = simulateX1dsumCase(dir);
    const asnBefore = sha1(join(dir, sim.input));
    const run = await runCliAsync("caldp", ["calcos", "--outdir", "out", sim.input], {
      cwd: dir,
      env: { lref: `${sim.referenceDir}/` },
    });
    assert.equal(run.status, 0, run.stderr);
    const out = join(dir, "out");
    assert.deepEqual(spectraIn(out), recorded.files);
    const differences = recorded.products.flatMap((theirs) => {
      const ours = fingerprintProduct(join(out, theirs.file), theirs.file, COS_X1DSUM_CASE.sampleSeed, false, ["SCI"]);
      assert.deepEqual(ours.samplePositions, theirs.samplePositions, `${theirs.file}: the same sampled pixels`);
      return compareProducts(ours, theirs).map(describe);
    });
    assert.deepEqual(differences, [], `differences from ${recorded.program}`);
    const keywords = recorded.files.flatMap((f) =>
      keywordDifferences(f, keywordPrint(join(out, f)), recorded.keywords[f]),
    );
    assert.deepEqual(keywords, [], "the keywords fpavg sets");
    assert.deepEqual(
      recorded.products.map((p) => p.file),
      FINGERPRINTED,
    );
    const sum = recorded.products[0].tables?.[0];
    assert.equal(sum?.rows, 3, "three NUV stripes");
    assert.ok((sum?.columns.length ?? 0) >= 14, "every numeric x1dsum column");

    // the averaged grid runs from the bluest input's first wavelength past the reddest's last
    const table = (name: string) => {
      const file = FitsFile.open(join(out, name));
      try {
        const t = file.readTable(1);
        return Object.fromEntries(t.columns.map((c) => [c.name, c.data])) as Record<string, Float64Array>;
      } finally {
        file.close();
      }
    };
    const all = table(`${COS_X1DSUM_CASE.asnId}_x1dsum.fits`);
    const members = recorded.files.filter((f) => f.endsWith("_x1d.fits")).map(table);
    const nAll = all.WAVELENGTH.length / 3;
    const nOne = members[0].WAVELENGTH.length / 3;
    assert.ok(nAll > nOne + 100, `the sum covers the FP-POS span: ${nAll} vs ${nOne} pixels`);
    assert.equal(all.WAVELENGTH[0], Math.min(...members.map((m) => m.WAVELENGTH[0])));
    assert.ok(all.WAVELENGTH[nAll - 1] >= Math.max(...members.map((m) => m.WAVELENGTH[nOne - 1])) - 0.04);
    assert.equal(all.EXPTIME[0], 4 * 280, "four exposures of 280 s");

    // calcos marks the product present in its copy of the association; the input is untouched
    assert.equal(sha1(join(dir, sim.input)), asnBefore);
    const copy = FitsFile.open(join(out, sim.input));
    try {
      assert.equal(copy.hdus[0].header.get("ASN_PROD"), true);
    } finally {
      copy.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
