// calstis6 with BACKCORR, HELCORR or FLUXCORR off against cs0.e's recorded runs of the long-slit raw with that
// switch OMIT (fingerprints/stis-ccd-longslit.json, x1dSwitches): the columns the switch changes match the prints of
// cs0.e's (column-print.ts: within 1e-4, DQ identical), the others the full run's, and the header keywords (the switches, ERROR's unit)
// and calstis6's HISTORY are cs0.e's.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { runCalstis6 } from "../../src/engine/stis/calstis6.js";
import { FitsFile } from "../../src/fits/index.js";
import { type ColumnsPrint, columnPrintDifferences } from "./column-print.js";
import { compareHeaders, type HeaderPrint, headerPrints } from "./header-print.js";
import { simulateStisLongSlitCase, stisLongSlitFingerprintPath, tableColumns } from "./stis-longslit-case.js";
import { X1D_SWITCHES } from "./stis-longslit-variant.js";
import { nativeLongSlitCrj, type Shifts, x1dInput } from "./stis-longslit-x1d-case.js";

const record: {
  sx1: ColumnsPrint;
  x1dSwitches: Record<string, { shifts: Shifts; changed: ColumnsPrint; headers: HeaderPrint[] }>;
} = JSON.parse(readFileSync(stisLongSlitFingerprintPath, "utf8"));
const dir = mkdtempSync(join(tmpdir(), "caldp-stis-x1d-switches-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const sim = simulateStisLongSlitCase(dir);
const oref = `${sim.referenceDir}/`;
let crj: string;

before(async () => {
  crj = await nativeLongSlitCrj(dir, sim.input, oref);
});

const calstis6History = (lines: string[]) => {
  const at = lines.indexOf("X1DCORR performed ...");
  return at < 0 ? [] : lines.slice(at);
};

for (const step of X1D_SWITCHES) {
  test(`${step} = OMIT: the sx1 equals cs0.e's column by column, header keywords and HISTORY`, () => {
    const theirs = record.x1dSwitches[step];
    const input = x1dInput(crj, join(dir, step), theirs.shifts, [step]);
    const sx1 = join(dir, step, "o8ss01010_sx1.fits");
    runCalstis6(input, sx1, { ...process.env, oref });
    const expected = { ...record.sx1, columns: { ...record.sx1.columns, ...theirs.changed.columns } };
    const bad = columnPrintDifferences(tableColumns(sx1), expected);
    assert.deepEqual(bad.slice(0, 10), [], `${bad.length} values differ`);
    assert.ok(Object.keys(theirs.changed.columns).length > 0, "the switch changes the spectrum");
    const fits = FitsFile.open(sx1);
    const prints = headerPrints(fits);
    fits.close();
    for (const header of theirs.headers) {
      const mine = prints.find((h) => h.hdu === header.hdu)!;
      const differences = compareHeaders({ ...mine, history: calstis6History(mine.history) }, header);
      assert.deepEqual(differences, [], header.hdu);
    }
  });
}
