// The STIS MAMA simulation (src/sim/stis-mama.ts): raws as calstis reads them (low-res LTM, GLOBRATE of the
// dead-time model, OM2CAT, NRPTEXP/RPTCORR for REPEATOBS), reproducible for a seed, the MAMA references in
// their real formats, and a CRDS cache from which bestrefs selects every one of them.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { bestrefsForFile, cacheLayout, loadContext } from "../../src/crds/index.js";
import { FitsFile } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";
import { MAMA_EXPTIME } from "../../src/sim/stis-mama.js";
import { fitsverify } from "../helpers/astropy.js";

const scratch = mkdtempSync(join(tmpdir(), "caldp-sim-mama-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

const open = <T>(path: string, read: (f: FitsFile) => T): T => {
  const f = FitsFile.open(path);
  try {
    return read(f);
  } finally {
    f.close();
  }
};

test("NUV-MAMA raw: 1024² low-res counts, GLOBRATE = counts / EXPTIME within Poisson noise, OM2CAT, switches", () => {
  const sim = simulateDataset({ dataset: "o8ab0eabq", out: join(scratch, "nuv"), detector: "NUV-MAMA", seed: 3 });
  const raw = sim.exposures[0]!.raw;
  assert.equal(fitsverify(raw).errors, 0);
  open(raw, (f) => {
    const primary = f.hdus[0]!.header;
    assert.equal(primary.get("DETECTOR"), "NUV-MAMA");
    assert.equal(primary.get("NRPTEXP"), 1);
    for (const [k, v] of Object.entries({
      RPTCORR: "OMIT",
      LORSCORR: "PERFORM",
      GLINCORR: "PERFORM",
      DOPPCORR: "OMIT",
    }))
      assert.equal(primary.get(k), v, k);
    const sci = f.hdu("SCI", 1).header;
    assert.equal(sci.getNumber("LTM1_1"), 1, "low-res");
    assert.equal(sci.getNumber("OM2CAT"), 36.5);
    const counts = f.readImage("SCI").data as Uint16Array;
    assert.deepEqual([sci.getInt("NAXIS1"), sci.getInt("NAXIS2")], [1024, 1024]);
    let total = 0;
    for (const c of counts) total += c;
    const rate = sci.getNumber("GLOBRATE");
    assert.ok(Math.abs(total / MAMA_EXPTIME / rate - 1) < 5 / Math.sqrt(total), `${total / MAMA_EXPTIME} vs ${rate}`);
  });
  // Reproducible for a seed.
  const again = simulateDataset({ dataset: "o8ab0eabq", out: join(scratch, "nuv2"), detector: "NUV-MAMA", seed: 3 });
  const sha = (p: string) => createHash("sha256").update(readFileSync(p)).digest("hex");
  assert.equal(sha(again.exposures[0]!.raw), sha(raw));
});

test("MAMA references in their real formats, each chosen by bestrefs from the simulated CRDS cache", () => {
  const sim = simulateDataset({ dataset: "o8ab0eabq", out: join(scratch, "refs"), detector: "NUV-MAMA", seed: 4 });
  const columns = (path: string) => open(path, (f) => f.readTable(1).columns.map((c) => c.name));
  assert.deepEqual(columns(sim.references.MLINTAB!), ["DETECTOR", "GLOBAL_LIMIT", "LOCAL_LIMIT", "TAU", "EXPAND"]);
  assert.deepEqual(columns(sim.references.TDCTAB!), ["DATE0", "TEMP0", "A1", "D1", "A2", "D2", "TA", "TB", "TC"]);
  open(sim.references.LFLTFILE!, (f) => {
    const sci = f.hdu("SCI", 1).header;
    assert.deepEqual([sci.getInt("NAXIS1"), sci.getInt("NAXIS2"), sci.getNumber("LTM1_1")], [64, 64, 1 / 16]);
    assert.equal(f.hdus[0]!.header.get("DETECTOR"), "NUV-MAMA");
  });
  const layout = cacheLayout({ CRDS_PATH: sim.crds.root, CRDS_READONLY_CACHE: "1" });
  const context = loadContext(sim.crds.context, { layout });
  const results = bestrefsForFile(context, sim.exposures[0]!.raw);
  for (const [keyword, path] of Object.entries(sim.references)) {
    assert.equal(results[keyword.toLowerCase()], path.split("/").pop(), keyword);
  }
});

test("FUV-MAMA REPEATOBS (a name ending in 0): NRPTEXP image sets in one raw, RPTCORR = PERFORM, no TDCTAB", () => {
  const sim = simulateDataset({
    dataset: "o8ab0f010",
    out: join(scratch, "rpt"),
    detector: "FUV-MAMA",
    exposures: 3,
    seed: 5,
  });
  assert.equal(sim.exposures.length, 1);
  assert.equal(sim.references.TDCTAB, undefined);
  open(sim.exposures[0]!.raw, (f) => {
    const primary = f.hdus[0]!.header;
    assert.equal(primary.get("NRPTEXP"), 3);
    assert.equal(primary.get("NEXTEND"), 9);
    assert.equal(primary.get("RPTCORR"), "PERFORM");
    const starts = [1, 2, 3].map((v) => f.hdu("SCI", v).header.getNumber("EXPSTART"));
    assert.ok(starts[0]! < starts[1]! && starts[1]! < starts[2]!, "each repeat starts after the one before");
  });
});
