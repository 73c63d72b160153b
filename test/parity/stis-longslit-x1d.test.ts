// calstis6 against cs0.e's recorded run of the STIS long-slit case (test/parity/fingerprints/stis-ccd-longslit.json):
// the native crj of the case (basic 2-D and CR rejection, equal to cs0.e's), given cs0.e's SHIFTA1/SHIFTA2 in a
// copy of its headers as calstis12 would, extracted by runCalstis6 into an sx1 whose every column matches the print of cs0.e's
// (column-print.ts: length, statistics and sampled values within 1e-4 relative, DQ identical), whose header keywords and calstis6 HISTORY are cs0.e's, and whose FLUX
// is the simulated spectrum within its ERROR; and the same on other SPTRCTAB/XTRACTAB rows (stis-longslit-variant.ts).
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { runCalstis6 } from "../../src/engine/stis/calstis6.js";
import { FitsFile } from "../../src/fits/index.js";
import * as optics from "../../src/sim/stis-longslit-model.js";
import { type Columns, type ColumnsPrint, columnPrintDifferences, sampleIndices } from "./column-print.js";
import type { ProductPrint } from "./fingerprint.js";
import { compareHeaders, headerPrints } from "./header-print.js";
import { simulateStisLongSlitCase, stisLongSlitFingerprintPath, tableColumns } from "./stis-longslit-case.js";
import { writeX1dVariantTables } from "./stis-longslit-variant.js";
import { nativeLongSlitCrj, x1dInput } from "./stis-longslit-x1d-case.js";

const record: {
  sampleSeed: number;
  products: ProductPrint[];
  sx1: ColumnsPrint;
  x1dVariant: { name: string; shifts: { SHIFTA1: number; SHIFTA2: number }; sx1: ColumnsPrint };
} = JSON.parse(readFileSync(stisLongSlitFingerprintPath, "utf8"));
const dir = mkdtempSync(join(tmpdir(), "caldp-stis-x1d-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const sim = simulateStisLongSlitCase(dir);
const oref = `${sim.referenceDir}/`;
const theirs = (suffix: string) => record.products.find((p) => p.file.endsWith(suffix))!;
const sx1 = join(dir, "x1d", "o8ss01010_sx1.fits");
let ours: Columns;
let crj: string;

before(async () => {
  crj = await nativeLongSlitCrj(dir, sim.input, oref);
  const shifts = theirs("_crj.fits").headers!.find((h) => h.hdu === "SCI,1")!.keywords;
  const input = x1dInput(crj, join(dir, "x1d"), {
    SHIFTA1: shifts.SHIFTA1 as number,
    SHIFTA2: shifts.SHIFTA2 as number,
  });
  runCalstis6(input, sx1, { ...process.env, oref });
  ours = tableColumns(sx1);
});

test("every column of the native sx1 matches cs0.e's print within 1e-4 relative, DQ identical", () => {
  const bad = columnPrintDifferences(ours, record.sx1);
  assert.deepEqual(bad.slice(0, 10), [], `${bad.length} values differ`);
  // and the print sees a change it does not sample: one unsampled FLUX value half again, one DQ flag more
  const sampled = sampleIndices(record.sampleSeed, 1024);
  const { mean, max } = record.sx1.columns.FLUX;
  const x = ours.FLUX.findIndex((v, i) => v > mean && 1.5 * v < max && ours.DQ[i] === 0 && !sampled.includes(i));
  const changed = structuredClone(ours);
  changed.FLUX[x] *= 1.5;
  changed.DQ[x] |= 8192;
  const found = columnPrintDifferences(changed, record.sx1).map((d) => d.split(" ").slice(0, 2).join(" "));
  assert.deepEqual(found, ["FLUX mean", "FLUX sum", "DQ max", "DQ mean", "DQ sum", "DQ or", "DQ nonzero"]);
});

test("two SPTRCTAB rows rotating, a 9-row box, BACKORD 1 in tilted boxes: every column equals cs0.e's", () => {
  const variant = record.x1dVariant;
  const refs = join(dir, "variant-references");
  cpSync(sim.referenceDir, refs, { recursive: true });
  const table = (suffix: string) => join(refs, readdirSync(refs).find((n) => n.endsWith(suffix))!);
  writeX1dVariantTables({ sptrctab: table("_1dt.fits"), xtractab: table("_1dx.fits") });
  const input = x1dInput(crj, join(dir, "variant"), variant.shifts);
  const output = join(dir, "variant", "o8ss01010_sx1.fits");
  runCalstis6(input, output, { ...process.env, oref: `${refs}/` });
  const bad = columnPrintDifferences(tableColumns(output), variant.sx1);
  assert.deepEqual(bad.slice(0, 10), [], `${bad.length} values differ`);
  // the case reaches what it is for: a search offset of 7 rows, flagged background columns
  const { OFFSET, DQ } = variant.sx1.columns;
  assert.ok(Math.abs(OFFSET.samples[0] - 7.29) < 0.01 && (DQ.or! & 2048) !== 0);
});

test("the sx1's header keywords are cs0.e's and its HISTORY ends with calstis6's lines", () => {
  const fits = FitsFile.open(sx1);
  const prints = headerPrints(fits);
  fits.close();
  for (const hdu of ["PRIMARY", "SCI,1"]) {
    const theirsHeader = theirs("_sx1.fits").headers!.find((h) => h.hdu === hdu)!;
    const mine = prints.find((h) => h.hdu === hdu)!;
    const from = theirsHeader.history.indexOf("X1DCORR performed ...");
    const cs6 = (h: { history: string[] }) =>
      from < 0 ? [] : h.history.slice(h.history.indexOf("X1DCORR performed ..."));
    const differences = compareHeaders(
      { ...mine, history: cs6(mine) },
      { ...theirsHeader, history: cs6(theirsHeader) },
    );
    assert.deepEqual(differences, [], hdu);
  }
});

test("the native sx1's FLUX is the simulated spectrum within its ERROR", () => {
  const vHelio = theirs("_sx1.fits").headers!.find((h) => h.hdu === "SCI,1")!.keywords.V_HELIO as number;
  const z: number[] = [];
  ours.WAVELENGTH.forEach((wl, x) => {
    const observed = wl / (1 - vHelio / 299792.458);
    if (ours.DQ[x] === 0 && ours.ERROR[x] > 0) z.push((ours.FLUX[x] - optics.sourceFlux(observed)) / ours.ERROR[x]);
  });
  const chi2 = z.reduce((a, v) => a + v * v, 0) / z.length;
  const within = (k: number) => z.filter((v) => Math.abs(v) < k).length / z.length;
  assert.ok(z.length > 900, `${z.length} good columns`);
  assert.ok(chi2 < 1.5 && within(1) > 0.6 && within(2) > 0.9, `χ²/n ${chi2}, ${within(1)} within 1σ, ${within(2)} 2σ`);
  console.log(
    `# χ²/n ${chi2.toFixed(3)} over ${z.length} columns; ${within(1).toFixed(3)} within 1σ, ${within(2).toFixed(3)} 2σ`,
  );
});
