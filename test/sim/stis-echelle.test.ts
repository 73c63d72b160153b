// The STIS FUV-MAMA echelle simulation (caldp sim o… --detector FUV-MAMA --spectroscopic --echelle): files
// fitsverify accepts, E140M rows in every table calstis reads (one per SPORDER where calstis selects by order, the
// echelle DISPTAB in m·λ), a CRDS cache that selects every reference the raw names, and counts whose orders sit
// on the traces the model and the MSM offset give, with the source's photons in each order.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { bestrefsForFile, cacheLayout, loadContext } from "../../src/crds/index.js";
import { FitsFile } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";
import { ECHELLE_EXPTIME } from "../../src/sim/stis-echelle.js";
import * as E140M from "../../src/sim/stis-echelle-model.js";
import { fitsverify } from "../helpers/astropy.js";

const scratch = mkdtempSync(join(tmpdir(), "caldp-sim-stis-echelle-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
const options = { dataset: "oe1401abq", detector: "FUV-MAMA" as const, spectroscopic: true, echelle: true, seed: 5 };
const sim = simulateDataset({ ...options, out: join(scratch, "a") });
const raw = sim.exposures[0].raw;
const wav = join(sim.out, "oe1401abq_wav.fits");

function read(path: string) {
  const f = FitsFile.open(path);
  try {
    const image = f.readImage("SCI", { ver: 1 });
    return { primary: f.hdu(0).header, sci: f.hdu(1).header, pixels: Float64Array.from(image.data, Number) };
  } finally {
    f.close();
  }
}

const column = (keyword: string, name: string) => {
  const f = FitsFile.open(sim.references[keyword]!);
  try {
    const c = f.readTable(1).columns.find((x) => x.name === name);
    return c ? Array.from(c.data as ArrayLike<unknown>) : undefined;
  } finally {
    f.close();
  }
};

test("raws, wavecal and references pass fitsverify; E140M on 0.2X0.06; one row per order where calstis selects by SPORDER", () => {
  const files = [raw, wav, ...Object.values(sim.references)];
  assert.deepEqual(
    files.map((f) => [f.split("/").pop(), fitsverify(f).errors]),
    files.map((f) => [f.split("/").pop(), 0]),
  );
  const science = read(raw).primary;
  assert.deepEqual(
    ["OPT_ELEM", "CENWAVE", "APERTURE", "APER_FOV", "SC2DCORR", "WAVECAL"].map((k) => science.get(k)),
    ["E140M", 1425, "0.2X0.06", "0.2x0.06", "OMIT", "oe1401abq_wav.fits"],
  );
  for (const keyword of ["INANGTAB", "SPTRCTAB", "SDCTAB", "XTRACTAB", "PHOTTAB"])
    assert.deepEqual(column(keyword, "SPORDER")?.map(Number), [...E140M.ORDERS], keyword);
  assert.deepEqual(column("DISPTAB", "COEFF")?.slice(0, 2), E140M.DISP_COEFF);
  assert.deepEqual(column("DISPTAB", "A4CORR"), [0]);
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

test("each order's counts sit on its trace (MSM offset included) and hold the source's photons within Poisson", () => {
  const { pixels, sci } = read(raw);
  const expstart = sci.get("EXPSTART") as number;
  const n = 1024;
  for (const order of E140M.ORDERS) {
    const rate = E140M.sourceRate(order);
    const ratios: number[] = [];
    const centroids: number[] = [];
    // 8-column bins (hot pixels of the dark map are left out by taking the median bin)
    for (let x0 = 200; x0 < 824; x0 += 8) {
      let binCounts = 0;
      let binExpected = 0;
      let moment = 0;
      for (let x = x0; x < x0 + 8; x++) {
        const centre = E140M.orderRow(order) - 1 + E140M.traceDisplacement(x) + E140M.SHIFT_A2;
        const y0 = Math.round(centre);
        for (let y = y0 - 8; y <= y0 + 8; y++) {
          const c = pixels[y * n + x]! - E140M.SKY_RATE * ECHELLE_EXPTIME;
          binCounts += c;
          moment += c * (y - centre);
        }
        binExpected += rate(E140M.wavelengthAt(order, x - E140M.SHIFT_A1), expstart) * ECHELLE_EXPTIME;
      }
      ratios.push(binCounts / binExpected);
      centroids.push(moment / binCounts);
    }
    const middle = (v: number[]) => v.sort((a, b) => a - b)[v.length >> 1]!;
    const [median, centroid] = [middle(ratios), middle(centroids)];
    // flat ~1, dark and dead time small: within 3 % (a bin's Poisson noise is ~3 %, the median's less)
    assert.ok(Math.abs(median - 1) < 0.03, `order ${order}: median counts/model ${median}`);
    assert.ok(Math.abs(centroid) < 0.05, `order ${order}: centroid ${centroid} rows off the trace`);
  }
});
