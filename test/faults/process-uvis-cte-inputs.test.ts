// Bad CTE input through caldp-process on WFC3/UVIS (issue 16), as process-cte-inputs.test.ts does for ACS: a
// full-frame UVIS exposure with PCTECORR = PERFORM whose CRDS cache holds a PCTETAB of another instrument, a
// PCTETAB missing an extension, no DRKCFILE or BIACFILE, or a PCTETAB whose CTEDATE0 is after the exposure.
// WF3CTE is calwf3's first phase and checks all of it before any pixel work, so the raw is left untrailed
// (`cteTrails: false`: the simulation takes seconds instead of the forward model's minute). Each run exits with
// the contract's code, prints one line naming the file and the extension or keyword, writes no _flc (nor any
// other product) into the output and leaves the inputs as they were.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, before, test } from "node:test";
import { rewriteHeaders } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";
import { dropExtension, failsCleanly, referencesIn, variant } from "./cte-inputs-fixture.js";

const DS = "iabc0bctq";
const root = mkdtempSync(join(tmpdir(), "caldp-process-uvis-cte-inputs-"));
const template = join(root, "template");
const names: Record<string, string> = {};

before(() => {
  const sim = simulateDataset({
    dataset: DS,
    detector: "UVIS",
    seed: 33,
    cte: true,
    cteTrails: false,
    dateObs: "2016-03-02T10:11:12Z",
    out: join(template, "in"),
  });
  rmSync(join(template, "in", "truth"), { recursive: true }); // not an input
  for (const keyword of ["PCTETAB", "DRKCFILE", "BIACFILE"]) names[keyword] = basename(sim.references[keyword]);
});
after(() => rmSync(root, { recursive: true, force: true }));

test("a PCTETAB of another instrument: STAGE1_ERROR (23) naming the raw, the table and INSTRUME", async (t) => {
  const dir = variant(root, "acs-table", (d) =>
    rewriteHeaders(join(referencesIn(d), names.PCTETAB), (h, hdu) => hdu.index === 0 && h.set("INSTRUME", "ACS")),
  );
  const line = await failsCleanly(t, dir, DS, 23, "STAGE1_ERROR");
  const where = `${DS}_raw\\.fits: PCTECORR = PERFORM: PCTETAB \\S*${names.PCTETAB}`;
  assert.match(line, new RegExp(`${where}: keyword INSTRUME is 'ACS', not WFC3$`));
});

test("a PCTETAB missing an extension: STAGE1_ERROR (23) naming the table and the extension", async (t) => {
  const dir = variant(root, "no-rprof", (d) => dropExtension(join(referencesIn(d), names.PCTETAB), "RPROF", 1));
  const line = await failsCleanly(t, dir, DS, 23, "STAGE1_ERROR");
  const where = `${DS}_raw\\.fits: PCTECORR = PERFORM: PCTETAB \\S*${names.PCTETAB}`;
  assert.match(line, new RegExp(`${where}: extension RPROF,1 is missing$`));
});

for (const keyword of ["DRKCFILE", "BIACFILE"]) {
  test(`${keyword} missing from the cache with PCTECORR = PERFORM: BESTREFS_ERROR (27) naming keyword and file`, async (t) => {
    const dir = variant(root, `no-${keyword}`, (d) => rmSync(join(referencesIn(d), names[keyword])));
    const line = await failsCleanly(t, dir, DS, 27, "BESTREFS_ERROR");
    assert.match(line, new RegExp(`reference ${keyword} ${names[keyword]} \\(selected for \\S+${DS}_raw\\.fits\\)`));
    assert.match(line, /is not in the CRDS cache/);
  });
}

test("a PCTETAB whose CTEDATE0 is after the exposure: STAGE1_ERROR (23) naming EXPSTART and CTEDATE0", async (t) => {
  const dir = variant(root, "early", (d) =>
    rewriteHeaders(join(referencesIn(d), names.PCTETAB), (h, hdu) => hdu.index === 0 && h.set("CTEDATE0", 57500)),
  );
  const line = await failsCleanly(t, dir, DS, 23, "STAGE1_ERROR");
  const where = `${DS}_raw\\.fits: PCTECORR = PERFORM: PCTETAB \\S*${names.PCTETAB} keyword CTEDATE0`;
  assert.match(line, new RegExp(`${where}: the exposure \\(EXPSTART 57449\\.424\\d*\\) starts before CTEDATE0 57500`));
});
