// Bad input for the X1DCORR of a MAMA echelle (the simulated FUV-MAMA E140M, orders 97–103): an XTRACTAB or a
// PHOTTAB without order 100's row. cs0.e stops after writing the flt and x2d ("Order numbers in XTRACTAB jump",
// exit 2) or drops the order from the x2d and x1d (PHOTTAB, exit 0); we refuse before anything is written, in one
// line naming the raw, the table, its file and the keys: `caldp calstis` exits 1, caldp-process 23 with no product.
// SC2DCORR = PERFORM (cs6's scattered-light model) is refused by name.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, test } from "node:test";
import { rewriteHeaders } from "../../../src/fits/index.js";
import { simulateDataset } from "../../../src/sim/index.js";
import { runCliAsync } from "../../helpers/cli-async.js";
import { dropOrderRows } from "./echelle-tables.js";
import { filesOf, refusedByCalstis } from "./refused-run.js";

const out = mkdtempSync(join(tmpdir(), "calstis-echelle-x1d-"));
after(() => rmSync(out, { recursive: true, force: true }));
const options = { dataset: "oe1401abq", detector: "FUV-MAMA" as const, spectroscopic: true, echelle: true, seed: 11 };
const sim = simulateDataset({ ...options, out: join(out, "sim") });
const raw = sim.exposures[0].raw;
const wav = join(out, "sim", "oe1401abq_wav.fits");
const refName = (keyword: string) => basename(sim.references[keyword]!);
const _sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** A folder with the raw (primary keywords `edits`), the wavecal and the references, `keyword`'s without order 100. */
function folder(name: string, keyword: string | undefined, edits: Record<string, string> = {}): string {
  const dir = join(out, name);
  mkdirSync(join(dir, "refs"), { recursive: true });
  for (const f of [raw, wav]) copyFileSync(f, join(dir, basename(f)));
  for (const f of readdirSync(sim.referenceDir)) copyFileSync(join(sim.referenceDir, f), join(dir, "refs", f));
  rewriteHeaders(join(dir, basename(raw)), (header, hdu) => {
    if (hdu.index === 0) for (const [k, v] of Object.entries(edits)) header.set(k, v);
  });
  if (keyword) dropOrderRows(join(dir, "refs", refName(keyword)), 100);
  return dir;
}

const refused = (dir: string, message: string, code = "TABLE_ROW_MISSING") => refusedByCalstis(dir, raw, message, code);

test("an XTRACTAB without order 100: the table, its file, SPORDER and the keys named, nothing written", async () => {
  const dir = folder("xtractab", "XTRACTAB");
  const keys = "SPORDER 100, APERTURE 0.2X0.06, OPT_ELEM E140M, CENWAVE 1425";
  await refused(dir, `oe1401abq_raw.fits: XTRACTAB oref$${refName("XTRACTAB")}: no row for ${keys}`);
});

test("a PHOTTAB without order 100: named by calstis6 (X2DCORR OMIT) and by calstis7 (X2DCORR PERFORM)", async () => {
  const keys = "OPT_ELEM E140M, CENWAVE 1425, SPORDER 100";
  const pht = refName("PHOTTAB");
  const x1dOnly = folder("phottab-x1d", "PHOTTAB", { X2DCORR: "OMIT" });
  await refused(x1dOnly, `oe1401abq_raw.fits: PHOTTAB oref$${pht}: no row for ${keys}`);
  const both = folder("phottab", "PHOTTAB");
  await refused(both, `oe1401abq_raw.fits: PHOTTAB oref$${pht} (${join(both, "refs", pht)}): no row for ${keys}`);
});

test("SC2DCORR = PERFORM (cs6's scattered-light model for echelles) refused by name, nothing written", async () => {
  const dir = folder("sc2dcorr", undefined, { SC2DCORR: "PERFORM" });
  const message = "oe1401abq_raw.fits: SC2DCORR = PERFORM (the echelle's scattered-light correction) is not native yet";
  await refused(dir, message, "CAL_STEP_NOT_DONE");
});

test("caldp-process with an XTRACTAB without order 100 in the CRDS cache: exit 23, one line naming it, no product", async () => {
  const crds = join(out, "crds-bad");
  cpSync(sim.crds.root, crds, { recursive: true });
  const cached = readdirSync(crds, { recursive: true })
    .map(String)
    .find((n) => basename(n) === refName("XTRACTAB"))!;
  dropOrderRows(join(crds, cached), 100);
  const config = join(out, "bad.cfg");
  writeFileSync(config, `CRDS_PATH=${crds}\nCRDS_READONLY_CACHE=1\n`);
  const inputs = filesOf(join(out, "sim"));
  const run = await runCliAsync("caldp-process", ["oe1401abq", "file:sim", "file:bad", config], { cwd: out });
  assert.equal(run.status, 23, run.stdout.slice(-3000));
  const keys = "SPORDER 100, APERTURE 0.2X0.06, OPT_ELEM E140M, CENWAVE 1425";
  assert.match(run.stderr, new RegExp(`oe1401abq_raw\\.fits: XTRACTAB \\S+${refName("XTRACTAB")}: no row for ${keys}`));
  assert.deepEqual(
    readdirSync(join(out, "bad", "oe1401abq")).filter((f) => f.endsWith(".fits")),
    [],
  );
  assert.deepEqual(filesOf(join(out, "sim")), inputs, "inputs untouched");
});
