// Bad CTE input through caldp-process (issue 16): an ACS/WFC subarray exposure with PCTECORR = PERFORM
// (`caldp sim --cte --subarray`, small enough to run in seconds) whose CRDS cache holds a PCTETAB of the wrong
// instrument, a PCTETAB missing an extension, no DRKCFILE, or whose exposure starts before the table's first
// date. Each run exits with the CALDP code the contract gives the failure, prints one line naming the file and
// the extension or keyword, writes no _flc (nor any other product) into the output and leaves the inputs as
// they were.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, before, test } from "node:test";
import { rewriteHeaders } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";
import { dropExtension, failsCleanly, referencesIn, variant } from "./cte-inputs-fixture.js";

const DS = "j8cb0ae1q";
const root = mkdtempSync(join(tmpdir(), "caldp-process-cte-inputs-"));
const template = join(root, "template");
let pctetab = "";
let drkcfile = "";

before(() => {
  const sim = simulateDataset({
    dataset: DS,
    detector: "WFC",
    seed: 31,
    cte: true,
    subarray: "WFC2C-512",
    dateObs: "2012-03-04T05:06:07Z",
    out: join(template, "in"),
  });
  pctetab = basename(sim.references.PCTETAB);
  drkcfile = basename(sim.references.DRKCFILE);
});
after(() => rmSync(root, { recursive: true, force: true }));

test("a PCTETAB of another instrument: STAGE1_ERROR (23) naming the raw, the table and INSTRUME", async (t) => {
  const dir = variant(root, "wfc3-table", (d) =>
    rewriteHeaders(join(referencesIn(d), pctetab), (h, hdu) => hdu.index === 0 && h.set("INSTRUME", "WFC3")),
  );
  const line = await failsCleanly(t, dir, DS, 23, "STAGE1_ERROR");
  assert.match(line, new RegExp(`${DS}_raw\\.fits: PCTECORR = PERFORM: PCTETAB \\S*${pctetab}: keyword INSTRUME`));
  assert.match(line, /INSTRUME is 'WFC3', not ACS/);
});

test("a PCTETAB missing an extension: STAGE1_ERROR (23) naming the table and the extension", async (t) => {
  const dir = variant(root, "no-rprof", (d) => dropExtension(join(referencesIn(d), pctetab), "RPROF", 3));
  const line = await failsCleanly(t, dir, DS, 23, "STAGE1_ERROR");
  assert.match(line, new RegExp(`${DS}_raw\\.fits: PCTECORR = PERFORM: PCTETAB \\S*${pctetab}: extension RPROF,3`));
});

test("DRKCFILE missing from the cache with PCTECORR = PERFORM: BESTREFS_ERROR (27) naming keyword and file", async (t) => {
  const dir = variant(root, "no-drkc", (d) => rmSync(join(referencesIn(d), drkcfile)));
  const line = await failsCleanly(t, dir, DS, 27, "BESTREFS_ERROR");
  assert.match(line, /DRKCFILE/);
  assert.ok(line.includes(drkcfile), line);
  assert.ok(line.includes(`${DS}_raw.fits`), line);
});

test("an exposure before the table's first date: STAGE1_ERROR (23) naming EXPSTART, CTEDATE0 and the extension", async (t) => {
  const dir = variant(root, "early", (d) =>
    rewriteHeaders(join(d, "in", `${DS}_raw.fits`), (h, hdu) => {
      if (hdu.index !== 0) return;
      // After the references' USEAFTER (2002-03-01 00:00, so that CRDS still selects them), before CTEDATE0.
      h.set("DATE-OBS", "2002-03-01");
      h.set("TIME-OBS", "06:00:00");
      h.set("EXPSTART", 52334.25);
      h.set("EXPEND", 52334.2547);
    }),
  );
  const line = await failsCleanly(t, dir, DS, 23, "STAGE1_ERROR");
  assert.match(line, new RegExp(`PCTETAB \\S*${pctetab} extension QPROF,1: the exposure \\(EXPSTART 52334\\.25\\)`));
  assert.match(line, /starts before CTEDATE0/);
});
