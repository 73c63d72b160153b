// Bad CTE input through the engine (issue 16): calacs with PCTECORR = PERFORM and a PCTETAB of the wrong
// instrument, a PCTETAB missing an extension, no DRKCFILE, or an exposure before the table's first date. Each
// fails before any pixel work with one line naming the raw, the file and the extension or keyword, exit 1
// (hstcal's calacs.e fails too), writes no product at all (no partial _flc, no _flt) and leaves the raw as it was.
import assert from "node:assert/strict";
import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, before, test } from "node:test";
import { copyData, FitsFile, FitsWriter, rewriteHeaders } from "../../src/fits/index.js";
import { acsWfcCte, writeAcsPctetab } from "../../src/sim/acs-cte.js";
import { detectorModel } from "../../src/sim/detectors.js";
import { simulateDataset } from "../../src/sim/index.js";
import { runCliAsync } from "../helpers/cli-async.js";

const root = mkdtempSync(join(tmpdir(), "caldp-cte-errors-"));
const base = join(root, "base");
let raw = "";
let referenceDir = "";
let pctetab = "";

before(() => {
  const sim = simulateDataset({ dataset: "j8cb09e1q", detector: "WFC", seed: 91, out: base });
  raw = basename(sim.exposures[0].raw);
  referenceDir = sim.referenceDir;
  const context = {
    model: detectorModel("ACS", "WFC"),
    maps: [],
    seed: 5,
    dir: referenceDir,
    spectralElements: {},
    aperture: "",
  };
  pctetab = writeAcsPctetab(context, acsWfcCte()).path;
  const dark = sim.references.DARKFILE;
  rewriteHeaders(join(base, raw), (header, hdu) => {
    if (hdu.index !== 0) return;
    header.set("PCTECORR", "PERFORM");
    header.set("PCTETAB", `jref$${basename(pctetab)}`);
    header.set("DRKCFILE", `jref$${basename(dark)}`);
  });
});
after(() => rmSync(root, { recursive: true, force: true }));

/** A copy of the simulated dataset in its own folder, its raw header and PCTETAB edited. */
function variant(name: string, edit: (dir: string) => void): string {
  const dir = join(root, name);
  cpSync(base, dir, { recursive: true });
  edit(dir);
  return dir;
}

const rawIn = (dir: string) => join(dir, raw);
const referencesIn = (dir: string) => join(dir, "crds", "references", "hst");

/** Rewrites the PCTETAB without the HDU `extname,ver`. */
function dropExtension(path: string, extname: string, ver: number): void {
  const copy = `${path}.orig`;
  copyFileSync(path, copy);
  const file = FitsFile.open(copy);
  const writer = new FitsWriter(path);
  for (const hdu of file.hdus) {
    if (hdu.name === extname && hdu.ver === ver) continue;
    writer.writeRaw(
      hdu.header.clone(),
      hdu.dataBytes,
      copyData((o, n) => file.readBytes(hdu.dataOffset + o, n), hdu.dataBytes),
    );
  }
  writer.close();
  file.close();
  rmSync(copy);
}

async function failsCleanly(dir: string, pattern: RegExp, options: string[] = []) {
  const before = readFileSync(rawIn(dir));
  const args = ["calacs", ...options, raw];
  const run = await runCliAsync("caldp", args, { cwd: dir, env: { jref: `${referencesIn(dir)}/` } });
  assert.equal(run.status, 1, run.stdout + run.stderr);
  const lines = run.stderr.trim().split("\n");
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0], pattern);
  assert.ok(lines[0].includes(raw), `names the raw: ${lines[0]}`);
  const products = readdirSync(dir).filter((f) => /_(flt|flc|crj|crc)\.fits$|\.tmp$/.test(f));
  assert.deepEqual(products, [], "no product, no temporary file");
  assert.deepEqual(readFileSync(rawIn(dir)), before, "the raw is untouched");
}

test("a PCTETAB of another instrument: one line naming the table and INSTRUME, nothing written", async () => {
  const dir = variant("wfc3-table", (d) =>
    rewriteHeaders(join(referencesIn(d), basename(pctetab)), (h, hdu) => hdu.index === 0 && h.set("INSTRUME", "WFC3")),
  );
  await failsCleanly(
    dir,
    new RegExp(`PCTECORR = PERFORM: PCTETAB .*${basename(pctetab)}: keyword INSTRUME is 'WFC3', not ACS`),
  );
});

test("a PCTETAB missing an extension: the extension is named", async () => {
  const dir = variant("no-rprof", (d) => dropExtension(join(referencesIn(d), basename(pctetab)), "RPROF", 3));
  await failsCleanly(dir, new RegExp(`PCTETAB .*${basename(pctetab)}: extension RPROF,3 is missing`));
});

test("DRKCFILE missing while PCTECORR and DARKCORR are PERFORM: the keyword and the path are named", async () => {
  const dir = variant("no-drkc", (d) =>
    rewriteHeaders(rawIn(d), (h, hdu) => hdu.index === 0 && h.set("DRKCFILE", "jref$nosuch_dkc.fits")),
  );
  await failsCleanly(dir, /PCTECORR = PERFORM: DRKCFILE = 'jref\$nosuch_dkc\.fits': .*nosuch_dkc\.fits does not exist/);
  const na = variant("na-drkc", (d) =>
    rewriteHeaders(rawIn(d), (h, hdu) => hdu.index === 0 && h.set("DRKCFILE", "N/A")),
  );
  await failsCleanly(na, /PCTECORR = PERFORM: DRKCFILE is needed but the header says 'N\/A'/);
});

test("an exposure before the table's first date (CTEDATE0): EXPSTART and the extension are named", async () => {
  const dir = variant("early", (d) =>
    rewriteHeaders(rawIn(d), (h, hdu) => hdu.index === 0 && h.set("EXPSTART", 52000.5)),
  );
  await failsCleanly(dir, /extension QPROF,1: the exposure \(EXPSTART 52000\.5\) starts before CTEDATE0/);
});

test("--pctetab replaces the header's PCTETAB: another instrument's table given there is refused, named", async () => {
  const dir = variant("option", (d) => {
    const wfc3 = join(d, "wfc3_pctetab.fits");
    copyFileSync(join(referencesIn(d), basename(pctetab)), wfc3);
    rewriteHeaders(wfc3, (h, hdu) => hdu.index === 0 && h.set("INSTRUME", "WFC3"));
  });
  await failsCleanly(dir, /PCTETAB .*wfc3_pctetab\.fits: keyword INSTRUME is 'WFC3', not ACS/, [
    "--pctetab",
    "wfc3_pctetab.fits",
  ]);
});
