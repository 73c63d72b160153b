// The dithered association: its table, the pointings (sub-pixel and multi-pixel steps at one PA_V3), the
// distortion references named in the raws and selected by the simulated CRDS cache, determinism, and the
// truth catalogue's placement through each exposure's distortion.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { bestrefsForFile, cacheLayout, loadContext } from "../../src/crds/index.js";
import { FitsFile } from "../../src/fits/index.js";
import { simulateDither } from "../../src/sim/dither.js";

const scratch = mkdtempSync(join(tmpdir(), "caldp-simdither-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
const sim = simulateDither({ asnId: "j8dt020c0", out: join(scratch, "a"), exposures: 4, seed: 2, exptime: 50 });
const digest = (path: string) => createHash("sha1").update(readFileSync(path)).digest("hex");

function primaryOf(path: string) {
  const file = FitsFile.open(path);
  try {
    return file.hdus[0].header;
  } finally {
    file.close();
  }
}

test("the association lists the exposures as EXP-DTH and the product as PROD-DTH", () => {
  const file = FitsFile.open(sim.asn);
  const table = file.readTable("ASN");
  file.close();
  const column = (name: string) => table.columns.find((c) => c.name === name)!.data as string[];
  assert.deepEqual(
    column("MEMNAME").map((s) => s.trim()),
    ["J8DT02A1Q", "J8DT02A2Q", "J8DT02A3Q", "J8DT02A4Q", "J8DT020C1"],
  );
  assert.deepEqual(
    column("MEMTYPE").map((s) => s.trim()),
    ["EXP-DTH", "EXP-DTH", "EXP-DTH", "EXP-DTH", "PROD-DTH"],
  );
});

test("the raws point at stepped targets at one PA_V3 and name the IDCTAB and NPOLFILE; DRIZCORR=PERFORM", () => {
  const primaries = sim.exposures.map((e) => primaryOf(e.raw));
  for (const p of primaries) {
    assert.equal(p.get("PA_V3"), primaries[0].get("PA_V3"));
    assert.equal(p.get("DRIZCORR"), "PERFORM");
    assert.match(String(p.get("IDCTAB")), /^jref\$\w{9}_idc\.fits$/);
    assert.match(String(p.get("NPOLFILE")), /^jref\$\w{9}_npl\.fits$/);
    assert.equal(p.get("D2IMFILE"), "N/A", "HRC has no D2IM correction (CRDS: DETECTOR == WFC only)");
  }
  const ras = new Set(primaries.map((p) => p.get("RA_TARG")));
  assert.equal(ras.size, 4, "every exposure has its own pointing");
});

test("every star moves between exposures by a multi-pixel step with a sub-pixel part", () => {
  for (let k = 1; k < sim.exposures.length; k++) {
    const shifts = sim.stars.map((_, s) => {
      const [x0, y0] = sim.exposures[0].stars[s];
      const [x, y] = sim.exposures[k].stars[s];
      return [x - x0, y - y0];
    });
    const [dx, dy] = shifts[0];
    assert.ok(Math.hypot(dx, dy) > 3, `exposure ${k}: step ${dx}, ${dy}`);
    const fractions = [dx, dy].map((v) => Math.abs(v - Math.round(v)));
    assert.ok(Math.max(...fractions) > 0.1, `exposure ${k}: a sub-pixel part in ${dx}, ${dy}`);
    // the distortion makes the step vary over the field (by more than 1e-3 px), as it does on HST
    const spread = Math.max(...shifts.map(([x]) => x)) - Math.min(...shifts.map(([x]) => x));
    assert.ok(spread > 1e-3 && spread < 0.5, `exposure ${k}: x-step spread ${spread} px`);
  }
});

test("CRDS selects the simulated IDCTAB and NPOLFILE from the simulated cache", () => {
  const layout = cacheLayout({ CRDS_PATH: sim.crds.root, CRDS_READONLY_CACHE: "1" });
  const context = loadContext(sim.crds.context, { layout });
  const results = bestrefsForFile(context, sim.exposures[0].raw);
  assert.equal(results.idctab, sim.references.IDCTAB.split("/").pop());
  assert.equal(results.npolfile, sim.references.NPOLFILE.split("/").pop());
  assert.equal(results.d2imfile, "NOT FOUND n/a");
});

test("the same seed writes the same bytes", () => {
  const again = simulateDither({ asnId: "j8dt020c0", out: join(scratch, "b"), exposures: 4, seed: 2, exptime: 50 });
  for (let k = 0; k < 4; k++) assert.equal(digest(again.exposures[k].raw), digest(sim.exposures[k].raw));
  assert.equal(digest(again.truth), digest(sim.truth));
});

test("bad options are refused with the reason", () => {
  assert.throws(() => simulateDither({ asnId: "j8dt020c0", out: join(scratch, "c"), exposures: 5 }), /2 to 4/);
  assert.throws(() => simulateDither({ asnId: "ib4606c50", out: join(scratch, "c") }), /ACS association/);
});
