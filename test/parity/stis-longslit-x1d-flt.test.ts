// calstis6 on a flt of two imsets against cs0.e's recorded run of the long-slit raw with CRCORR = OMIT
// (fingerprints/stis-ccd-longslit.json, x1dFlt): the native flt given cs0.e's SHIFTA1/SHIFTA2 per imset, extracted
// by runCalstis6 into an x1d of two SCI tables (EXTVER 1 and 2), each column matching the print of cs0.e's
// (column-print.ts: within 1e-4, DQ identical); and through `caldp calstis` with X1DCORR on, the flt becomes an x1d of two tables beside it.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runCalstis6 } from "../../src/engine/stis/calstis6.js";
import { FitsFile, rewriteHeaders } from "../../src/fits/index.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { type ColumnsPrint, columnPrintDifferences } from "./column-print.js";
import { simulateStisLongSlitCase, stisLongSlitFingerprintPath, tableColumns } from "./stis-longslit-case.js";

type Shifts = { SHIFTA1: number; SHIFTA2: number };
const record: { x1dFlt: { shifts: Shifts[]; x1d: ColumnsPrint[] } } = JSON.parse(
  readFileSync(stisLongSlitFingerprintPath, "utf8"),
);
const dir = mkdtempSync(join(tmpdir(), "caldp-stis-x1d-flt-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const sim = simulateStisLongSlitCase(dir);
const oref = `${sim.referenceDir}/`;

/** caldp calstis on the raw with CRCORR = OMIT, WAVECORR and X2DCORR off and X1DCORR as given. */
async function calibrate(name: string, x1dcorr: string): Promise<string> {
  const work = join(dir, name);
  mkdirSync(work);
  copyFileSync(join(dir, sim.input), join(work, sim.input));
  rewriteHeaders(join(work, sim.input), (header, hdu) => {
    if (hdu.index !== 0) return;
    for (const s of ["CRCORR", "WAVECORR", "X2DCORR"]) header.set(s, "OMIT");
    header.set("X1DCORR", x1dcorr);
  });
  const run = await runCliAsync("caldp", ["calstis", sim.input], { cwd: work, env: { oref } });
  assert.equal(run.status, 0, run.stderr);
  return work;
}

test("the x1d of a two-imset flt: each table's columns equal cs0.e's within 1e-4 relative, DQ identical", async () => {
  const work = await calibrate("flt", "OMIT");
  const flt = join(work, "o8ss01010_flt.fits");
  rewriteHeaders(flt, (header, hdu) => {
    if (hdu.index === 0) {
      header.set("X1DCORR", "PERFORM").set("WAVECORR", "COMPLETE");
      return;
    }
    const shifts = record.x1dFlt.shifts[hdu.ver - 1];
    header.set("SHIFTA1", shifts.SHIFTA1).set("SHIFTA2", shifts.SHIFTA2);
  });
  const x1d = join(work, "o8ss01010_x1d.fits");
  runCalstis6(flt, x1d, { ...process.env, oref });
  const fits = FitsFile.open(x1d);
  assert.deepEqual(
    fits.hdus.slice(1).map((h) => `${h.name},${h.ver}`),
    ["SCI,1", "SCI,2"],
  );
  assert.equal(fits.hdus[0].header.get("NEXTEND"), 2);
  fits.close();
  const bad = record.x1dFlt.x1d.flatMap((theirs, k) =>
    columnPrintDifferences(tableColumns(x1d, k + 1), theirs).map((d) => `SCI,${k + 1} ${d}`),
  );
  assert.deepEqual(bad.slice(0, 10), [], `${bad.length} values differ`);
});

test("caldp calstis with X1DCORR on a flt (no CR-SPLIT): an x1d of two tables beside the flt", async () => {
  const work = await calibrate("cli", "PERFORM");
  assert.deepEqual(
    readdirSync(work).filter((f) => f.endsWith(".fits")),
    ["o8ss01010_flt.fits", "o8ss01010_raw.fits", "o8ss01010_x1d.fits"],
  );
  const fits = FitsFile.open(join(work, "o8ss01010_x1d.fits"));
  assert.deepEqual(
    fits.hdus.slice(1).map((h) => `${h.name},${h.ver}`),
    ["SCI,1", "SCI,2"],
  );
  fits.close();
});
