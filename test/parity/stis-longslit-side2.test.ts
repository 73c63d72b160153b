// The long-slit CR-SPLIT case on side 2 of the CCD (fingerprints/stis-ccd-longslit-side2.json): the housing
// temperature scales the dark (calstis1) and, through the TDSTAB's REFTEMP/TEMPSENS, the sensitivity calstis7's
// FLUXCORR divides by. cs0.e 3.5.0's flt, crj and sx2 against the native calstis.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runCliAsync } from "../helpers/cli-async.js";
import { compareProducts, describe, fingerprintProduct, type ProductPrint } from "./fingerprint.js";
import {
  fingerprintPathOf,
  relativeMisses,
  STIS_LONGSLIT_SIDE2_CASE,
  simulateStisLongSlitCase,
  stisLongSlitTablesOf,
} from "./stis-longslit-case.js";

const record: { sampleSeed: number; products: ProductPrint[] } = JSON.parse(
  readFileSync(fingerprintPathOf(STIS_LONGSLIT_SIDE2_CASE), "utf8"),
);
const dir = mkdtempSync(join(tmpdir(), "caldp-stis-side2-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const sim = simulateStisLongSlitCase(dir, STIS_LONGSLIT_SIDE2_CASE);

test("on side 2 with a temperature-dependent TDSTAB, the native flt, crj, sx2 and sx1 are cs0.e's", async () => {
  const sx2 = record.products.find((p) => p.file.endsWith("_sx2.fits"))!;
  const sci = sx2.headers!.find((h) => h.hdu === "SCI,1")!.keywords;
  assert.ok((sci.EXPSTART as number) > 52091 && sci.OCCDHTAV === 21.5, "a side-2 exposure at 21.5 °C");
  const run = await runCliAsync("caldp", ["calstis", sim.input], { cwd: dir, env: { oref: `${sim.referenceDir}/` } });
  assert.equal(run.status, 0, run.stderr);
  const products = readdirSync(dir).filter((f) => /_(flt|crj|sx2|sx1)\.fits$/.test(f));
  assert.equal(products.length, 4, products.join(" "));
  for (const file of products) {
    const theirs = record.products.find((p) => p.file === file)!;
    const ours = fingerprintProduct(join(dir, file), file, record.sampleSeed, true, stisLongSlitTablesOf(file));
    assert.deepEqual(compareProducts(ours, theirs).map(describe), [], file);
    assert.deepEqual(relativeMisses(ours, theirs), [], file);
  }
});
