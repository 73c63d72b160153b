// FUV X1DCORR through `caldp calcos` as a real process, on a simulated G130M exposure (src/sim/cos-fuv.ts, x1d):
// segment A alone makes a one-row `_x1d` as calcos' renamed `_x1d_a`; bad input (TWOZONE, a FLUXTAB without
// segment B's row) is one line naming file and cause, exit 1, nothing written (segment A's finished products
// removed too), the inputs untouched. Parity with calcos is test/parity/cos-fuv-x1d.test.ts.
import assert from "node:assert/strict";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { FitsFile, rewriteHeaders } from "../../../src/fits/index.js";
import { FUV_FLUX_MODE, writeCosFluxTables } from "../../../src/sim/cos-flux-tables.js";
import { simulateCosFuv } from "../../../src/sim/cos-fuv.js";
import { cosReferencePrimary } from "../../../src/sim/cos-references.js";
import { CosWorkspaces, cosReferences, refused, runCalcos } from "./cos-workspaces.js";

const DS = "lfuv05abq";
const RAW_A = `${DS}_rawtag_a.fits`;

const cases = new CosWorkspaces("fuvx1d", (template) => {
  simulateCosFuv({ dataset: DS, out: template, seed: 11, x1d: true, sourceRate: 400, backgroundRate: 60 });
});

const calcos = (dir: string) => runCalcos(dir, RAW_A);

test("FUV segment A alone: a one-row _x1d for FUVA, its extraction keywords in the flt, counts and corrtag", async () => {
  const dir = cases.workspace();
  rmSync(join(dir, `${DS}_rawtag_b.fits`));
  const run = await calcos(dir);
  assert.equal(run.status, 0, run.stderr);
  const out = join(dir, "out");
  assert.deepEqual(readdirSync(out).sort(), [
    `${DS}.tra`,
    `${DS}_corrtag_a.fits`,
    `${DS}_counts_a.fits`,
    `${DS}_flt_a.fits`,
    `${DS}_x1d.fits`,
  ]);
  const x1d = FitsFile.open(join(out, `${DS}_x1d.fits`));
  try {
    assert.equal(x1d.hdus[0].header.getString("SEGMENT").trim(), "FUVA");
    assert.equal(x1d.hdus[0].header.getInt("NEXTEND"), 1);
    const table = x1d.readTable(1);
    assert.equal(table.nrows, 1);
    const sci = x1d.hdus[1].header;
    assert.equal(sci.getNumber("SP_ERR_B"), -999, "calcos' placeholder for the other segment");
    assert.ok(Math.abs(sci.getNumber("SP_OFF_A")) < 3, `SP_OFF_A ${sci.getNumber("SP_OFF_A")}: the source is found`);
    const net = table.columns.find((c) => c.name === "NET")?.data as ArrayLike<number>;
    let sum = 0;
    for (let i = 2000; i < 14000; i++) sum += net[i];
    assert.ok(sum > 300 && sum < 450, `NET summed over the active columns ${sum.toFixed(1)} count/s (400 simulated)`);
  } finally {
    x1d.close();
  }
  for (const kind of ["flt", "counts", "corrtag"]) {
    const file = FitsFile.open(join(out, `${DS}_${kind}_a.fits`));
    try {
      assert.equal(file.hdus[1].header.getNumber("SP_LOC_A"), 490, `${kind}: SP_LOC_A`);
      assert.equal(file.hdus[1].header.getInt("B_HGT1_A"), 30, `${kind}: B_HGT1_A`);
    } finally {
      file.close();
    }
  }
});

test("FUV TWOZONE extraction is refused by name, not replaced by BOXCAR", async () => {
  const dir = cases.workspace();
  rewriteHeaders(join(dir, RAW_A), (h, hdu) => {
    if (hdu.index === 0) h.set("XTRCTALG", "TWOZONE");
  });
  await refused(dir, RAW_A, new RegExp(`${RAW_A}: X1DCORR with XTRCTALG = TWOZONE is not native yet`));
});

test("a FLUXTAB without segment B's row: the error names the table and the keys; segment A's products removed", async () => {
  const dir = cases.workspace();
  const name = readdirSync(cosReferences(dir)).find((f) => f.endsWith("_phot.fits")) ?? "";
  writeCosFluxTables(
    cosReferences(dir),
    { FLUXTAB: name, TDSTAB: readdirSync(cosReferences(dir)).find((f) => f.endsWith("_tds.fits")) ?? "" },
    (t, d) => cosReferencePrimary("FUV", t, d),
    { ...FUV_FLUX_MODE, segments: ["FUVA"] },
  );
  await refused(dir, RAW_A, new RegExp(`FLUXTAB ${name}\\[1\\].*FUVB`));
});
