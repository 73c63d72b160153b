/**
 * Reference tables are checked against their row schema when read: a CCDTAB or OSCNTAB column that is
 * missing or of the wrong type stops `caldp calacs` with one line naming the keyword, the file, the
 * extension and the column (before, the row was cast unchecked and the step read `undefined`). The tables
 * are rewritten by astropy (an independent writer).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { simulateDataset } from "../../src/sim/index.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { PYTHON } from "../helpers/paths.js";

const out = mkdtempSync(join(tmpdir(), "reference-table-columns-"));
after(() => rmSync(out, { recursive: true, force: true }));

const EDIT = `
import sys
from astropy.io import fits
from astropy.table import Table
path, action, column = sys.argv[1:4]
t = Table.read(path, hdu=1)
if action == "drop":
    t.remove_column(column)
else:
    t[column] = [str(v) for v in t[column]]
primary = fits.getheader(path, 0)
fits.HDUList([fits.PrimaryHDU(header=primary), fits.table_to_hdu(t)]).writeto(path, overwrite=True)
`;

function referenceOf(sim: ReturnType<typeof simulateDataset>, keyword: string): string {
  const path = sim.references[keyword];
  assert.ok(path && existsSync(path), `${keyword} written by the simulator`);
  return path;
}

test("a CCDTAB column of the wrong type, or an OSCNTAB column missing: exit 1, keyword, file, extension, column", async () => {
  const sim = simulateDataset({ dataset: "j8cb05xyq", out: join(out, "a"), detector: "HRC", seed: 3 });
  const env = { jref: `${sim.referenceDir}/` };
  const raw = sim.exposures[0].raw;
  const ccdtab = referenceOf(sim, "CCDTAB");
  execFileSync(PYTHON, ["-c", EDIT, ccdtab, "text", "CCDGAIN"]);
  const r = await runCliAsync("caldp", ["calacs", raw], { env });
  assert.equal(r.status, 1, r.stdout);
  assert.equal(
    r.stderr,
    `caldp: CCDTAB ${ccdtab} extension 1: column CCDGAIN row 1 holds string "${readGain(ccdtab)}", not a number\n`,
  );
  assert.ok(!existsSync(join(out, "a", "j8cb05xyq_flt.fits")), "no product");

  const sim2 = simulateDataset({ dataset: "j8cb06xyq", out: join(out, "b"), detector: "HRC", seed: 3 });
  const oscntab = referenceOf(sim2, "OSCNTAB");
  execFileSync(PYTHON, ["-c", EDIT, oscntab, "drop", "TRIMX1"]);
  const r2 = await runCliAsync("caldp", ["calacs", sim2.exposures[0].raw], { env: { jref: `${sim2.referenceDir}/` } });
  assert.equal(r2.status, 1, r2.stdout);
  assert.equal(r2.stderr, `caldp: OSCNTAB ${oscntab} extension 1: has no column TRIMX1\n`);
});

function readGain(path: string): string {
  return execFileSync(
    PYTHON,
    ["-c", "import sys; from astropy.table import Table; print(Table.read(sys.argv[1], hdu=1)['CCDGAIN'][0])", path],
    {
      encoding: "utf8",
    },
  ).trim();
}

test("an ACS BPIXTAB without CCDGAIN (calacs.e crashes on one): exit 1 naming the file and the column", async () => {
  const sim = simulateDataset({ dataset: "j8cb07xyq", out: join(out, "c"), detector: "HRC", seed: 3 });
  const bpixtab = referenceOf(sim, "BPIXTAB");
  execFileSync(PYTHON, ["-c", EDIT, bpixtab, "drop", "CCDGAIN"]);
  const r = await runCliAsync("caldp", ["calacs", sim.exposures[0].raw], { env: { jref: `${sim.referenceDir}/` } });
  assert.equal(r.status, 1, r.stdout);
  assert.equal(r.stderr, `caldp: BPIXTAB ${bpixtab} extension 1: has no column CCDGAIN\n`);
  assert.ok(!existsSync(join(out, "c", "j8cb07xyq_flt.fits")), "no product");
});

/** Drops a column of one extension of a multi-extension table, keeping the others and the EXTNAME. */
const DROP_IN_EXTENSION = `
import sys
from astropy.io import fits
from astropy.table import Table
path, extension, column = sys.argv[1:4]
hdul = fits.open(path)
t = Table(hdul[extension].data)
t.remove_column(column)
hdu = fits.table_to_hdu(t)
hdu.header["EXTNAME"] = extension
hdul[extension] = hdu
hdul.writeto(path + ".new")
hdul.close()
import os
os.replace(path + ".new", path)
`;

test("an IMPHTTAB extension without DATACOL: exit 1, keyword, file, extension and column named", async () => {
  const sim = simulateDataset({ dataset: "j8cb07xyq", out: join(out, "d"), detector: "HRC", seed: 3 });
  const imphttab = referenceOf(sim, "IMPHTTAB");
  execFileSync(PYTHON, ["-c", DROP_IN_EXTENSION, imphttab, "PHOTPLAM", "DATACOL"]);
  const r = await runCliAsync("caldp", ["calacs", sim.exposures[0].raw], { env: { jref: `${sim.referenceDir}/` } });
  assert.equal(r.status, 1, r.stdout);
  assert.equal(r.stderr, `caldp: IMPHTTAB ${imphttab} extension PHOTPLAM: has no column DATACOL\n`);
  assert.ok(!existsSync(join(out, "d", "j8cb07xyq_flt.fits")), "no product");
});
