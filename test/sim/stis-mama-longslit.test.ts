// The STIS FUV-MAMA long-slit simulation (caldp sim o… --detector FUV-MAMA --spectroscopic): files fitsverify
// accepts, G140L rows in every table calstis reads (and no GACTAB, as CRDS gives a MAMA none), a CRDS cache
// that selects every reference the raw names, photon counts whose lamp lines and trace sit where the model and
// the MSM offset put them, a global rate below the MLINTAB limit, and a reproducible truth.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { bestrefsForFile, cacheLayout, loadContext } from "../../src/crds/index.js";
import { FitsFile } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";
import * as optics from "../../src/sim/stis-mama-longslit-model.js";
import { STIS_MAMA_LINEARITY } from "../../src/sim/stis-mama-references.js";
import { fitsverify } from "../helpers/astropy.js";

const scratch = mkdtempSync(join(tmpdir(), "caldp-sim-stis-mama-ls-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
const options = { dataset: "obmm01abq", detector: "FUV-MAMA" as const, spectroscopic: true, seed: 5 };
const sim = simulateDataset({ ...options, out: join(scratch, "a") });
const raw = sim.exposures[0].raw;
const wav = join(sim.out, "obmm01abq_wav.fits");

function read(path: string) {
  const f = FitsFile.open(path);
  try {
    const image = f.readImage("SCI", { ver: 1 });
    return { primary: f.hdu(0).header, sci: f.hdu(1).header, pixels: Float64Array.from(image.data, Number) };
  } finally {
    f.close();
  }
}

test("raws, wavecal and references pass fitsverify; G140L on the FUV-MAMA, ATODGAIN 1, OM1CAT, no GACTAB", () => {
  const files = [raw, wav, ...Object.values(sim.references)];
  assert.deepEqual(
    files.map((f) => [f.split("/").pop(), fitsverify(f).errors]),
    files.map((f) => [f.split("/").pop(), 0]),
  );
  const science = read(raw);
  assert.deepEqual(
    ["DETECTOR", "OBSTYPE", "OPT_ELEM", "CENWAVE", "APERTURE", "WAVECAL", "ATODGAIN", "CRCORR", "DOPPCORR"].map((k) =>
      science.primary.get(k),
    ),
    ["FUV-MAMA", "SPECTROSCOPIC", "G140L", 1425, "52X0.2", "obmm01abq_wav.fits", 1, "OMIT", "OMIT"],
  );
  assert.equal(science.sci.get("OM1CAT"), optics.DETECTOR_TEMPERATURE);
  assert.deepEqual(science.sci.get("NAXIS1"), 1024);
  const lamp = read(wav).primary;
  assert.deepEqual(
    ["SCLAMP", "LAMPSET", "X1DCORR", "X2DCORR"].map((k) => lamp.get(k)),
    ["LINE", "18", "OMIT", "PERFORM"],
  );
  assert.equal(sim.references.GACTAB, undefined);
  assert.equal(science.primary.get("GACTAB"), "N/A");
  for (const keyword of ["SDCTAB", "DISPTAB", "SPTRCTAB", "XTRACTAB", "PHOTTAB", "PCTAB", "TDSTAB", "LAMPTAB"]) {
    const f = FitsFile.open(sim.references[keyword]);
    const table = f.readTable(1);
    f.close();
    const cell = (name: string) => table.columns.find((c) => c.name === name)?.data[0];
    if (cell("OPT_ELEM") !== undefined) assert.equal(String(cell("OPT_ELEM")).trim(), "G140L", keyword);
    if (cell("CENWAVE") !== undefined) assert.equal(Number(cell("CENWAVE")), 1425, keyword);
  }
});

test("CRDS selects every simulated reference the raw names from the simulated cache", () => {
  const layout = cacheLayout({ CRDS_PATH: sim.crds.root, CRDS_READONLY_CACHE: "1" });
  const results = bestrefsForFile(loadContext(sim.crds.context, { layout }), raw);
  const header = read(raw).primary;
  for (const [keyword, path] of Object.entries(sim.references)) {
    const name = path.split("/").pop();
    assert.equal(results[keyword.toLowerCase()], name, keyword);
    assert.equal(header.get(keyword), `oref$${name}`, keyword);
  }
});

test("lamp lines and the source trace sit where the model and the MSM offset put them; rates under the limit", () => {
  const lamp = read(wav);
  const profile = new Float64Array(1024);
  for (let y = 200; y < 800; y++) for (let x = 0; x < 1024; x++) profile[x] += lamp.pixels[y * 1024 + x];
  const floor = [...profile].sort((a, b) => a - b)[300];
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
  }
  const science = read(raw);
  for (const x of [100, 512, 900]) {
    const centre = optics.TRACE.a2center - 1 + optics.traceDisplacement(x) + optics.SHIFT_A2;
    let sum = 0;
    let moment = 0;
    for (let y = Math.round(centre) - 8; y <= Math.round(centre) + 8; y++) {
      sum += science.pixels[y * 1024 + x];
      moment += science.pixels[y * 1024 + x] * y;
    }
    assert.ok(Math.abs(moment / sum - centre) < 0.15, `column ${x}: trace at ${moment / sum}, model ${centre}`);
  }
  const limit = STIS_MAMA_LINEARITY.find((r) => r.DETECTOR === "FUV-MAMA")!.GLOBAL_LIMIT;
  for (const file of [science, lamp]) {
    const globrate = Number(file.sci.get("GLOBRATE"));
    const counted = file.pixels.reduce((a, b) => a + b, 0) / Number(file.sci.get("EXPTIME"));
    assert.ok(globrate < limit / 5, `GLOBRATE ${globrate}`);
    assert.ok(Math.abs(counted / globrate - 1) < 0.01, `counted ${counted} c/s, GLOBRATE ${globrate}`);
  }
});

test("the truth lists the source's flux at each column's wavelength; the same seed gives the same raws", () => {
  const f = FitsFile.open(sim.truth);
  const table = f.readTable("SPECTRUM");
  const header = f.hdu("SPECTRUM").header;
  f.close();
  const column = (n: string) => table.columns.find((c) => c.name === n)!.data as Float64Array;
  assert.equal(header.get("SHIFTA1"), optics.SHIFT_A1);
  for (const x of [0, 300, 1023]) {
    assert.ok(Math.abs(optics.pixelOf(column("WAVELENGTH")[x]) + optics.SHIFT_A1 - x) < 1e-9);
    assert.equal(column("FLUX")[x], optics.sourceFlux(column("WAVELENGTH")[x]));
  }
  const wavelengths = column("WAVELENGTH");
  assert.ok(wavelengths[0] > 1110 && wavelengths[1023] < 1740, `${wavelengths[0]}–${wavelengths[1023]} Å`);
  const again = simulateDataset({ ...options, out: join(scratch, "b") });
  const digest = (p: string) => createHash("sha1").update(readFileSync(p)).digest("hex");
  assert.equal(digest(again.exposures[0].raw), digest(raw));
  assert.equal(digest(join(again.out, "obmm01abq_wav.fits")), digest(wav));
});
