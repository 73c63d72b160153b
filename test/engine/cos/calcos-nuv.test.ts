// Native calcos on a simulated COS NUV TIME-TAG exposure (src/sim/cos-nuv.ts): what the products hold (every
// event binned once, EPSILON summed in the flt, BPIXTAB regions flagged, the GTI exposure time, out of bounds
// outside the detector), through `caldp calcos` as a real process; and bad input: missing EVENTS columns,
// events off the detector, a missing DEADTAB row or reference file, a step not native yet, TAGFLASH flashes
// without lamp lines: one line naming file, table and column or keys, exit 1 (caldp-process: 23), nothing
// written, the input untouched.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { calcos as calcosProgram } from "../../../src/engine/cos/calcos.js";
import { FitsFile, FitsWriter, Header, rewriteHeaders } from "../../../src/fits/index.js";
import { FP_PIXEL_SHIFT } from "../../../src/sim/cos-references.js";
import { simulateCosNuv } from "../../../src/sim/index.js";
import { runCliAsync } from "../../helpers/cli-async.js";
import { CosWorkspaces, refused, sha1 } from "./cos-workspaces.js";

const DS = "lcos01abq";
const RAW = `${DS}_rawtag.fits`;

const cases = new CosWorkspaces("engine", (template) => {
  simulateCosNuv({ dataset: DS, out: template, seed: 3, sourceRate: 300, backgroundRate: 30 });
});

const lref = (dir: string) => ({ lref: `${join(dir, "crds", "references", "hst")}/` });

function calcos(dir: string, ...args: string[]) {
  return runCliAsync("caldp", ["calcos", "--outdir", "out", ...args, RAW], { cwd: dir, env: lref(dir) });
}

function table(path: string, extname: string) {
  const fits = FitsFile.open(path);
  try {
    const t = fits.readTable(extname);
    return { header: fits.hdu(extname).header, column: (n: string) => t.columns.find((c) => c.name === n)!.data };
  } finally {
    fits.close();
  }
}

function image(path: string, extname: string) {
  const fits = FitsFile.open(path);
  try {
    return { data: fits.readImage(extname).data as Float32Array | Int16Array, header: fits.hdu(extname).header };
  } finally {
    fits.close();
  }
}

test("caldp calcos: corrtag, counts and flt of a NUV TIME-TAG exposure", async () => {
  const dir = cases.workspace();
  const before = sha1(join(dir, RAW));
  const run = await calcos(dir);
  assert.equal(run.status, 0, run.stderr);
  const products = [`${DS}_corrtag.fits`, `${DS}_counts.fits`, `${DS}_flt.fits`, `${DS}_x1d.fits`];
  assert.deepEqual(run.stdout.trim().split("\n"), products);
  assert.equal(sha1(join(dir, RAW)), before, "the rawtag is not modified");
  const out = join(dir, "out");
  assert.deepEqual(readdirSync(out).sort(), [`${DS}.tra`, ...products]);

  const events = table(join(out, `${DS}_corrtag.fits`), "EVENTS");
  const x = events.column("XCORR") as Float32Array;
  const y = events.column("YCORR") as Float32Array;
  const dq = events.column("DQ") as Int16Array;
  const epsilon = events.column("EPSILON") as Float32Array;
  assert.equal(events.header.getNumber("EXPTIME"), 280, "two good-time intervals of 140 s");
  // the BPIXTAB's 12 × 30 region at (300, 280) flags 4, the dead column 700–702 flags 2
  for (let k = 0; k < x.length; k++) {
    const inRegion = x[k] >= 300 && x[k] <= 311 && y[k] >= 280 && y[k] <= 309;
    assert.equal((dq[k] & 4) !== 0, inRegion, `event ${k} at (${x[k]}, ${y[k]})`);
    assert.equal((dq[k] & 2) !== 0, x[k] >= 700 && x[k] <= 702);
  }
  const exptime = 280;
  const counts = image(join(out, `${DS}_counts.fits`), "SCI").data as Float32Array;
  const flt = image(join(out, `${DS}_flt.fits`), "SCI").data as Float32Array;
  const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(sum(counts) * exptime - x.length) < 1e-3 * x.length, "every event binned once");
  assert.ok(Math.abs(sum(flt) * exptime - sum(epsilon)) < 1e-3 * x.length, "the flt sums EPSILON");
  assert.ok(Math.abs(sum(epsilon) / x.length - 1) < 0.01 && sum(epsilon) !== x.length, "flat and deadtime applied");
  const dqImage = image(join(out, `${DS}_flt.fits`), "DQ");
  const at = (col: number, row: number) => dqImage.data[row * 1274 + col];
  assert.equal(at(50, 500), 128, "left of the detector (x offset 100): out of bounds");
  assert.equal(at(1200, 500), 128, "right of it");
  assert.equal(at(100 + 305, 290), 4);
  assert.equal(at(100 + 500, 500), 0);
  const trailer = readFileSync(join(out, `${DS}.tra`), "utf8");
  assert.match(trailer, /DQICORR {3}COMPLETE/);
  assert.match(trailer, /DOPPCORR {2}COMPLETE/);
  const xcorr = events.column("XCORR") as Float32Array;
  const xdopp = events.column("XDOPP") as Float32Array;
  const xfull = events.column("XFULL") as Float32Array;
  const shifted = xdopp.filter((v, k) => v !== xcorr[k]).length;
  assert.ok(shifted > 0.9 * xcorr.length, `${shifted} of ${xcorr.length} events Doppler-shifted`);
  assert.ok(
    xdopp.every((v, k) => Math.abs(v - xcorr[k]) < 2),
    "|Doppler shift| < 2 px",
  );
  // WAVECORR without a wavecal: XFULL = XDOPP − the LAMPTAB's FP_PIXEL_SHIFT of the stripe, wavelengths filled
  const wavelength = events.column("WAVELENGTH") as Float32Array;
  const vHelio = events.header.getNumber("V_HELIO");
  assert.ok(Math.abs(vHelio) > 0.01 && Math.abs(vHelio) < 35, `V_HELIO ${vHelio} km/s`);
  assert.match(trailer, /WAVECORR {2}SKIPPED \(no wavecal/);
  let inStripe = 0;
  for (let k = 0; k < xcorr.length; k++) {
    const stripe = [180, 280, 440].findIndex((row) => Math.abs(y[k] - row) <= 9);
    if (stripe < 0) continue;
    inStripe++;
    assert.equal(xfull[k], Math.fround(xdopp[k] - FP_PIXEL_SHIFT[stripe]), `event ${k}`);
    // HELCORR: λ (1 − V_HELIO / c)
    const expected = (1786 + 38 * stripe + 0.0369 * xfull[k]) * (1 - vHelio / 299792.458);
    assert.ok(Math.abs(wavelength[k] - expected) < 1e-3, `${wavelength[k]} vs ${expected}`);
  }
  assert.ok(inStripe > 0.8 * xcorr.length);
  assert.match(trailer, /TIMETAG lcos01abq_rawtag\.fits \(wall/);
});

/** Rewrites the rawtag's EVENTS table with `edit` applied to its columns. */
function rewriteEvents(dir: string, edit: (columns: Map<string, Int16Array | Float32Array | Uint8Array>) => void) {
  const path = join(dir, RAW);
  const fits = FitsFile.open(path);
  const primary = fits.hdus[0].header.clone();
  const eventsHeader = fits.hdu("EVENTS").header.clone();
  const columns = new Map(fits.readTable("EVENTS").columns.map((c) => [c.name, c.data as Int16Array]));
  const gti = fits.readTable("GTI");
  fits.close();
  edit(columns);
  const writer = new FitsWriter(path);
  writer.writeImage(primary);
  const specs = [...columns].map(([name, data]) => ({ name, data }));
  writer.writeTable(eventsHeader, specs, specs[0].data.length);
  writer.writeTable(
    new Header().set("EXTNAME", "GTI"),
    gti.columns.map((c) => ({ name: c.name, data: c.data })),
    gti.nrows,
  );
  writer.close();
}

test("an EVENTS table without RAWY: the error names file, table and column", async () => {
  const dir = cases.workspace();
  rewriteEvents(dir, (c) => c.delete("RAWY"));
  await refused(dir, RAW, /lcos01abq_rawtag\.fits\[EVENTS\]: has no column RAWY/);
});

test("events outside the detector: the error names file, table, count and the first row", async () => {
  const dir = cases.workspace();
  rewriteEvents(dir, (c) => {
    (c.get("RAWX") as Int16Array)[10] = 1030;
    (c.get("RAWX") as Int16Array)[20] = -3;
  });
  await refused(
    dir,
    RAW,
    /lcos01abq_rawtag\.fits\[EVENTS\]: 2 event\(s\) outside the 1024x1024 NUV detector \(first at row 11: RAWX 1030/,
  );
});

test("a DEADTAB with no row for the segment: the error names the table and the keys", async () => {
  const dir = cases.workspace();
  const deadtab = readdirSync(join(dir, "crds", "references", "hst")).find((f) => f.endsWith("_dead.fits"))!;
  const path = join(dir, "crds", "references", "hst", deadtab);
  const fits = FitsFile.open(path);
  const primary = fits.hdus[0].header.clone();
  const header = fits.hdu(1).header.clone();
  fits.close();
  const writer = new FitsWriter(path);
  writer.writeImage(primary);
  writer.writeTable(
    header,
    [
      { name: "SEGMENT", format: "4A", data: [] as string[] },
      { name: "OBS_RATE", format: "1E", data: new Float32Array(0) },
      { name: "LIVETIME", format: "1E", data: new Float32Array(0) },
    ],
    0,
  );
  writer.close();
  await refused(dir, RAW, new RegExp(`DEADTAB ${deadtab}\\[1\\]: no row for SEGMENT='N/A'`));
});

test("no XTRACTAB row for the OPT_ELEM/CENWAVE, no DISPTAB row for the FPOFFSET: table and keys named", async () => {
  const dir = cases.workspace();
  rewriteHeaders(join(dir, RAW), (h, hdu) => {
    if (hdu.index === 0) h.set("CENWAVE", 1921);
  });
  await refused(
    dir,
    RAW,
    /XTRACTAB \w+_1dx\.fits\[1\]: no row for OPT_ELEM='G185M', CENWAVE=1921, SEGMENT='NUVA', APERTURE='PSA'/,
  );
  const other = cases.workspace();
  rewriteHeaders(join(other, RAW), (h, hdu) => {
    if (hdu.index === 0) h.set("FPOFFSET", 1);
  });
  await refused(
    other,
    RAW,
    /DISPTAB \w+_disp\.fits\[1\]: no row for OPT_ELEM='G185M', CENWAVE=1850, SEGMENT='NUVA', APERTURE='PSA', FPOFFSET=1/,
  );
});

test("a reference file that does not exist, a step not native yet: one line naming keyword or switch", async () => {
  const dir = cases.workspace();
  rewriteHeaders(join(dir, RAW), (h, hdu) => {
    if (hdu.index === 0) h.set("FLATFILE", "lref$nosuch_flat.fits");
  });
  await refused(dir, RAW, /FLATFILE = 'lref\$nosuch_flat\.fits': .*nosuch_flat\.fits does not exist/);
  const other = cases.workspace();
  rewriteHeaders(join(other, RAW), (h, hdu) => {
    if (hdu.index === 0) h.set("BRSTCORR", "PERFORM");
  });
  await refused(other, RAW, /lcos01abq_rawtag\.fits: BRSTCORR = PERFORM is not native yet/);
});

test("caldp-process on a COS dataset whose rawtag lacks RAWY: exit 23 with the error, no product", async () => {
  const { dir, config } = cases.processFolder();
  rewriteEvents(join(dir, "in"), (c) => c.delete("RAWY"));
  const before = sha1(join(dir, "in", RAW));
  const run = await runCliAsync("caldp-process", [DS, "file:in", "file:out", config], { cwd: dir });
  assert.equal(run.status, 23, run.stdout.slice(-2000));
  const log = readFileSync(join(dir, "out", DS, "logs", "process.txt"), "utf8");
  assert.match(log, /lcos01abq_rawtag\.fits\[EVENTS\]: has no column RAWY/);
  assert.equal(sha1(join(dir, "in", RAW)), before);
  assert.deepEqual(
    readdirSync(join(dir, "out", DS)).filter((f) => /_(corrtag|counts|flt)\.fits$/.test(f)),
    [],
  );
});

test("BADTCORR = PERFORM with BADTTAB = N/A is SKIPPED as calcos does; with a BADTTAB it is not native yet", async () => {
  const dir = cases.workspace();
  rewriteHeaders(join(dir, RAW), (h, hdu) => {
    if (hdu.index === 0) h.set("BADTCORR", "PERFORM").set("BADTTAB", "N/A");
  });
  const log: string[] = [];
  const result = await calcosProgram([RAW], { dir, env: lref(dir), log: (l) => log.push(l), workers: 1 });
  assert.deepEqual(result.outputs, [`${DS}_corrtag.fits`, `${DS}_counts.fits`, `${DS}_flt.fits`, `${DS}_x1d.fits`]);
  assert.match(readFileSync(join(dir, `${DS}.tra`), "utf8"), /BADTCORR {2}SKIPPED \(BADTTAB = N\/A\)/);
  const primary = FitsFile.open(join(dir, `${DS}_flt.fits`));
  assert.equal(primary.hdus[0].header.getString("BADTCORR"), "SKIPPED");
  primary.close();
  rewriteHeaders(join(dir, RAW), (h, hdu) => {
    if (hdu.index === 0) h.set("BADTTAB", "lref$x_badt.fits");
  });
  await assert.rejects(
    calcosProgram([RAW], { dir, env: lref(dir), log: () => {}, workers: 1 }),
    /lcos01abq_rawtag\.fits: BADTCORR = PERFORM is not native yet/,
  );
});

test("TAGFLASH flashes commanded but no lamp lines in the events: one line naming file, table and keys", async () => {
  const dir = cases.workspace();
  rewriteHeaders(join(dir, RAW), (h, hdu) => {
    if (hdu.index === 0) h.set("TAGFLASH", "AUTO");
    if (hdu.name === "EVENTS") h.set("NUMFLASH", 1).set("LMP_ON1", 20).set("LMPOFF1", 32).set("LMPDUR1", 12);
  });
  // noise in the wavecal rows passes for a flash (as in calcos); no stripe shows the LAMPTAB's lines
  await refused(
    dir,
    RAW,
    /lcos01abq_rawtag\.fits\[EVENTS\]: (lamp flash [\d.]+-[\d.]+ s has no lamp lines matching LAMPTAB \w+_lamp\.fits \(OPT_ELEM=G185M, CENWAVE=1850, FPOFFSET=0\) in any stripe|NUMFLASH = 1 lamp flash\(es\) commanded)/,
  );
});

test("no events: calcos' null products (empty corrtag, images without data, switches left PERFORM)", async () => {
  const dir = cases.workspace();
  rewriteEvents(dir, (c) => {
    for (const [name, data] of c) c.set(name, data.subarray(0, 0));
  });
  const result = await calcosProgram([RAW], { dir, env: lref(dir), log: () => {}, workers: 1 });
  assert.equal(result.outputs.length, 4, "corrtag, counts, flt and the row-less x1d");
  const flt = FitsFile.open(join(dir, `${DS}_flt.fits`));
  assert.deepEqual(
    flt.hdus.map((h) => [h.name, h.axes.length]),
    [
      ["PRIMARY", 0],
      ["SCI", 0],
      ["ERR", 0],
      ["DQ", 0],
    ],
  );
  assert.equal(flt.hdus[0].header.getString("DQICORR"), "PERFORM");
  flt.close();
  assert.equal(table(join(dir, `${DS}_corrtag.fits`), "EVENTS").header.getInt("NAXIS2"), 0);
  assert.match(readFileSync(join(dir, `${DS}.tra`), "utf8"), /Warning: No data in lcos01abq_rawtag\.fits/);
});
