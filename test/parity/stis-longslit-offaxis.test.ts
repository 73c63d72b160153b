// The long-slit CR-SPLIT case off axis (fingerprints/stis-ccd-longslit-offaxis.json): a tilted slit offset along
// itself, a dispersion relation measured through another aperture (incidence-angle terms) and a rotating trace,
// as cs0.e 3.5.0 calibrated it. The native calstis follows all three into the same shifts, flt, crj and sx2.
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
  STIS_LONGSLIT_CASE,
  STIS_LONGSLIT_OFFAXIS_CASE,
  simulateStisLongSlitCase,
} from "./stis-longslit-case.js";

type Record = { sampleSeed: number; products: ProductPrint[] };
const read = (path: string): Record => JSON.parse(readFileSync(path, "utf8"));
const record = read(fingerprintPathOf(STIS_LONGSLIT_OFFAXIS_CASE));
const onAxis = read(fingerprintPathOf(STIS_LONGSLIT_CASE));
const dir = mkdtempSync(join(tmpdir(), "caldp-stis-offaxis-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const sim = simulateStisLongSlitCase(dir, STIS_LONGSLIT_OFFAXIS_CASE);

const shifts = (r: Record) => {
  const sci = r.products.find((p) => p.file.endsWith("_sx2.fits"))!.headers!.find((h) => h.hdu === "SCI,1")!;
  return [sci.keywords.SHIFTA1 as number, sci.keywords.SHIFTA2 as number];
};

test("off axis, cs0.e's shifts move (the edited tables are in play) and the native flt, crj and sx2 are cs0.e's", async () => {
  const [a1, a2] = shifts(record);
  const [b1, b2] = shifts(onAxis);
  assert.ok(Math.abs(a1 - b1) > 0.5 && Math.abs(a2 - b2) > 5, `off axis ${a1}, ${a2}; on axis ${b1}, ${b2}`);
  const run = await runCliAsync("caldp", ["calstis", sim.input], { cwd: dir, env: { oref: `${sim.referenceDir}/` } });
  assert.equal(run.status, 0, run.stderr);
  const products = readdirSync(dir).filter((f) => /_(flt|crj|sx2)\.fits$/.test(f));
  assert.equal(products.length, 3, products.join(" "));
  for (const file of products) {
    const theirs = record.products.find((p) => p.file === file)!;
    const ours = fingerprintProduct(join(dir, file), file, record.sampleSeed, true);
    assert.deepEqual(compareProducts(ours, theirs).map(describe), [], file);
    assert.deepEqual(relativeMisses(ours, theirs), [], file);
  }
});
