// Native calcos on a simulated COS NUV ACCUM exposure (src/sim/cos-nuv-accum.ts), through `caldp calcos` and
// caldp-process as real processes: one pseudo event per count at EXPTIME/2, no count lost in the images, the raw's
// own DQ kept, the shift keywords zero as calcos' updateShift leaves them, and the x1d's NET equal to the simulated
// spectrum within ERROR. Bad input (a negative count, no SCI extension, on-board Doppler smearing, FUV ACCUM): one
// line naming file and cause, exit 1 (caldp-process: 23), nothing written, the input untouched.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { FitsFile, FitsWriter, rewriteHeaders } from "../../../src/fits/index.js";
import { simulateCosNuvAccum } from "../../../src/sim/cos-nuv-accum.js";
import { FP_PIXEL_SHIFT, NUV_STRIPE_ROWS } from "../../../src/sim/cos-references.js";
import { cosNuvSourceProfile, STRIPE_SIGMA } from "../../../src/sim/index.js";
import { runCliAsync } from "../../helpers/cli-async.js";
import { CosWorkspaces, cosReferences, refused, runCalcos, sha1 } from "./cos-workspaces.js";

const DS = "lcos07acq";
const RAW = `${DS}_rawaccum.fits`;
const SOURCE_RATE = 900;
let counts = 0;

const cases = new CosWorkspaces("accum", (template) => {
  counts = simulateCosNuvAccum({ dataset: DS, out: template, seed: 4, sourceRate: SOURCE_RATE }).counts;
});

const calcos = (dir: string) => runCalcos(dir, RAW);

function read<T>(path: string, use: (fits: FitsFile) => T): T {
  const fits = FitsFile.open(path);
  try {
    return use(fits);
  } finally {
    fits.close();
  }
}
const column = (fits: FitsFile, ext: string, name: string) =>
  fits.readTable(ext).columns.find((c) => c.name === name)!.data as ArrayLike<number>;
const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

test("caldp calcos on an NUV ACCUM exposure: pseudo events, every count in the images, zero shifts", async () => {
  const dir = cases.workspace();
  // FLUXCORR OMIT: ERROR stays a count rate, comparable with NET
  rewriteHeaders(join(dir, RAW), (h, hdu) => {
    if (hdu.index === 0) h.set("FLUXCORR", "OMIT");
  });
  const run = await calcos(dir);
  assert.equal(run.status, 0, run.stderr);
  const out = join(dir, "out");
  assert.deepEqual(
    readdirSync(out).filter((f) => f.endsWith(".fits")),
    ["corrtag", "counts", "flt", "x1d"].map((s) => `${DS}_${s}.fits`),
  );
  const exptime = read(join(dir, RAW), (f) => f.hdu("SCI").header.getNumber("EXPTIME"));
  read(join(out, `${DS}_corrtag.fits`), (f) => {
    const time = column(f, "EVENTS", "TIME");
    assert.equal(time.length, counts, "one event per count");
    assert.ok(
      Array.prototype.every.call(time, (t: number) => t === exptime / 2),
      "every TIME is EXPTIME / 2",
    );
    assert.deepEqual([column(f, "GTI", "START")[0], column(f, "GTI", "STOP")[0]], [0, exptime]);
    assert.equal(column(f, "TIMELINE", "TIME").length, exptime + 1, "TIMELINE from 0 to EXPTIME");
    const h = f.hdu("EVENTS").header;
    assert.equal(h.getString("DEADMT"), "DATA");
    assert.equal(h.getNumber("DEADRT"), counts / exptime);
    for (const k of ["SHIFT1A", "SHIFT1B", "SHIFT1C", "DPIXEL1A"]) assert.equal(h.getNumber(k), 0, k);
    assert.equal(f.hdus[0].header.getString("DOPPCORR"), "OMIT", "DOPMAGT = 0");
  });
  const total = read(join(out, `${DS}_counts.fits`), (f) => sum(f.readImage("SCI").data as Float32Array) * exptime);
  assert.ok(Math.abs(total - counts) < 1e-3 * counts, `counts image holds ${total} of ${counts} counts`);

  // truth: NET in 32-column bins against the simulated source (rate × profile × the box's share of the stripe),
  // the events XFULL-shifted by the LAMPTAB's FP_PIXEL_SHIFT (calcos applies it and then records SHIFT1 0)
  const x1d = read(join(out, `${DS}_x1d.fits`), (f) => ({
    net: column(f, "SCI", "NET"),
    err: column(f, "SCI", "ERROR"),
    wgt: column(f, "SCI", "DQ_WGT"),
    lower: column(f, "SCI", "Y_LOWER_OUTER"),
  }));
  const flat = read(
    join(cosReferences(dir), readdirSync(cosReferences(dir)).find((n) => n.endsWith("_flat.fits"))!),
    (f) => Float32Array.from(f.readImage(1).data as ArrayLike<number>),
  );
  const profile = Array.from({ length: 1024 }, (_, x) => cosNuvSourceProfile(x));
  const norm = profile.reduce((a, b) => a + b, 0);
  const z: number[] = [];
  for (let s = 0; s < 3; s++) {
    const weight = (row: number) => Math.exp(-0.5 * ((row - NUV_STRIPE_ROWS[s]) / STRIPE_SIGMA) ** 2);
    const rows = Array.from({ length: 61 }, (_, k) => weight(NUV_STRIPE_ROWS[s] - 30 + k)).reduce((a, b) => a + b);
    const expected = (i: number) => {
      const x = Math.round(i - 100 + FP_PIXEL_SHIFT[s]);
      if (x < 0 || x >= 1024) return Number.NaN;
      let share = 0;
      for (let row = x1d.lower[s * 1274 + i]; row < x1d.lower[s * 1274 + i] + 17; row++)
        share += weight(row) / flat[row * 1024 + x];
      return ((SOURCE_RATE / 3) * profile[x] * share) / (norm * rows);
    };
    for (let b = 140; b + 32 <= 1100; b += 32) {
      let [net, truth, variance, good] = [0, 0, 0, true];
      for (let i = b; i < b + 32; i++) {
        good &&= x1d.wgt[s * 1274 + i] === 1 && Number.isFinite(expected(i));
        net += x1d.net[s * 1274 + i];
        truth += expected(i);
        variance += x1d.err[s * 1274 + i] ** 2;
      }
      if (good) z.push((net - truth) / Math.sqrt(variance));
    }
  }
  const meanSquare = z.reduce((a, v) => a + v * v, 0) / z.length;
  console.log(`ACCUM x1d truth: ${z.length} bins, mean z² = ${meanSquare.toFixed(3)}`);
  assert.ok(z.length >= 60, `${z.length} bins compared`);
  assert.ok(meanSquare > 0.4 && meanSquare < 2, `mean z² ${meanSquare}`);
  assert.ok(Math.max(...z.map(Math.abs)) < 4.5, "no bin off by 4.5 σ");
});

/** Rewrites the rawaccum with a changed SCI image, DQ image or headers (a FitsWriter, as a damaged raw). */
function rewriteRaw(dir: string, change: { sci?: (d: Int16Array) => void; dq?: Int16Array }) {
  const path = join(dir, RAW);
  const [headers, sci] = read(path, (f) => [
    f.hdus.map((h) => h.header.clone()),
    Int16Array.from(f.readImage("SCI").data as Int16Array),
  ]);
  change.sci?.(sci);
  const w = new FitsWriter(path);
  w.writeImage(headers[0]);
  w.writeImage(headers[1], sci, [1024, 1024]);
  w.writeConstantImage(headers[2], 0, [1024, 1024], -32);
  if (change.dq) w.writeImage(headers[3], change.dq, [1024, 1024]);
  else w.writeConstantImage(headers[3], 0, [1024, 1024], 16);
  w.close();
}

test("the raw's own DQ flags are kept in the flt, at the extended frame's offset", async () => {
  const dir = cases.workspace();
  const dq = new Int16Array(1024 * 1024);
  dq[500 * 1024 + 300] = 4;
  rewriteRaw(dir, { dq });
  assert.equal((await calcos(dir)).status, 0);
  const flt = read(join(dir, "out", `${DS}_flt.fits`), (f) => f.readImage("DQ").data as Int16Array);
  assert.equal(flt[500 * 1274 + 400] & 4, 4);
});

test("bad ACCUM input: a negative count, on-board Doppler smearing, FUV: one line naming file and cause", async () => {
  const negative = cases.workspace();
  rewriteRaw(negative, { sci: (d) => (d[3 * 1024 + 7] = -2) });
  await refused(negative, RAW, /lcos07acq_rawaccum\.fits\[SCI\]: negative count -2 at pixel x 8, y 4/);

  const doppler = cases.workspace();
  rewriteHeaders(join(doppler, RAW), (h, hdu) => {
    if (hdu.index === 1) h.set("DOPPONT", true).set("DOPMAGT", 2.5);
  });
  await refused(doppler, RAW, /lcos07acq_rawaccum\.fits\[SCI\]: DOPPCORR of an ACCUM exposure .* is not native/);

  const fuv = cases.workspace();
  rewriteHeaders(join(fuv, RAW), (h, hdu) => {
    if (hdu.index === 0) h.set("DETECTOR", "FUV");
  });
  await refused(fuv, RAW, /lcos07acq_rawaccum\.fits: DETECTOR FUV, OBSMODE ACCUM.*NUV spectroscopic ACCUM only/);
});

test("DOPPONT false with a Doppler magnitude: DOPPCORR SKIPPED, as calcos resets it", async () => {
  const dir = cases.workspace();
  rewriteHeaders(join(dir, RAW), (h, hdu) => {
    if (hdu.index === 1) h.set("DOPMAGT", 2.5);
  });
  assert.equal((await calcos(dir)).status, 0);
  const primary = read(join(dir, "out", `${DS}_flt.fits`), (f) => f.hdus[0].header);
  assert.equal(primary.getString("DOPPCORR"), "SKIPPED");
});

test("caldp-process on an ACCUM dataset: corrtag, counts, flt, x1d and its plot; input untouched", async () => {
  const { dir, config } = cases.processFolder();
  const before = sha1(join(dir, "in", RAW));
  const run = await runCliAsync("caldp-process", [DS, "file:in", "file:out", config], { cwd: dir });
  assert.equal(run.status, 0, run.stdout.slice(-2000));
  assert.equal(sha1(join(dir, "in", RAW)), before);
  const products = readdirSync(join(dir, "out", DS)).filter((f) => /_(corrtag|counts|flt|x1d)\.fits$/.test(f));
  assert.deepEqual(
    products,
    ["corrtag", "counts", "flt", "x1d"].map((s) => `${DS}_${s}.fits`),
  );
  assert.ok(readdirSync(join(dir, "out", DS, "previews")).includes(`${DS}_x1d.png`));
});
