// caldp calcos on FUV TIME-TAG raws (segments A and B) and its refusals: a raw without PHA, a reference table
// without the segment's row, a switch not native for FUV, a GEOFILE or RANDSEED that cannot be used. Each refusal is one line naming the file and the cause,
// exit 1, the raws untouched and no product left behind (not even segment A's when segment B fails).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, before, test } from "node:test";
import { FitsFile, FitsWriter, Header, rewriteHeaders } from "../../../src/fits/index.js";
import { writeAsnTable } from "../../../src/sim/asn.js";
import { simulateCosFuv } from "../../../src/sim/cos-fuv.js";
import { runCliAsync } from "../../helpers/cli-async.js";

const DATASET = "lfuv01abq";
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), "caldp-calcos-fuv-"));
  dirs.push(dir);
  return dir;
}

// one simulation (its flat alone is 47 MB); each test copies the raws, and the references when it edits one
let base: ReturnType<typeof simulateCosFuv>;
before(() => {
  base = simulateCosFuv({ dataset: DATASET, out: tempDir(), seed: 9, sourceRate: 60, backgroundRate: 15, darkRate: 5 });
});

function workspace(ownReferences = false) {
  const dir = tempDir();
  const rawtags = {
    FUVA: join(dir, basename(base.rawtags.FUVA)),
    FUVB: join(dir, basename(base.rawtags.FUVB)),
  };
  cpSync(base.rawtags.FUVA, rawtags.FUVA);
  cpSync(base.rawtags.FUVB, rawtags.FUVB);
  const referenceDir = ownReferences ? join(dir, "references") : base.referenceDir;
  if (ownReferences) cpSync(base.referenceDir, referenceDir, { recursive: true });
  const references = Object.fromEntries(
    Object.entries(base.references).map(([k, v]) => [k, join(referenceDir, basename(v))]),
  );
  return { dir, sim: { rawtags, referenceDir, references } };
}

const sha1 = (path: string) => createHash("sha1").update(readFileSync(path)).digest("hex");

const calcos = (dir: string, referenceDir: string, input = `${DATASET}_rawtag_a.fits`) =>
  runCliAsync("caldp", ["calcos", "--outdir", "out", input], { cwd: dir, env: { lref: `${referenceDir}/` } });

async function refused(dir: string, referenceDir: string, message: RegExp) {
  const raws = [`${DATASET}_rawtag_a.fits`, `${DATASET}_rawtag_b.fits`].map((f) => join(dir, f));
  const before = raws.map(sha1);
  const run = await calcos(dir, referenceDir);
  assert.equal(run.status, 1, run.stdout);
  const lines = run.stderr.trim().split("\n");
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0], message);
  assert.deepEqual(raws.map(sha1), before, "the raws are not modified");
  const out = join(dir, "out");
  assert.deepEqual(existsSync(out) ? readdirSync(out) : [], [], "nothing written, no temporary file left");
}

test("segment B's raw stands for the exposure too: both segments' corrtag, counts and flt, and the trailer", async () => {
  const { dir, sim } = workspace();
  const run = await calcos(dir, sim.referenceDir, `${DATASET}_rawtag_b.fits`);
  assert.equal(run.status, 0, run.stderr);
  const products = ["corrtag", "counts", "flt"].flatMap((k) => ["a", "b"].map((s) => `${DATASET}_${k}_${s}.fits`));
  assert.deepEqual(readdirSync(join(dir, "out")).sort(), [...products, `${DATASET}.tra`].sort());
  const file = FitsFile.open(join(dir, "out", `${DATASET}_corrtag_b.fits`));
  try {
    const events = file.hdus[1].header;
    // mergeKeywords: segment A's keywords are in segment B's corrtag
    assert.equal(events.getNumber("NPHA_A") > 0, true);
    assert.ok(events.has("EXPTIMEA") && events.has("GLOBRT_A") && events.has("STIMA_LX"));
    for (const step of ["BADTCORR", "TEMPCORR", "XWLKCORR", "PHACORR", "DOPPCORR", "DQICORR"]) {
      assert.equal(file.hdus[0].header.getString(step), "COMPLETE", step);
    }
  } finally {
    file.close();
  }
});

test("an association of the FUV exposure (as caldp-process passes it) calibrates both segments", async () => {
  const { dir, sim } = workspace();
  // the table's header reads only INSTRUME and DETECTOR of the model (no COS detector model in the simulator)
  const model = { instrument: "COS", detector: "FUV" } as unknown as Parameters<typeof writeAsnTable>[2];
  const members = [{ name: DATASET, type: "EXP-FP", present: true }];
  writeAsnTable(join(dir, "lfuv01010_asn.fits"), "lfuv01010", model, members, "SIM-POINT");
  const run = await calcos(dir, sim.referenceDir, "lfuv01010_asn.fits");
  assert.equal(run.status, 0, run.stderr);
  const flts = readdirSync(join(dir, "out")).filter((f) => f.includes("_flt_"));
  assert.deepEqual(flts.sort(), [`${DATASET}_flt_a.fits`, `${DATASET}_flt_b.fits`]);
});

test("an EVENTS table without PHA: the error names the file, the table and the column", async () => {
  const { dir, sim } = workspace();
  const path = sim.rawtags.FUVA;
  const file = FitsFile.open(path);
  const primary = file.hdus[0].header.clone();
  const eventsHeader = file.hdus[1].header.clone();
  const table = file.readTable(1);
  const gti = file.readTable(2);
  file.close();
  const writer = new FitsWriter(path);
  writer.writeImage(primary);
  const kept = table.columns.filter((c) => c.name !== "PHA").map((c) => ({ name: c.name, data: c.data }));
  writer.writeTable(eventsHeader, kept, table.nrows);
  writer.writeTable(
    new Header().set("EXTNAME", "GTI"),
    gti.columns.map((c) => ({ name: c.name, data: c.data })),
    gti.nrows,
  );
  writer.close();
  await refused(dir, sim.referenceDir, /lfuv01abq_rawtag_a\.fits\[EVENTS\]: has no column PHA/);
});

test("a PHATAB without segment B's row: the error names the table and the keys, segment A's products are removed", async () => {
  const { dir, sim } = workspace(true);
  const path = sim.references.PHATAB;
  const file = FitsFile.open(path);
  const primary = file.hdus[0].header.clone();
  file.close();
  const writer = new FitsWriter(path);
  writer.writeImage(primary);
  writer.writeTable(
    new Header().set("EXTNAME", "PHATAB"),
    [
      { name: "SEGMENT", format: "4A", data: ["FUVA"] },
      { name: "OPT_ELEM", format: "8A", data: ["G130M"] },
      { name: "LLT", format: "1J", data: Int32Array.from([3]) },
      { name: "ULT", format: "1J", data: Int32Array.from([23]) },
    ],
    1,
  );
  writer.close();
  await refused(dir, sim.referenceDir, /PHATAB \S+_pha\.fits\[1\]: no row for SEGMENT='FUVB', OPT_ELEM='G130M'/);
});

test("one segment alone (segment B's raw missing): its products only, no keywords of the other", async () => {
  const { dir, sim } = workspace();
  rmSync(sim.rawtags.FUVB);
  const run = await calcos(dir, sim.referenceDir);
  assert.equal(run.status, 0, run.stderr);
  const products = readdirSync(join(dir, "out")).filter((f) => f.endsWith(".fits"));
  assert.deepEqual(
    products.sort(),
    ["corrtag", "counts", "flt"].map((k) => `${DATASET}_${k}_a.fits`),
  );
  const file = FitsFile.open(join(dir, "out", `${DATASET}_corrtag_a.fits`));
  try {
    assert.equal(file.hdus[1].header.has("NPHA_B"), false);
  } finally {
    file.close();
  }
});

test("an event beyond the 16384 columns of the FUV detector: the error names file, table, count and row", async () => {
  const { dir, sim } = workspace();
  const path = sim.rawtags.FUVB;
  const file = FitsFile.open(path);
  const primary = file.hdus[0].header.clone();
  const eventsHeader = file.hdus[1].header.clone();
  const table = file.readTable(1);
  const gti = file.readTable(2);
  file.close();
  const columns = table.columns.map((c) => ({ name: c.name, data: c.data }));
  (columns.find((c) => c.name === "RAWX")?.data as Int16Array)[7] = 16390;
  const writer = new FitsWriter(path);
  writer.writeImage(primary);
  writer.writeTable(eventsHeader, columns, table.nrows);
  writer.writeTable(
    new Header().set("EXTNAME", "GTI"),
    gti.columns.map((c) => ({ name: c.name, data: c.data })),
    gti.nrows,
  );
  writer.close();
  await refused(
    dir,
    sim.referenceDir,
    /lfuv01abq_rawtag_b\.fits\[EVENTS\]: 1 event\(s\) outside the 16384x1024 FUV detector \(first at row 8/,
  );
});

test("TRCECORR = PERFORM is refused by name: not native for FUV yet", async () => {
  const { dir, sim } = workspace();
  rewriteHeaders(sim.rawtags.FUVA, (h, hdu) => {
    if (hdu.index === 0) h.set("TRCECORR", "PERFORM");
  });
  await refused(dir, sim.referenceDir, /lfuv01abq_rawtag_a\.fits: TRCECORR = PERFORM is not native for FUV yet/);
});

test("BRSTCORR = PERFORM with BRSTTAB = N/A: the error names the file, the step and the keyword", async () => {
  const { dir, sim } = workspace();
  rewriteHeaders(sim.rawtags.FUVB, (h, hdu) => {
    if (hdu.index === 0) h.set("BRSTCORR", "PERFORM");
  });
  await refused(dir, sim.referenceDir, /lfuv01abq_rawtag_b\.fits.*BRSTCORR needs BRSTTAB but the header says 'N\/A'/);
});

test("GEOCORR = PERFORM with GEOFILE = N/A: the error names the file, the step and the keyword", async () => {
  const { dir, sim } = workspace();
  rewriteHeaders(sim.rawtags.FUVA, (h, hdu) => {
    if (hdu.index === 0) h.set("GEOCORR", "PERFORM");
  });
  await refused(dir, sim.referenceDir, /lfuv01abq_rawtag_a\.fits.*GEOCORR needs GEOFILE but the header says 'N\/A'/);
});

test("DGEOCORR = PERFORM with GEOCORR = OMIT is refused as calcos refuses it", async () => {
  const { dir, sim } = workspace();
  rewriteHeaders(sim.rawtags.FUVA, (h, hdu) => {
    if (hdu.index === 0) h.set("DGEOCORR", "PERFORM");
  });
  await refused(dir, sim.referenceDir, /lfuv01abq_rawtag_a\.fits: DGEOCORR = PERFORM but GEOCORR = OMIT/);
});

test("a GEOFILE without segment B's images: the error names the file and the extension, segment A's products are removed", async () => {
  const { dir, sim } = workspace(true);
  const writer = new FitsWriter(join(sim.referenceDir, "onlya_geo.fits"));
  writer.writeImage(new Header().set("FILETYPE", "GEOMETRIC DISTORTION REFERENCE IMAGE"));
  for (const extver of [1, 2]) {
    writer.writeImage(new Header().set("EXTNAME", "FUVA").set("EXTVER", extver), new Float32Array(64 * 16), [64, 16]);
  }
  writer.close();
  for (const raw of [sim.rawtags.FUVA, sim.rawtags.FUVB]) {
    rewriteHeaders(raw, (h, hdu) => {
      if (hdu.index === 0) h.set("GEOCORR", "PERFORM").set("GEOFILE", "lref$onlya_geo.fits");
    });
  }
  await refused(dir, sim.referenceDir, /GEOFILE onlya_geo\.fits: has no extension \(FUVB,1\)/);
});

test("RANDCORR with RANDSEED beyond 2**32 - 1 is refused naming the file and the keyword", async () => {
  const { dir, sim } = workspace();
  rewriteHeaders(sim.rawtags.FUVA, (h, hdu) => {
    if (hdu.index === 0) h.set("RANDCORR", "PERFORM").set("RANDSEED", 4294967296);
  });
  await refused(dir, sim.referenceDir, /lfuv01abq_rawtag_a\.fits: RANDSEED = 4294967296: not -1 or an integer/);
});

test("RANDCORR with RANDSEED = -1: a seed from the clock, written to RANDSEED as calcos does", async () => {
  const { dir, sim } = workspace();
  rewriteHeaders(sim.rawtags.FUVA, (h, hdu) => {
    if (hdu.index === 0) h.set("RANDCORR", "PERFORM").set("RANDSEED", -1);
  });
  const start = Math.floor(Date.now() / 1000);
  const run = await calcos(dir, sim.referenceDir);
  assert.equal(run.status, 0, run.stderr);
  const file = FitsFile.open(join(dir, "out", `${DATASET}_corrtag_a.fits`));
  try {
    const seed = file.hdus[0].header.getNumber("RANDSEED");
    assert.ok(seed >= start && seed <= Math.floor(Date.now() / 1000), `RANDSEED ${seed}`);
    assert.equal(file.hdus[0].header.getString("RANDCORR"), "COMPLETE");
  } finally {
    file.close();
  }
});

test("a PHAFILE (pulse-height limit images) is refused by name rather than replaced by the PHATAB", async () => {
  const { dir, sim } = workspace();
  rewriteHeaders(sim.rawtags.FUVB, (h, hdu) => {
    if (hdu.index === 0) h.set("PHAFILE", "lref$x1u1459il_pha.fits");
  });
  await refused(
    dir,
    sim.referenceDir,
    /lfuv01abq_rawtag_b\.fits: PHACORR with PHAFILE = 'lref\$x1u1459il_pha\.fits' is not native/,
  );
});
