// The single-exposure STIS long-slit case against cs0.e's recorded run (fingerprints/stis-ccd-longslit-single.json):
// with no CR-SPLIT, cs0.e calibrates the raw into _flt, takes the shifts of its wavecal into it and rectifies it
// into _x2d; the native calstis gives the same flt and x2d (pixels, DQ, keywords, HISTORY), x1d not yet.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import * as optics from "../../src/sim/stis-longslit-model.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { compareProducts, describe, fingerprintProduct, type ProductPrint } from "./fingerprint.js";
import {
  digests,
  fingerprintPathOf,
  relativeMisses,
  STIS_LONGSLIT_SINGLE_CASE,
  simulateStisLongSlitCase,
  stisLongSlitTablesOf,
} from "./stis-longslit-case.js";

const record: { inputs: Record<string, string>; sampleSeed: number; products: ProductPrint[] } = JSON.parse(
  readFileSync(fingerprintPathOf(STIS_LONGSLIT_SINGLE_CASE), "utf8"),
);
const dir = mkdtempSync(join(tmpdir(), "caldp-stis-single-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const sim = simulateStisLongSlitCase(dir, STIS_LONGSLIT_SINGLE_CASE);

test("the simulator writes, byte for byte, the single exposure and wavecal cs0.e calibrated", () => {
  assert.deepEqual(digests(sim.raws), record.inputs);
});

test("caldp calstis of a single long-slit exposure gives cs0.e's flt, x2d and x1d, with the wavecal's shifts", async () => {
  const run = await runCliAsync("caldp", ["calstis", sim.input], { cwd: dir, env: { oref: `${sim.referenceDir}/` } });
  assert.equal(run.status, 0, run.stderr);
  const products = readdirSync(dir).filter((f) => /_(flt|crj|sx1|sx2|x1d|x2d)\.fits$/.test(f));
  assert.deepEqual(products.sort(), ["o8ss01abq_flt.fits", "o8ss01abq_x1d.fits", "o8ss01abq_x2d.fits"]);
  for (const file of products) {
    const theirs = record.products.find((p) => p.file === file)!;
    const ours = fingerprintProduct(join(dir, file), file, record.sampleSeed, true, stisLongSlitTablesOf(file));
    assert.deepEqual(compareProducts(ours, theirs).map(describe), [], file);
    assert.deepEqual(relativeMisses(ours, theirs), [], file);
    const sci = ours.headers!.find((h) => h.hdu === "SCI,1")!.keywords;
    assert.ok(Math.abs((sci.SHIFTA1 as number) - optics.SHIFT_A1) < 0.1, `${file} SHIFTA1 ${sci.SHIFTA1}`);
    assert.ok(Math.abs((sci.SHIFTA2 as number) - optics.SHIFT_A2) < 0.1, `${file} SHIFTA2 ${sci.SHIFTA2}`);
  }
  assert.deepEqual(digests(sim.raws), record.inputs, "raw and wavecal only read");
});
