/**
 * WF3REJ's CRREJTAB row for UVIS is chosen among every row, IRRAMP ones included, as calwf3.e 3.7.3 does
 * (wf3rej/readpar.c never reads IRRAMP; checked against it on this very setup): a later row with IRRAMP = T,
 * the same CRSPLIT and MEANEXP wins the tie, so its CRSIGMAS '5,4' is what the crj records.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, test } from "node:test";
import { FitsFile } from "../../src/fits/index.js";
import { simulateUvisSubarrayAssociation } from "../../src/sim/wfc3-subarray-asn.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { PYTHON } from "../helpers/paths.js";

const dir = mkdtempSync(join(tmpdir(), "calwf3-crrejtab-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Appends a copy of the CRSPLIT = 2 row with IRRAMP = T and CRSIGMAS '5,4'. */
const ADD_IRRAMP_ROW = `
import sys
from astropy.io import fits
path = sys.argv[1]
with fits.open(path) as h:
    t = h[1]
    n = len(t.data)
    new = fits.BinTableHDU.from_columns(t.columns, nrows=n + 1, header=t.header)
    source = [r for r in t.data if r["CRSPLIT"] == 2][0]
    for name in t.columns.names:
        new.data[n][name] = source[name]
    new.data[n]["CRSIGMAS"] = "5,4"
    new.data[n]["IRRAMP"] = True
    fits.HDUList([h[0].copy(), new]).writeto(path, overwrite=True)
`;

test("calwf3 UVIS CR-SPLIT: an IRRAMP row of CRREJTAB is a candidate like any other (calwf3.e's choice)", async () => {
  const sim = simulateUvisSubarrayAssociation({ asnId: "iabc09010", out: dir, seed: 9, kind: "inner" });
  const referenceDir = sim.members[0].sim.referenceDir;
  const crrejtab = sim.members[0].sim.references.CRREJTAB;
  execFileSync(PYTHON, ["-c", ADD_IRRAMP_ROW, crrejtab]);
  const run = await runCliAsync("caldp", ["calwf3", basename(sim.asn)], {
    cwd: dir,
    env: { iref: `${referenceDir}/` },
  });
  assert.equal(run.status, 0, run.stderr);
  const crj = FitsFile.open(join(dir, `${sim.product}_crj.fits`));
  try {
    assert.equal(String(crj.hdus[0].header.get("CRSIGMAS")).trim(), "5,4");
  } finally {
    crj.close();
  }
});
