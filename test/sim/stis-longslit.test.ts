// The STIS/CCD long-slit simulation (caldp sim o… --spectroscopic): files fitsverify accepts, tables with the
// columns and the row calstis looks up, a CRDS cache from which bestrefs selects every reference the raw names,
// and raws whose lamp lines, slit bars and source trace sit where the model and the MSM offset put them.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { bestrefsForFile, cacheLayout, loadContext } from "../../src/crds/index.js";
import { FitsFile } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";
import * as optics from "../../src/sim/stis-longslit-model.js";
import { fitsverify } from "../helpers/astropy.js";

const scratch = mkdtempSync(join(tmpdir(), "caldp-sim-stis-ls-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
const sim = simulateDataset({ dataset: "o8ss01010", out: join(scratch, "a"), spectroscopic: true, seed: 3 });
const raw = sim.exposures[0].raw;
const wav = join(sim.out, "o8ss01010_wav.fits");

function primaryOf(path: string) {
  const f = FitsFile.open(path);
  try {
    return f.hdu(0).header;
  } finally {
    f.close();
  }
}

/** Science pixels (1024²) of image set 1, less the bias level read in the leading serial overscan. */
function sciencePixels(path: string): Float64Array {
  const f = FitsFile.open(path);
  const image = f.readImage("SCI", { ver: 1 });
  f.close();
  const [nx] = image.axes;
  const out = new Float64Array(1024 * 1024);
  const prescan: number[] = [];
  for (let y = 20; y < 1044; y++) for (let x = 2; x < 17; x++) prescan.push(Number(image.data[y * nx + x]));
  prescan.sort((a, b) => a - b);
  const bias = prescan[prescan.length >> 1];
  for (let y = 0; y < 1024; y++) {
    for (let x = 0; x < 1024; x++) out[y * 1024 + x] = Number(image.data[(y + 20) * nx + x + 19]) - bias;
  }
  return out;
}

/** Columns calstis reads from each table (hstcal cs4/cs6/cs7 get*.c) and the row keys it matches. */
const COLUMNS: Record<string, string[]> = {
  WCPTAB: ["DETECTOR", "OPT_ELEM", "WL_TRIM1", "WL_TRIM2", "SP_TRIM1", "SP_TRIM2", "WL_RANGE", "SP_RANGE"],
  LAMPTAB: ["OPT_ELEM", "SCLAMP", "LAMPSET", "NELEM", "WAVELENGTH", "FLUX"],
  APDESTAB: ["APERTURE", "WIDTH1", "WIDTH2", "ANGLE", "OFFSET1", "OFFSET2", "NBARS", "BAR1LOCN", "BAR1WIDTH"],
  DISPTAB: ["OPT_ELEM", "CENWAVE", "A2CENTER", "REF_APER", "NCOEFF", "COEFF"],
  INANGTAB: ["OPT_ELEM", "CENWAVE", "SPORDER", "NCOEFF1", "COEFF1", "NCOEFF2", "COEFF2"],
  SPTRCTAB: ["OPT_ELEM", "CENWAVE", "SPORDER", "A1CENTER", "A2CENTER", "NELEM", "A2DISPL", "MJD", "DEGPERYR"],
  SDCTAB: ["OPT_ELEM", "CENWAVE", "SPORDER", "A2CENTER", "NPIX1", "NPIX2", "CRPIX1", "CRVAL1", "CDELT1", "CDELT2"],
  XTRACTAB: ["APERTURE", "OPT_ELEM", "CENWAVE", "SPORDER", "EXTRSIZE", "BK1SIZE", "BK1OFFST", "BKTCOEFF", "XTRACALG"],
  PHOTTAB: ["OPT_ELEM", "CENWAVE", "SPORDER", "NELEM", "WAVELENGTH", "THROUGHPUT", "ERROR"],
  APERTAB: ["APERTURE", "NELEM", "WAVELENGTH", "THROUGHPUT"],
  PCTAB: ["APERTURE", "CENWAVE", "EXTRHEIGHT", "NELEM", "WAVELENGTH", "THROUGHPUT"],
  TDSTAB: ["OPT_ELEM", "NWL", "NT", "WAVELENGTH", "TIME", "SLOPE"],
  GACTAB: ["OPT_ELEM", "CENWAVE", "APERTURE", "NELEM", "WAVELENGTH", "THROUGHPUT"],
};

test("raws, wavecal and references pass fitsverify; the raws say SPECTROSCOPIC, the wavecal has its lamp on", () => {
  const files = [raw, wav, ...Object.values(sim.references)];
  assert.deepEqual(
    files.map((f) => [f.split("/").pop(), fitsverify(f).errors]),
    files.map((f) => [f.split("/").pop(), 0]),
  );
  const science = primaryOf(raw);
  const lamp = primaryOf(wav);
  assert.deepEqual(
    ["OBSTYPE", "OPT_ELEM", "CENWAVE", "APERTURE", "CRSPLIT", "WAVECAL", "SCLAMP"].map((k) => science.get(k)),
    ["SPECTROSCOPIC", "G430L", 4300, "52X0.2", 2, "o8ss01010_wav.fits", "NONE"],
  );
  assert.deepEqual(
    ["OBSTYPE", "SCLAMP", "LAMPSET", "CRSPLIT", "HELCORR", "X2DCORR"].map((k) => lamp.get(k)),
    ["SPECTROSCOPIC", "LINE", "10", 1, "OMIT", "PERFORM"],
  );
});

test("every table holds the columns calstis reads and a row for G430L/4300/52X0.2", () => {
  for (const [keyword, columns] of Object.entries(COLUMNS)) {
    const f = FitsFile.open(sim.references[keyword]);
    const table = f.readTable(1);
    f.close();
    const names = table.columns.map((c) => c.name);
    for (const c of columns) assert.ok(names.includes(c), `${keyword} lacks ${c}`);
    const cell = (name: string) => table.columns.find((c) => c.name === name)?.data[0];
    if (names.includes("OPT_ELEM")) assert.equal(String(cell("OPT_ELEM")).trim(), "G430L", keyword);
    if (names.includes("CENWAVE")) assert.equal(Number(cell("CENWAVE")), 4300, keyword);
    if (names.includes("APERTURE")) assert.equal(String(cell("APERTURE")).trim(), "52X0.2", keyword);
  }
  const pct = FitsFile.open(sim.references.PCTAB);
  assert.equal(pct.hdu(1).header.get("MAXHGHT"), 600);
  pct.close();
});

test("CRDS selects every simulated reference the raw names from the simulated cache", () => {
  const layout = cacheLayout({ CRDS_PATH: sim.crds.root, CRDS_READONLY_CACHE: "1" });
  const results = bestrefsForFile(loadContext(sim.crds.context, { layout }), raw);
  const header = primaryOf(raw);
  for (const [keyword, path] of Object.entries(sim.references)) {
    const name = path.split("/").pop();
    assert.equal(results[keyword.toLowerCase()], name, keyword);
    assert.equal(header.get(keyword), `oref$${name}`, keyword);
  }
});

test("wavecal lines, slit bars and the source trace sit where the model and the MSM offset put them", () => {
  const lamp = sciencePixels(wav);
  const profile = new Float64Array(1024);
  for (let x = 0; x < 1024; x++) {
    const column = Array.from({ length: 200 }, (_, k) => lamp[(400 + k) * 1024 + x]).sort((a, b) => a - b);
    profile[x] = column[100];
  }
  const floor = [...profile].sort((a, b) => a - b)[512];
  for (const [wavelength] of optics.LAMP_LINES) {
    const expected = optics.pixelOf(wavelength) + optics.SHIFT_A1;
    const i = Math.round(expected);
    let sum = 0;
    let moment = 0;
    for (let x = i - 5; x <= i + 5; x++) {
      sum += profile[x] - floor;
      moment += (profile[x] - floor) * x;
    }
    assert.ok(Math.abs(moment / sum - expected) < 0.03, `line ${wavelength}: ${moment / sum} vs ${expected}`);
  }
  // the first bar: a row of the wavecal that gets no lamp light
  const barRow = Math.round(optics.TRACE.a2center - 1 + optics.SHIFT_A2 + optics.SLIT.bars[0] / optics.PLATE_SCALE);
  const x0 = Math.round(optics.pixelOf(4764.9) + optics.SHIFT_A1);
  assert.ok(lamp[barRow * 1024 + x0] < 0.05 * lamp[(barRow + 40) * 1024 + x0]);

  const science = sciencePixels(raw);
  for (const x of [100, 512, 900]) {
    const centre = optics.TRACE.a2center - 1 + optics.traceDisplacement(x) + optics.SHIFT_A2;
    let sum = 0;
    let moment = 0;
    for (let y = Math.round(centre) - 8; y <= Math.round(centre) + 8; y++) {
      sum += science[y * 1024 + x];
      moment += science[y * 1024 + x] * y;
    }
    assert.ok(Math.abs(moment / sum - centre) < 0.1, `column ${x}: trace at ${moment / sum}, model ${centre}`);
  }
});

test("the truth lists the source's flux at each column's wavelength; the same seed gives the same raws", () => {
  const f = FitsFile.open(sim.truth);
  const table = f.readTable("SPECTRUM");
  const header = f.hdu("SPECTRUM").header;
  f.close();
  const column = (n: string) => table.columns.find((c) => c.name === n)!.data as Float64Array;
  assert.equal(header.get("SHIFTA1"), optics.SHIFT_A1);
  assert.equal(header.get("SHIFTA2"), optics.SHIFT_A2);
  for (const x of [0, 300, 1023]) {
    assert.ok(Math.abs(optics.pixelOf(column("WAVELENGTH")[x]) + optics.SHIFT_A1 - x) < 1e-9);
    assert.equal(column("FLUX")[x], optics.sourceFlux(column("WAVELENGTH")[x]));
  }
  const again = simulateDataset({ dataset: "o8ss01010", out: join(scratch, "b"), spectroscopic: true, seed: 3 });
  const digest = (p: string) => createHash("sha1").update(readFileSync(p)).digest("hex");
  assert.equal(digest(again.exposures[0].raw), digest(raw));
  assert.equal(digest(join(again.out, "o8ss01010_wav.fits")), digest(wav));
});

test("a single exposure has CRCORR and EXPSCORR off; spectroscopy of another instrument or detector is refused", () => {
  const single = simulateDataset({ dataset: "o8ss01abq", out: join(scratch, "c"), spectroscopic: true, seed: 3 });
  const header = primaryOf(single.exposures[0].raw);
  assert.deepEqual(
    ["CRSPLIT", "NEXTEND", "CRCORR", "EXPSCORR", "X1DCORR"].map((k) => header.get(k)),
    [1, 3, "OMIT", "OMIT", "PERFORM"],
  );
  for (const [dataset, detector] of [
    ["j8ss01010", undefined],
    ["o8ss01010", "UVIS"],
  ] as const) {
    const out = join(scratch, `refused-${dataset}`);
    assert.throws(
      () => simulateDataset({ dataset, out, detector, spectroscopic: true }),
      /spectroscopy is simulated for STIS\/CCD, FUV-MAMA and NUV-MAMA only/,
    );
    assert.equal(existsSync(out), false, `${out} written`);
  }
});
