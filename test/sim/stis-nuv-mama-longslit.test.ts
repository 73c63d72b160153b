// The STIS NUV-MAMA long-slit simulation (caldp sim o… --detector NUV-MAMA --spectroscopic): files fitsverify
// accepts, G230L rows in every table calstis reads, the TDCTAB beside the dark (cs1 scales a NUV dark by it), OM2CAT
// and no OM1CAT, a CRDS cache that selects every reference the raw names, lamp lines where the model and the MSM
// offset put them, the dark counted at the TDCTAB's rate, and reproducible raws.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { bestrefsForFile, cacheLayout, loadContext } from "../../src/crds/index.js";
import { FitsFile } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";
import { TDC } from "../../src/sim/stis-mama-reference-images.js";
import * as optics from "../../src/sim/stis-nuv-mama-longslit-model.js";
import { fitsverify } from "../helpers/astropy.js";

const scratch = mkdtempSync(join(tmpdir(), "caldp-sim-stis-nuv-ls-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
const options = { dataset: "obnn01abq", detector: "NUV-MAMA" as const, spectroscopic: true, seed: 5 };
const sim = simulateDataset({ ...options, out: join(scratch, "a") });
const raw = sim.exposures[0].raw;
const wav = join(sim.out, "obnn01abq_wav.fits");

function read(path: string) {
  const f = FitsFile.open(path);
  try {
    const image = f.readImage("SCI", { ver: 1 });
    return { primary: f.hdu(0).header, sci: f.hdu(1).header, pixels: Float64Array.from(image.data, Number) };
  } finally {
    f.close();
  }
}

test("raws, wavecal and references pass fitsverify; G230L on the NUV-MAMA, OM2CAT, a TDCTAB, no GACTAB", () => {
  const files = [raw, wav, ...Object.values(sim.references)];
  assert.deepEqual(
    files.map((f) => [f.split("/").pop(), fitsverify(f).errors]),
    files.map((f) => [f.split("/").pop(), 0]),
  );
  const science = read(raw);
  assert.deepEqual(
    ["DETECTOR", "OPT_ELEM", "CENWAVE", "APERTURE", "WAVECAL", "ATODGAIN", "DARKCORR", "DOPPCORR"].map((k) =>
      science.primary.get(k),
    ),
    ["NUV-MAMA", "G230L", 2376, "52X0.2", "obnn01abq_wav.fits", 1, "PERFORM", "OMIT"],
  );
  assert.equal(science.sci.get("OM2CAT"), optics.DETECTOR_TEMPERATURE);
  assert.equal(science.sci.get("OM1CAT"), undefined);
  assert.ok(sim.references.TDCTAB, "TDCTAB written");
  assert.equal(sim.references.GACTAB, undefined);
  for (const keyword of ["SDCTAB", "DISPTAB", "SPTRCTAB", "XTRACTAB", "PHOTTAB", "PCTAB", "TDSTAB", "LAMPTAB"]) {
    const f = FitsFile.open(sim.references[keyword]);
    const table = f.readTable(1);
    f.close();
    const cell = (name: string) => table.columns.find((c) => c.name === name)?.data[0];
    if (cell("OPT_ELEM") !== undefined) assert.equal(String(cell("OPT_ELEM")).trim(), "G230L", keyword);
    if (cell("CENWAVE") !== undefined) assert.equal(Number(cell("CENWAVE")), 2376, keyword);
  }
});

test("CRDS selects every simulated reference the raw names, the TDCTAB among them", () => {
  const layout = cacheLayout({ CRDS_PATH: sim.crds.root, CRDS_READONLY_CACHE: "1" });
  const results = bestrefsForFile(loadContext(sim.crds.context, { layout }), raw);
  const header = read(raw).primary;
  for (const [keyword, path] of Object.entries(sim.references)) {
    const name = path.split("/").pop();
    assert.equal(results[keyword.toLowerCase()], name, keyword);
    assert.equal(header.get(keyword), `oref$${name}`, keyword);
  }
});

test("lamp lines sit where the model and the MSM offset put them; the dark rows count at the TDCTAB's rate", () => {
  const lamp = read(wav);
  const profile = new Float64Array(1024);
  for (let y = 200; y < 800; y++) for (let x = 0; x < 1024; x++) profile[x] += lamp.pixels[y * 1024 + x];
  const floor = [...profile].sort((a, b) => a - b)[300];
  let lines = 0;
  for (const [wavelength] of optics.LAMP_LINES) {
    const expected = optics.pixelOf(wavelength) + optics.SHIFT_A1;
    const i = Math.round(expected);
    if (i < 8 || i > 1015) continue;
    let sum = 0;
    let moment = 0;
    for (let x = i - 7; x <= i + 7; x++) {
      sum += profile[x] - floor;
      moment += (profile[x] - floor) * x;
    }
    assert.ok(Math.abs(moment / sum - expected) < 0.1, `line ${wavelength}: ${moment / sum} vs ${expected}`);
    lines++;
  }
  assert.ok(lines >= 14, `${lines} lamp lines on the detector`);
  // rows between the slit bars and far from the trace hold sky (× the flat) and the dark, scaled as cs1 scales it:
  // the TDCTAB's rate at EXPSTART and OM2CAT over the mean of the dark's good pixels
  const science = read(raw);
  const exptime = Number(science.sci.get("EXPTIME"));
  const expstart = Number(science.sci.get("EXPSTART"));
  const dt = optics.DETECTOR_TEMPERATURE - TDC.TEMP0;
  const darkRate = TDC.A1 * Math.exp(-(expstart - TDC.DATE0) / TDC.D1) + TDC.TA + TDC.TB * dt + TDC.TC * dt * dt;
  const dark = lowRes(sim.references.DARKFILE, (a, b, c, d) => a + b + c + d);
  const flat = lowRes(sim.references.PFLTFILE, (a) => a);
  const good = dark.values.filter((_, k) => dark.dq[k] === 0);
  const scale = darkRate / (good.reduce((a, v) => a + v, 0) / good.length);
  let counted = 0;
  let expected = 0;
  for (let y = 100; y < 300; y++) {
    for (let x = 0; x < 1024; x++) {
      counted += science.pixels[y * 1024 + x];
      expected += (dark.values[y * 1024 + x] * scale + optics.SKY_RATE * flat.values[y * 1024 + x]) * exptime;
    }
  }
  assert.ok(scale > 1.5, `dark scale ${scale}`);
  assert.ok(Math.abs(counted / expected - 1) < 0.01, `${counted} counts, ${expected} expected`);
});

/** A MAMA reference image in low-res pixels: high-res (2048²) quarters combined, or a low-res image as it is. */
function lowRes(path: string, combine: (a: number, b: number, c: number, d: number) => number) {
  const f = FitsFile.open(path);
  try {
    const sci = f.readImage("SCI", { ver: 1 });
    const dq = f.readImage("DQ", { ver: 1 });
    const n = sci.axes[0]!;
    if (n === 1024) return { values: Float64Array.from(sci.data, Number), dq: Float64Array.from(dq.data, Number) };
    const values = new Float64Array(1024 * 1024);
    const flags = new Float64Array(1024 * 1024);
    for (let y = 0; y < 1024; y++) {
      for (let x = 0; x < 1024; x++) {
        const k = 2 * y * n + 2 * x;
        values[y * 1024 + x] = combine(sci.data[k]!, sci.data[k + 1]!, sci.data[k + n]!, sci.data[k + n + 1]!);
        flags[y * 1024 + x] = Number(dq.data[k]);
      }
    }
    return { values, dq: flags };
  } finally {
    f.close();
  }
}

test("the same seed gives the same raws", () => {
  const again = simulateDataset({ ...options, out: join(scratch, "b") });
  const digest = (p: string) => createHash("sha1").update(readFileSync(p)).digest("hex");
  assert.equal(digest(again.exposures[0].raw), digest(raw));
  assert.equal(digest(join(again.out, "obnn01abq_wav.fits")), digest(wav));
});
