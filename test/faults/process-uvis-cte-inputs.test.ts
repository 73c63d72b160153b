// Bad CTE input through caldp-process on WFC3/UVIS (issue 16), as process-cte-inputs.test.ts does for ACS: a
// full-frame UVIS exposure with PCTECORR = PERFORM whose CRDS cache holds a PCTETAB of another instrument, a
// PCTETAB missing an extension, no DRKCFILE or BIACFILE, or a PCTETAB whose CTEDATE0 is after the exposure.
// WF3CTE is calwf3's first phase and checks all of it before any pixel work, so the raw is left untrailed
// (`cteTrails: false`: the simulation takes seconds instead of the forward model's minute). Each run exits with
// the contract's code, prints one line naming the file and the extension or keyword, writes no _flc (nor any
// other product) into the output and leaves the inputs as they were.
import assert from "node:assert/strict";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, before, type TestContext, test } from "node:test";
import { copyData, FitsFile, FitsWriter, rewriteHeaders } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { folderState } from "./process-fixture.js";

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

const referencesIn = (dir: string) => join(dir, "in", "crds", "references", "hst");

/** A copy of the simulated inputs and CRDS cache, edited (removed after its test: full UVIS frames are large). */
function variant(name: string, edit: (dir: string) => void): string {
  const dir = join(root, name);
  cpSync(template, dir, { recursive: true });
  edit(dir);
  writeFileSync(join(dir, "sim.cfg"), `CRDS_PATH=${join(dir, "in", "crds")}\nCRDS_READONLY_CACHE=1\n`);
  return dir;
}

/** Rewrites a FITS file without its HDU `extname,ver`. */
function dropExtension(path: string, extname: string, ver: number): void {
  const copy = `${path}.orig`;
  copyFileSync(path, copy);
  const file = FitsFile.open(copy);
  const writer = new FitsWriter(path);
  for (const hdu of file.hdus) {
    if (hdu.name === extname && hdu.ver === ver) continue;
    const data = copyData((o, n) => file.readBytes(hdu.dataOffset + o, n), hdu.dataBytes);
    writer.writeRaw(hdu.header.clone(), hdu.dataBytes, data);
  }
  writer.close();
  file.close();
  rmSync(copy);
}

/** Runs caldp-process; checks the exit code, the one error line (returned), the output and the inputs. */
async function failsCleanly(t: TestContext, dir: string, exit: number, exitName: string): Promise<string> {
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const inputs = folderState(join(dir, "in"));
  const r = await runCliAsync("caldp-process", [DS, "file:in", "file:out", join(dir, "sim.cfg")], { cwd: dir });
  assert.equal(r.status, exit, r.stdout.slice(-3000) + r.stderr);
  const errors = r.stderr.trim().split("\n");
  assert.equal(errors.length, 1, `one line on stderr: ${r.stderr}`);
  const process = readFileSync(join(dir, "process.txt"), "utf8");
  assert.ok(process.includes(`EXIT - ${exitName}[${exit}]`), process.slice(-2000));
  assert.deepEqual(readdirSync(join(dir, "messages")), [`error-${DS}`]);
  const out = join(dir, "out", DS);
  const products = existsSync(out) ? readdirSync(out).filter((n) => /\.fits$|\.tmp/.test(n)) : [];
  assert.deepEqual(products, [], "no _flc, no _flt, nothing half-written in the output");
  assert.deepEqual(folderState(join(dir, "in")), inputs, "the inputs and the CRDS cache are untouched");
  t.diagnostic(errors[0]);
  return errors[0];
}

test("a PCTETAB of another instrument: STAGE1_ERROR (23) naming the raw, the table and INSTRUME", async (t) => {
  const dir = variant("acs-table", (d) =>
    rewriteHeaders(join(referencesIn(d), names.PCTETAB), (h, hdu) => hdu.index === 0 && h.set("INSTRUME", "ACS")),
  );
  const line = await failsCleanly(t, dir, 23, "STAGE1_ERROR");
  const where = `${DS}_raw\\.fits: PCTECORR = PERFORM: PCTETAB \\S*${names.PCTETAB}`;
  assert.match(line, new RegExp(`${where}: keyword INSTRUME is 'ACS', not WFC3$`));
});

test("a PCTETAB missing an extension: STAGE1_ERROR (23) naming the table and the extension", async (t) => {
  const dir = variant("no-rprof", (d) => dropExtension(join(referencesIn(d), names.PCTETAB), "RPROF", 1));
  const line = await failsCleanly(t, dir, 23, "STAGE1_ERROR");
  const where = `${DS}_raw\\.fits: PCTECORR = PERFORM: PCTETAB \\S*${names.PCTETAB}`;
  assert.match(line, new RegExp(`${where}: extension RPROF,1 is missing$`));
});

for (const keyword of ["DRKCFILE", "BIACFILE"]) {
  test(`${keyword} missing from the cache with PCTECORR = PERFORM: BESTREFS_ERROR (27) naming keyword and file`, async (t) => {
    const dir = variant(`no-${keyword}`, (d) => rmSync(join(referencesIn(d), names[keyword])));
    const line = await failsCleanly(t, dir, 27, "BESTREFS_ERROR");
    assert.match(line, new RegExp(`reference ${keyword} ${names[keyword]} \\(selected for \\S+${DS}_raw\\.fits\\)`));
    assert.match(line, /is not in the CRDS cache/);
  });
}

test("a PCTETAB whose CTEDATE0 is after the exposure: STAGE1_ERROR (23) naming EXPSTART and CTEDATE0", async (t) => {
  const dir = variant("early", (d) =>
    rewriteHeaders(join(referencesIn(d), names.PCTETAB), (h, hdu) => hdu.index === 0 && h.set("CTEDATE0", 57500)),
  );
  const line = await failsCleanly(t, dir, 23, "STAGE1_ERROR");
  const where = `${DS}_raw\\.fits: PCTECORR = PERFORM: PCTETAB \\S*${names.PCTETAB} keyword CTEDATE0`;
  assert.match(line, new RegExp(`${where}: the exposure \\(EXPSTART 57449\\.424\\d*\\) starts before CTEDATE0 57500`));
});
