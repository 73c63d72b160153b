// A MAMA long-slit case against cs0.e's recorded run (fingerprints/stis-fuv-mama-longslit.json for G140L,
// stis-nuv-mama-longslit.json for G230L): cs0.e's x1d is the simulated spectrum (wavelengths within 0.1 pixel, FLUX within its ERROR), and caldp calstis
// gives its flt, x2d and x1d (pixels, DQ, keywords, HISTORY; every x1d column within 1e-4), with the wavecal's
// shifts, reading the raws only.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { MAMA_LONGSLIT_OPTICS } from "../../src/sim/stis-mama-longslit.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { type ColumnsPrint, columnPrintDifferences } from "./column-print.js";
import { compareProducts, describe, fingerprintProduct, type ProductPrint } from "./fingerprint.js";
import {
  assertSpectrumIsTruth,
  digests,
  relativeMisses,
  type SpectrumSample,
  stisLongSlitTablesOf,
  tableColumns,
} from "./stis-longslit-case.js";
import {
  caseDetector,
  MAMA_LONGSLIT_CASES,
  type MamaLongSlitDetector,
  mamaLongSlitFingerprintPath,
  simulateStisMamaLongSlitCase,
} from "./stis-mama-longslit-case.js";

/** The three parity tests of one MAMA long-slit case. */
export function mamaLongSlitParity(detector: MamaLongSlitDetector) {
  const optics = MAMA_LONGSLIT_OPTICS[caseDetector(detector)];
  const { dataset } = MAMA_LONGSLIT_CASES[detector];
  const record: {
    inputs: Record<string, string>;
    sampleSeed: number;
    products: ProductPrint[];
    x1d: ColumnsPrint;
    spectrum: SpectrumSample;
  } = JSON.parse(readFileSync(mamaLongSlitFingerprintPath(detector), "utf8"));
  const dir = mkdtempSync(join(tmpdir(), "caldp-stis-mama-ls-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const sim = simulateStisMamaLongSlitCase(dir, detector);
  const theirs = (file: string) => record.products.find((p) => p.file === file)!;
  const keyword = (p: ProductPrint, hdu: string, k: string) => p.headers!.find((h) => h.hdu === hdu)!.keywords[k];

  test("the simulator writes, byte for byte, the MAMA exposure and wavecal cs0.e calibrated", () => {
    assert.deepEqual(digests(sim.raws), record.inputs);
  });

  test("cs0.e's x1d is the simulated spectrum: wavelengths within 0.1 pixel, FLUX within its ERROR", () => {
    const vHelio = keyword(theirs(`${dataset}_x1d.fits`), "SCI,1", "V_HELIO") as number;
    assertSpectrumIsTruth(record.spectrum, vHelio, optics);
  });

  test(`caldp calstis of the ${detector} spectrum gives cs0.e's flt, x2d and x1d, with the wavecal's shifts`, async () => {
    const run = await runCliAsync("caldp", ["calstis", sim.input], { cwd: dir, env: { oref: `${sim.referenceDir}/` } });
    assert.equal(run.status, 0, run.stderr);
    const products = readdirSync(dir).filter((f) => /_(flt|sfl|x1d|x2d|w2d\w*)\.fits$/.test(f));
    assert.deepEqual(
      products.sort(),
      ["flt", "x1d", "x2d"].map((p) => `${dataset}_${p}.fits`),
    );
    for (const file of products) {
      const ours = fingerprintProduct(join(dir, file), file, record.sampleSeed, true, stisLongSlitTablesOf(file));
      assert.deepEqual(compareProducts(ours, theirs(file)).map(describe), [], file);
      assert.deepEqual(relativeMisses(ours, theirs(file)), [], file);
      const sci = ours.headers!.find((h) => h.hdu === "SCI,1")!.keywords;
      assert.ok(Math.abs((sci.SHIFTA1 as number) - optics.SHIFT_A1) < 0.1, `${file} SHIFTA1 ${sci.SHIFTA1}`);
      assert.ok(Math.abs((sci.SHIFTA2 as number) - optics.SHIFT_A2) < 0.1, `${file} SHIFTA2 ${sci.SHIFTA2}`);
    }
    assert.deepEqual(columnPrintDifferences(tableColumns(join(dir, `${dataset}_x1d.fits`)), record.x1d), []);
    assert.deepEqual(digests(sim.raws), record.inputs, "raw and wavecal only read");
  });
}
