// The FUV-MAMA E140M echelle case against cs0.e's recorded run (fingerprints/stis-fuv-mama-echelle.json): the
// simulator writes the raws cs0.e calibrated, cs0.e's x1d is the simulated spectrum in every order (wavelengths
// within 0.1 pixel, FLUX within its ERROR) with the simulated MSM offset measured by its echelle wavecal, and
// caldp calstis gives cs0.e's x1d (one row per order, calstis6's offset analysis) and ours is the simulated spectrum
// too; with X1DCORR = OMIT it gives cs0.e's flt with the shifts its echelle wavecal (calstis4's 2-D
// cross-correlation) finds and its x2d of one imset per order.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, test } from "node:test";
import { FitsFile } from "../../src/fits/index.js";
import * as E140M from "../../src/sim/stis-echelle-model.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { type ColumnsPrint, columnPrintDifferences } from "./column-print.js";
import { compareProducts, describe, fingerprintProduct, type ProductPrint } from "./fingerprint.js";
import {
  assertEchelleIsTruth,
  echelleSample,
  type OrderSample,
  omitX1d,
  STIS_ECHELLE_CASE,
  simulateStisEchelleCase,
  stisEchelleFingerprintPath,
} from "./stis-echelle-case.js";
import { digests, relativeMisses, stisLongSlitTablesOf, tableColumns } from "./stis-longslit-case.js";

const { dataset } = STIS_ECHELLE_CASE;
const record: {
  inputs: Record<string, string>;
  products: ProductPrint[];
  x1d: ColumnsPrint;
  spectrum: OrderSample[];
  withoutX1d: { inputs: Record<string, string>; products: ProductPrint[] };
} = JSON.parse(readFileSync(stisEchelleFingerprintPath, "utf8"));
const dir = mkdtempSync(join(tmpdir(), "caldp-stis-echelle-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const sim = simulateStisEchelleCase(dir);
const theirs = (file: string) => record.products.find((p) => p.file === file)!;
const keywords = (p: ProductPrint, hdu: string) => p.headers!.find((h) => h.hdu === hdu)!.keywords;

test("the simulator writes, byte for byte, the echelle exposure and wavecal cs0.e calibrated", () => {
  assert.deepEqual(digests(sim.raws), record.inputs);
});

test("cs0.e's products: an x2d imset and an x1d row per simulated order", () => {
  const x2d = theirs(`${dataset}_x2d.fits`);
  const sci = x2d.extensions.filter((e) => e.extname === "SCI");
  assert.equal(sci.length, E140M.ORDERS.length);
  // the fingerprint keeps the first and last imsets' headers
  assert.equal(keywords(x2d, "SCI,1").SPORDER, E140M.ORDERS[0]);
  assert.equal(keywords(x2d, `SCI,${sci.length}`).SPORDER, E140M.ORDERS.at(-1));
  assert.deepEqual(sci[0]!.axes, [1024, 61]);
});

test("cs0.e's x1d is the simulated spectrum in every order, after the simulated MSM offset found by cs4", () => {
  const sci = keywords(theirs(`${dataset}_x1d.fits`), "SCI,1");
  assert.ok(Math.abs((sci.SHIFTA1 as number) - E140M.SHIFT_A1) < 0.1, `SHIFTA1 ${sci.SHIFTA1}`);
  assert.ok(Math.abs((sci.SHIFTA2 as number) - E140M.SHIFT_A2) < 0.1, `SHIFTA2 ${sci.SHIFTA2}`);
  assertEchelleIsTruth(record.spectrum, sci.V_HELIO as number);
});

test("caldp calstis gives cs0.e's flt, x2d and x1d (a row per order, every x1d column within 1e-4, DQ identical)", async () => {
  const run = await runCliAsync("caldp", ["calstis", sim.input], { cwd: dir, env: { oref: `${sim.referenceDir}/` } });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  const products = readdirSync(dir).filter((f) => /\.fits$/.test(f) && !/_(raw|wav)\.fits$/.test(f));
  assert.deepEqual(
    products.sort(),
    ["flt", "x1d", "x2d"].map((p) => `${dataset}_${p}.fits`),
    "no temporary file left",
  );
  for (const file of [`${dataset}_flt.fits`, `${dataset}_x2d.fits`]) {
    const print = fingerprintProduct(join(dir, file), file, STIS_ECHELLE_CASE.sampleSeed, true);
    assert.deepEqual(compareProducts(print, theirs(file)).map(describe), [], file);
    assert.deepEqual(relativeMisses(print, theirs(file), 1e-5), [], file);
  }
  const x1d = `${dataset}_x1d.fits`;
  const ours = fingerprintProduct(join(dir, x1d), x1d, STIS_ECHELLE_CASE.sampleSeed, true, stisLongSlitTablesOf(x1d));
  assert.deepEqual(compareProducts(ours, theirs(x1d)).map(describe), [], x1d);
  assert.deepEqual(columnPrintDifferences(tableColumns(join(dir, x1d)), record.x1d), []);
  assert.deepEqual(
    echelleSample(join(dir, x1d)).map((o) => o.sporder),
    [...E140M.ORDERS],
  );
  assert.deepEqual(digests(sim.raws), record.inputs, "raw and wavecal only read");
});

test("our x1d is the simulated spectrum in every order (wavelengths within 0.1 pixel, FLUX within its ERROR)", () => {
  const x1d = join(dir, `${dataset}_x1d.fits`);
  const fits = FitsFile.open(x1d);
  const vHelio = fits.hdu("SCI").header.get("V_HELIO") as number;
  fits.close();
  assertEchelleIsTruth(echelleSample(x1d), vHelio);
});

test("caldp calstis with X1DCORR = OMIT gives cs0.e's flt and x2d (an imset per order), the wavecal's shifts within 1e-4", async () => {
  const only = join(dir, "without-x1d");
  mkdirSync(only);
  for (const raw of sim.raws) copyFileSync(raw, join(only, basename(raw)));
  omitX1d(join(only, sim.input));
  assert.deepEqual(digests([join(only, sim.input)]), record.withoutX1d.inputs);
  const env = { oref: `${sim.referenceDir}/` };
  const run = await runCliAsync("caldp", ["calstis", sim.input], { cwd: only, env });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  const products = readdirSync(only).filter((f) => /\.fits$/.test(f) && !/_(raw|wav)\.fits$/.test(f));
  assert.deepEqual(products.sort(), [`${dataset}_flt.fits`, `${dataset}_x2d.fits`], "no temporary file left");
  for (const file of products) {
    const cs0 = record.withoutX1d.products.find((p) => p.file === file)!;
    const ours = fingerprintProduct(join(only, file), file, STIS_ECHELLE_CASE.sampleSeed, true);
    assert.deepEqual(compareProducts(ours, cs0).map(describe), [], file);
    // the x2d's inter-order background is ~1e-6 of its orders' peaks: compared at 1e-5 of the largest value
    assert.deepEqual(relativeMisses(ours, cs0, 1e-5), [], file);
    const [mine, theirsSci] = [ours, cs0].map((p) => keywords(p, "SCI,1"));
    for (const k of ["SHIFTA1", "SHIFTA2"] as const) {
      const [a, b] = [mine![k] as number, theirsSci![k] as number];
      assert.ok(Math.abs(a - b) <= 1e-4 * Math.abs(b), `${file} ${k} ${a}, cs0.e ${b}`);
    }
  }
});
