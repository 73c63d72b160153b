// X1DCORR (BOXCAR) of the native calcos on a simulated COS NUV TIME-TAG exposure, through `caldp calcos` as a
// real process. Truth: each stripe's NET, in 32-column bins, equals the simulated source spectrum (rate ×
// profile, the box's share of the Gaussian stripe, ÷ the flat the events were not drawn with) within ERROR;
// wavelengths follow the DISPTAB (FLUXCORR OMIT here, so that ERROR is a count rate; fluxcorr.test.ts has FLUX).
// Bad input: an XTRACTAB without BWIDTH, a band off the detector, TWOZONE: one line naming file and cause, exit 1,
// nothing written, the input untouched.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { FitsFile, FitsWriter, rewriteHeaders } from "../../../src/fits/index.js";
import { cosNuvSourceProfile, STRIPE_SIGMA, simulateCosNuv } from "../../../src/sim/index.js";
import { CosWorkspaces, cosReferences, refused, runCalcos } from "./cos-workspaces.js";

const DS = "lcos02abq";
const RAW = `${DS}_rawtag.fits`;
const SOURCE_RATE = 900;
const STRIPE_ROWS = [180, 280, 440];

const cases = new CosWorkspaces("x1d", (template) => {
  simulateCosNuv({ dataset: DS, out: template, seed: 7, sourceRate: SOURCE_RATE, backgroundRate: 60 });
  rewriteHeaders(join(template, RAW), (h, hdu) => {
    if (hdu.index === 0) h.set("FLUXCORR", "OMIT");
  });
});

const calcos = (dir: string) => runCalcos(dir, RAW);

function readX1d(path: string) {
  const fits = FitsFile.open(path);
  try {
    const table = fits.readTable("SCI");
    const column = (name: string) => table.columns.find((c) => c.name === name)!.data as ArrayLike<number>;
    return { table, column, header: fits.hdu("SCI").header, primary: fits.hdus[0].header };
  } finally {
    fits.close();
  }
}

function readFlat(dir: string): Float32Array {
  const name = readdirSync(cosReferences(dir)).find((f) => f.endsWith("_flat.fits"))!;
  const fits = FitsFile.open(join(cosReferences(dir), name));
  try {
    return Float32Array.from(fits.readImage(1).data as ArrayLike<number>);
  } finally {
    fits.close();
  }
}

test("X1DCORR BOXCAR: three stripes whose NET equals the simulated spectrum within ERROR", async () => {
  const dir = cases.workspace();
  const run = await calcos(dir);
  assert.equal(run.status, 0, run.stderr);
  const x1d = readX1d(join(dir, "out", `${DS}_x1d.fits`));
  assert.deepEqual(x1d.table.columns.find((c) => c.name === "SEGMENT")!.data, ["NUVA", "NUVB", "NUVC"]);
  assert.equal(x1d.primary.getString("X1DCORR"), "COMPLETE");
  assert.equal(x1d.primary.getString("BACKCORR"), "COMPLETE");
  const n = 1274;
  const [net, err, wgt, lower, wl] = ["NET", "ERROR", "DQ_WGT", "Y_LOWER_OUTER", "WAVELENGTH"].map(x1d.column);
  const flat = readFlat(dir);
  const profile = Array.from({ length: 1024 }, (_, x) => cosNuvSourceProfile(x));
  const total = profile.reduce((a, b) => a + b, 0);
  const z: number[] = [];
  for (let s = 0; s < 3; s++) {
    const shift1 = x1d.header.getNumber(`SHIFT1${"ABC"[s]}`);
    const rowWeight = (row: number) => Math.exp(-0.5 * ((row - STRIPE_ROWS[s]) / STRIPE_SIGMA) ** 2);
    const norm = Array.from({ length: 61 }, (_, k) => rowWeight(STRIPE_ROWS[s] - 30 + k)).reduce((a, b) => a + b);
    const expected = (i: number) => {
      const x = Math.round(i - 100 + shift1); // extended column → the detector column the events came from
      if (x < 0 || x >= 1024) return Number.NaN;
      let share = 0;
      for (let row = lower[s * n + i]; row < lower[s * n + i] + 17; row++)
        share += rowWeight(row) / flat[row * 1024 + x];
      return ((SOURCE_RATE / 3) * profile[x] * share) / (total * norm);
    };
    // wavelengths: the DISPTAB's linear relation at the detector column, within a pixel's 0.0369 Å
    assert.ok(Math.abs(wl[s * n + 612] - (1786 + 38 * s + 0.0369 * 512)) < 0.0369 * 0.1 + 0.05, "DISPTAB wavelength");
    for (let b = 140; b + 32 <= 1100; b += 32) {
      let [sumNet, sumTruth, sumVar, good] = [0, 0, 0, true];
      for (let i = b; i < b + 32; i++) {
        const t = expected(i);
        good &&= wgt[s * n + i] === 1 && Number.isFinite(t);
        sumNet += net[s * n + i];
        sumTruth += t;
        sumVar += err[s * n + i] ** 2;
      }
      if (good) z.push((sumNet - sumTruth) / Math.sqrt(sumVar));
    }
  }
  const meanSquare = z.reduce((a, v) => a + v * v, 0) / z.length;
  const within = z.filter((v) => Math.abs(v) <= 1).length / z.length;
  console.log(
    `x1d truth: ${z.length} bins, mean z² = ${meanSquare.toFixed(3)}, ${(within * 100).toFixed(1)}% within 1 σ`,
  );
  assert.ok(z.length >= 60, `${z.length} bins compared`);
  assert.ok(meanSquare > 0.4 && meanSquare < 2, `mean z² ${meanSquare}`);
  assert.ok(within > 0.5, `${within} of the bins within 1 σ`);
  assert.ok(Math.max(...z.map(Math.abs)) < 4.5, "no bin off by 4.5 σ");
});

/** Rewrites the XTRACTAB with its columns edited. */
function editXtractab(dir: string, edit: (columns: Map<string, ArrayLike<unknown>>) => void): string {
  const name = readdirSync(cosReferences(dir)).find((f) => f.endsWith("_1dx.fits"))!;
  const path = join(cosReferences(dir), name);
  const fits = FitsFile.open(path);
  const primary = fits.hdus[0].header.clone();
  const header = fits.hdu(1).header.clone();
  const table = fits.readTable(1);
  fits.close();
  const columns = new Map(table.columns.map((c) => [c.name, c.data as ArrayLike<unknown>]));
  edit(columns);
  header.removeWhere((card) => /^(TTYPE|TFORM|TUNIT)\d+$/.test(card.keyword));
  const writer = new FitsWriter(path);
  writer.writeImage(primary);
  writer.writeTable(
    header,
    [...columns].map(([n, data]) => ({ name: n, data }) as never),
    table.nrows,
  );
  writer.close();
  return name;
}

test("an XTRACTAB without BWIDTH: the error names the table and the column", async () => {
  const dir = cases.workspace();
  const name = editXtractab(dir, (c) => c.delete("BWIDTH"));
  await refused(dir, RAW, new RegExp(`XTRACTAB ${name}\\[1\\]: has no column BWIDTH for X1DCORR`));
});

test("a background band off the detector: the error names the stripe and the band", async () => {
  const dir = cases.workspace();
  editXtractab(dir, (c) =>
    c.set(
      "B_BKG2",
      Float64Array.from(c.get("B_BKG2") as ArrayLike<number>, () => 1015),
    ),
  );
  await refused(
    dir,
    RAW,
    /NUVA of XTRACTAB \w+_1dx\.fits: the band at y = 1015 \(height 30\) extends beyond the image/,
  );
});

test("TWOZONE, LIFE_ADJ = -1 and an IMAGING exposure are refused by name, not skipped", async () => {
  for (const [key, value, why] of [
    ["XTRCTALG", "TWOZONE", "XTRCTALG = TWOZONE"],
    ["LIFE_ADJ", -1, "LIFE_ADJ = -1"],
    ["OBSTYPE", "IMAGING", "OBSTYPE = IMAGING"],
  ] as const) {
    const dir = cases.workspace();
    rewriteHeaders(join(dir, RAW), (h, hdu) => {
      if (hdu.index === 0) h.set(key, value);
    });
    await refused(dir, RAW, new RegExp(`${RAW}: X1DCORR with ${why}.* is not native yet`));
  }
});

test("no events: an _x1d without rows but with calcos' 24 columns, X1DCORR left PERFORM", async () => {
  const dir = cases.workspace();
  const path = join(dir, RAW);
  const fits = FitsFile.open(path);
  const hdus = [0, 1, 2].map((i) => fits.hdus[i].header.clone());
  const [events, gti] = [fits.readTable("EVENTS"), fits.readTable("GTI")];
  fits.close();
  for (const h of hdus.slice(1)) h.removeWhere((card) => /^(TTYPE|TFORM|TUNIT)\d+$/.test(card.keyword));
  const writer = new FitsWriter(path);
  writer.writeImage(hdus[0]);
  const empty = events.columns.map((c) => ({ name: c.name, data: (c.data as Float32Array).subarray(0, 0) }));
  writer.writeTable(hdus[1], empty, 0);
  writer.writeTable(
    hdus[2],
    gti.columns.map((c) => ({ name: c.name, data: c.data as Float64Array })),
    gti.nrows,
  );
  writer.close();
  const run = await calcos(dir);
  assert.equal(run.status, 0, run.stderr);
  const x1d = readX1d(join(dir, "out", `${DS}_x1d.fits`));
  assert.equal(x1d.table.nrows, 0);
  assert.equal(x1d.table.columns.length, 24);
  assert.equal(x1d.primary.getString("X1DCORR"), "PERFORM");
  assert.equal(x1d.primary.getString("HELCORR"), "COMPLETE", "calcos' extract1D still runs its (empty) HELCORR");
});

test("a target without coordinates (RA_TARG < 0): HELCORR reset to OMIT in every product, rest wavelengths", async () => {
  const [plain, noTarget] = [cases.workspace(), cases.workspace()];
  rewriteHeaders(join(noTarget, RAW), (h, hdu) => {
    if (hdu.index === 0) h.set("RA_TARG", -1);
  });
  for (const dir of [plain, noTarget]) assert.equal((await calcos(dir)).status, 0);
  const [helio, rest] = [plain, noTarget].map((dir) => readX1d(join(dir, "out", `${DS}_x1d.fits`)));
  for (const suffix of ["corrtag", "counts", "flt", "x1d"]) {
    const fits = FitsFile.open(join(noTarget, "out", `${DS}_${suffix}.fits`));
    assert.equal(fits.hdus[0].header.getString("HELCORR"), "OMIT", suffix);
    fits.close();
  }
  assert.match(readFileSync(join(noTarget, "out", `${DS}.tra`), "utf8"), /HELCORR reset to OMIT \(RA_TARG < 0\)/);
  const vHelio = helio.header.getNumber("V_HELIO");
  const [wlHelio, wlRest] = [helio.column("WAVELENGTH"), rest.column("WAVELENGTH")];
  for (const i of [300, 700, 1274 + 500, 2 * 1274 + 900]) {
    assert.ok(Math.abs(wlHelio[i] - wlRest[i] * (1 - vHelio / 299792.458)) < 1e-9, `pixel ${i}`);
  }
});
