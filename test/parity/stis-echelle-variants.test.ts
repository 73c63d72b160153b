// calstis6 of the echelle against cs0.e's recorded variants (stis-echelle-variants.ts): an order whose search is
// off (XTRACTAB MAXSRCH 0) rejected by the offset analysis and extracted at the mean of the others, and BACKCORR,
// FLUXCORR, HELCORR = OMIT in turn; every x1d column within 1e-4 of cs0.e's, DQ identical, OFFSET within 1e-6 rows.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runCliAsync } from "../helpers/cli-async.js";
import { type ColumnsPrint, columnPrintDifferences } from "./column-print.js";
import { STIS_ECHELLE_CASE, simulateStisEchelleCase } from "./stis-echelle-case.js";
import { ECHELLE_VARIANTS, prepareEchelleVariant, stisEchelleVariantsPath } from "./stis-echelle-variants.js";
import { tableColumns } from "./stis-longslit-case.js";

const record: { variants: { name: string; offsets: number[]; x1d: ColumnsPrint }[] } = JSON.parse(
  readFileSync(stisEchelleVariantsPath, "utf8"),
);
const dir = mkdtempSync(join(tmpdir(), "caldp-stis-echelle-variants-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const sim = simulateStisEchelleCase(join(dir, "sim"));

for (const variant of ECHELLE_VARIANTS) {
  test(`the echelle x1d, ${variant.name}: cs0.e's columns within 1e-4, DQ identical`, async () => {
    const theirs = record.variants.find((v) => v.name === variant.name)!;
    const folder = join(dir, variant.name);
    mkdirSync(folder);
    const { input, refs } = prepareEchelleVariant(folder, variant, sim);
    const run = await runCliAsync("caldp", ["calstis", input], { cwd: folder, env: { oref: `${refs}/` } });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const columns = tableColumns(join(folder, `${STIS_ECHELLE_CASE.dataset}_x1d.fits`));
    assert.deepEqual(columnPrintDifferences(columns, theirs.x1d), []);
    columns.OFFSET!.forEach((offset, k) => {
      assert.ok(Math.abs(offset - theirs.offsets[k]!) < 1e-6, `order ${columns.SPORDER![k]}: ${offset}`);
    });
  });
}

test("the unsearched order takes the mean of the others' offsets, as cs0.e's offset analysis gives it", () => {
  const { offsets } = record.variants.find((v) => v.name === "order-100-unsearched")!;
  const others = offsets.filter((_, k) => k !== 3);
  const mean = others.reduce((a, b) => a + b, 0) / others.length;
  assert.ok(Math.abs(offsets[3]! - mean) < 1e-12, `order 100 at ${offsets[3]}, the others' mean ${mean}`);
});
