// The STIS long-slit case against cs0.e's recorded run (test/parity/fingerprints/stis-ccd-longslit.json): the
// simulator still writes the raws cs0.e calibrated; cs0.e found the simulated MSM offset and the source where
// the simulation put them; and the native calstis runs the whole chain (wavecal, x2d, x1d) to cs0.e's products.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, test } from "node:test";
import { rewriteHeaders } from "../../src/fits/index.js";
import * as optics from "../../src/sim/stis-longslit-model.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { type ColumnsPrint, columnPrintDifferences } from "./column-print.js";
import { compareProducts, describe, fingerprintProduct, type ProductPrint } from "./fingerprint.js";
import {
  assertSpectrumIsTruth,
  digests,
  relativeMisses,
  type SpectrumSample,
  simulateStisLongSlitCase,
  stisLongSlitFingerprintPath,
  tableColumns,
} from "./stis-longslit-case.js";

const record: {
  inputs: Record<string, string>;
  sampleSeed: number;
  products: ProductPrint[];
  spectrum: SpectrumSample;
  sx1: ColumnsPrint;
} = JSON.parse(readFileSync(stisLongSlitFingerprintPath, "utf8"));
const dir = mkdtempSync(join(tmpdir(), "caldp-stis-longslit-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const sim = simulateStisLongSlitCase(dir);

const product = (suffix: string) => record.products.find((p) => p.file.endsWith(suffix))!;
const keyword = (p: ProductPrint, hdu: string, name: string) => p.headers!.find((h) => h.hdu === hdu)!.keywords[name];

test("the simulator writes, byte for byte, the raw and wavecal cs0.e calibrated", () => {
  assert.deepEqual(digests(sim.raws), record.inputs);
});

test("cs0.e's SHIFTA1/SHIFTA2 are within 0.1 pixel of the simulated MSM offset, in the crj, flt and sx2", () => {
  for (const [suffix, hdu] of [
    ["_crj.fits", "SCI,1"],
    ["_flt.fits", "SCI,2"],
    ["_sx2.fits", "SCI,1"],
  ]) {
    const a1 = keyword(product(suffix), hdu, "SHIFTA1") as number;
    const a2 = keyword(product(suffix), hdu, "SHIFTA2") as number;
    assert.ok(Math.abs(a1 - optics.SHIFT_A1) < 0.1, `${suffix} SHIFTA1 ${a1}, simulated ${optics.SHIFT_A1}`);
    assert.ok(Math.abs(a2 - optics.SHIFT_A2) < 0.1, `${suffix} SHIFTA2 ${a2}, simulated ${optics.SHIFT_A2}`);
  }
});

test("cs0.e's sx1 found the source on the simulated trace and its mean flux is the simulated spectrum's", () => {
  const table = product("_sx1.fits").tables![0];
  const stats = (name: string) => table.columns.find((c) => c.name === name)!.stats;
  // A2CENTER is one-indexed: the trace row at A1CENTER, displaced by SHIFTA2
  const row = optics.TRACE.a2center + optics.traceDisplacement(optics.TRACE.a1center - 1) + optics.SHIFT_A2;
  assert.ok(Math.abs(stats("A2CENTER").mean - row) < 0.05, `A2CENTER ${stats("A2CENTER").mean}, simulated ${row}`);
  let sum = 0;
  for (let x = 0; x < 1024; x++) sum += optics.sourceFlux(optics.wavelengthAt(x - optics.SHIFT_A1));
  const ratio = stats("FLUX").mean / (sum / 1024);
  // edge columns beyond the PHOTTAB's range get 0: under 0.5 % of the mean
  assert.ok(Math.abs(ratio - 1) < 0.006, `mean FLUX / simulated mean ${ratio}`);
  assert.equal(stats("EXTRSIZE").mean, optics.EXTRSIZE);
});

test("cs0.e's sx1 is the simulated spectrum: wavelengths within 0.1 pixel, FLUX within its ERROR", () => {
  const vHelio = keyword(product("_sx1.fits"), "SCI,1", "V_HELIO") as number;
  assertSpectrumIsTruth(record.spectrum, vHelio, optics);
});

test("caldp calstis runs cs0.e's chain natively: flt, crj, sx2 and sx1 are cs0.e's, with its shifts", async () => {
  const work = join(dir, "chain");
  mkdirSync(work);
  for (const raw of sim.raws) copyFileSync(raw, join(work, basename(raw)));
  const run = await runCliAsync("caldp", ["calstis", sim.input], { cwd: work, env: { oref: `${sim.referenceDir}/` } });
  assert.equal(run.status, 0, run.stderr);
  const products = readdirSync(work).filter((f) => /_(flt|crj|sx1|sx2|x1d|x2d|w2d\w*)\.fits$/.test(f));
  assert.deepEqual(products.sort(), [
    "o8ss01010_crj.fits",
    "o8ss01010_flt.fits",
    "o8ss01010_sx1.fits",
    "o8ss01010_sx2.fits",
  ]);
  for (const file of products.filter((f) => !f.endsWith("_sx1.fits"))) {
    const theirs = product(file);
    const ours = fingerprintProduct(join(work, file), file, record.sampleSeed, true);
    assert.deepEqual(compareProducts(ours, theirs).map(describe), [], file);
    assert.deepEqual(relativeMisses(ours, theirs), [], file);
  }
  const sx1 = columnPrintDifferences(tableColumns(join(work, "o8ss01010_sx1.fits")), record.sx1);
  assert.deepEqual(sx1.slice(0, 10), [], `sx1: ${sx1.length} values differ`);
  assert.deepEqual(digests(sim.raws.map((r) => join(work, basename(r)))), record.inputs, "raw and wavecal only read");
});

test("the native basic 2-D and CR rejection of the long-slit raw give cs0.e's flt and crj pixels", async () => {
  // the same raw with the spectroscopic steps off: calstis1 and calstis2 alone
  const work = join(dir, "basic2d");
  mkdirSync(work);
  copyFileSync(join(dir, sim.input), join(work, sim.input));
  rewriteHeaders(join(work, sim.input), (header, hdu) => {
    if (hdu.index === 0) for (const s of ["WAVECORR", "X2DCORR", "X1DCORR"]) header.set(s, "OMIT");
  });
  const run = await runCliAsync("caldp", ["calstis", sim.input], { cwd: work, env: { oref: `${sim.referenceDir}/` } });
  assert.equal(run.status, 0, run.stderr);
  for (const file of ["o8ss01010_crj.fits", "o8ss01010_flt.fits"]) {
    const theirs = { ...product(file), headers: undefined };
    const ours = fingerprintProduct(join(work, file), file, record.sampleSeed);
    assert.deepEqual(compareProducts(ours, theirs).map(describe), [], file);
  }
});
