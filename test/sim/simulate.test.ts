// The dataset simulator: determinism, valid FITS, CRDS selection of the simulated references, and raw
// pixels statistically consistent with the detector model (read back through the reference files).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { bestrefsForFile, cacheLayout, loadContext, readServerConfig, referencePath } from "../../src/crds/index.js";
import { FitsFile, verifyFile } from "../../src/fits/index.js";
import { crdsMappingChecksum } from "../../src/sim/crds-cache.js";
import { type SimulatedDataset, simulateDataset } from "../../src/sim/index.js";
import { astropyDump, fitsverify } from "../helpers/astropy.js";
import { CRDS_DATA } from "../helpers/paths.js";

const scratch = mkdtempSync(join(tmpdir(), "caldp-sim-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .sort();
}

const digest = (path: string) => createHash("sha1").update(readFileSync(path)).digest("hex");

const hrc = simulateDataset({ dataset: "j8bt05njq", detector: "HRC", out: join(scratch, "hrc"), seed: 11 });

test("the same seed writes the same bytes; another seed writes other pixels", () => {
  const again = simulateDataset({ dataset: "j8bt05njq", detector: "HRC", out: join(scratch, "hrc-again"), seed: 11 });
  const first = filesUnder(hrc.out);
  const second = filesUnder(again.out);
  assert.deepEqual(
    first.map((f) => f.slice(hrc.out.length)),
    second.map((f) => f.slice(again.out.length)),
  );
  for (let i = 0; i < first.length; i++) assert.equal(digest(first[i]), digest(second[i]), first[i]);
  const other = simulateDataset({ dataset: "j8bt05njq", detector: "HRC", out: join(scratch, "hrc-other"), seed: 12 });
  assert.notEqual(digest(other.exposures[0].raw), digest(hrc.exposures[0].raw));
});

function readSci(
  path: string,
  extver = 1,
): { data: Float64Array; nx: number; ny: number; header: FitsFile["hdus"][number]["header"] } {
  const fits = FitsFile.open(path);
  try {
    const hdu = fits.hdu("SCI", extver);
    const image = fits.readImage(hdu);
    const [nx, ny] = [hdu.header.getInt("NAXIS1"), hdu.header.getInt("NAXIS2")];
    return { data: Float64Array.from(image.data as ArrayLike<number>), nx, ny, header: hdu.header };
  } finally {
    fits.close();
  }
}

test("HRC raw: overscan = bias level within 4 σ/√N; sky after bias, gain and dark = truth × exptime within 4 σ/√N", () => {
  const model = hrc.model;
  const chip = model.chips[0];
  const amp = chip.amps[0];
  const raw = readSci(hrc.exposures[0].raw);
  const bias = readSci(hrc.references.BIASFILE);
  const dark = readSci(hrc.references.DARKFILE);
  const flat = readSci(hrc.references.PFLTFILE);
  const truth = readSci(hrc.truth);
  assert.equal(raw.nx, 1062);
  assert.equal(raw.ny, 1044);
  assert.equal(raw.header.getNumber("LTV1"), 19);

  // Prescan columns 2..16 of the illuminated rows: DN - bias structure ~ N(level, (rn/gain)²).
  let sum = 0;
  let n = 0;
  for (let y = 0; y < chip.sciNy; y++) {
    for (let x = 2; x < 17; x++) {
      sum += raw.data[y * raw.nx + x] - bias.data[y * raw.nx + x];
      n++;
    }
  }
  const sigma = Math.hypot(amp.readNoise / amp.gain, 1 / Math.sqrt(12));
  assert.ok(Math.abs(sum / n - amp.bias) < (4 * sigma) / Math.sqrt(n), `overscan ${sum / n} vs ${amp.bias}`);

  // Sky-only pixels: (DN - level - bias) × gain - dark × t = rate × flat × t, Poisson + read noise.
  const exptime = 300;
  const crHit = new Set<number>();
  const cr = hrc.exposures[0].cosmicRays[1];
  for (let i = 0; i < cr.x.length; i++) crHit.add(cr.y[i] * chip.sciNx + cr.x[i]);
  const skip = new Set(hrc.badColumns[1]);
  let residual = 0;
  let variance = 0;
  let count = 0;
  for (let y = 0; y < chip.sciNy; y++) {
    for (let x = 0; x < chip.sciNx; x++) {
      const s = y * chip.sciNx + x;
      if (truth.data[s] > model.sky * 1.001 || crHit.has(s) || skip.has(x) || dark.data[s] > 0.08) continue;
      const r = (y + 0) * raw.nx + x + 19;
      const electrons = (raw.data[r] - amp.bias - bias.data[r]) * amp.gain - dark.data[s] * exptime;
      const expected = truth.data[s] * flat.data[s] * exptime;
      residual += electrons - expected;
      variance += expected + dark.data[s] * exptime + amp.readNoise ** 2 + amp.gain ** 2 / 12;
      count++;
    }
  }
  assert.ok(count > 100000, `${count} sky pixels`);
  assert.ok(
    Math.abs(residual / count) < (4 * Math.sqrt(variance / count)) / Math.sqrt(count),
    `sky residual ${residual / count}`,
  );

  // Cosmic-ray pixels stand out: DN above the noiseless model by > 5 σ wherever the deposit is > 8 σ.
  let tested = 0;
  for (let i = 0; i < cr.x.length; i++) {
    const s = cr.y[i] * chip.sciNx + cr.x[i];
    const mean = truth.data[s] * flat.data[s] * exptime + dark.data[s] * exptime;
    const noise = Math.sqrt(mean + amp.readNoise ** 2);
    if (cr.value[i] < 8 * noise || mean + cr.value[i] > model.fullWell * 0.9) continue;
    const r = cr.y[i] * raw.nx + cr.x[i] + 19;
    const excess = (raw.data[r] - amp.bias - bias.data[r]) * amp.gain - mean;
    assert.ok(excess > 5 * noise, `CR at ${cr.x[i]},${cr.y[i]}: ${excess} e- vs σ ${noise}`);
    tested++;
  }
  assert.ok(tested > 100, `${tested} cosmic-ray pixels tested`);

  // Saturated pixels read at full well / gain above the bias, or at the A-to-D limit (HRC's full well
  // exceeds 65535 DN at gain 2).
  const sat = hrc.exposures[0].saturated[1];
  assert.ok(sat.x.length > 0, "some pixels saturate");
  for (let i = 0; i < sat.x.length; i += 7) {
    const r = sat.y[i] * raw.nx + sat.x[i] + 19;
    if (raw.data[r] === model.atodsat) continue;
    const electrons = (raw.data[r] - amp.bias - bias.data[r]) * amp.gain;
    assert.ok(Math.abs(electrons - model.fullWell) < 6 * amp.readNoise + amp.gain, `saturated ${electrons}`);
  }
});

const wfc = simulateDataset({ dataset: "j8cb010b0", out: join(scratch, "wfc"), exposures: 2, seed: 3 });

test("ACS/WFC CR-SPLIT: association table, imset layout, chips and amplifiers as calibration.md §1, §2.4, §7 describe", () => {
  assert.equal(wfc.detector, "WFC");
  assert.equal(wfc.product, "j8cb010b1");
  assert.deepEqual(
    wfc.exposures.map((e) => e.rootname),
    ["j8cb01a1q", "j8cb01a2q"],
  );
  const asn = FitsFile.open(wfc.asn!);
  const table = asn.readTable(1);
  asn.close();
  const column = (name: string) => table.columns.find((c) => c.name === name)!.data;
  assert.deepEqual(column("MEMNAME"), ["J8CB01A1Q", "J8CB01A2Q", "J8CB010B1"]);
  assert.deepEqual(column("MEMTYPE"), ["EXP-CRJ", "EXP-CRJ", "PROD-CRJ"]);
  assert.deepEqual(column("MEMPRSNT"), [true, true, true]);

  const fits = FitsFile.open(wfc.exposures[0].raw);
  const primary = fits.hdus[0].header;
  assert.equal(primary.getInt("NEXTEND"), 6);
  assert.equal(primary.getString("CRCORR"), "PERFORM");
  assert.equal(primary.getString("ASN_TAB"), "j8cb010b0_asn.fits");
  assert.equal(primary.getString("ASN_MTYP"), "EXP-CRJ");
  assert.deepEqual(
    fits.hdus.slice(1).map((h) => `${h.name},${h.ver}:${h.header.getInt("CCDCHIP")}`),
    ["SCI,1:2", "ERR,1:2", "DQ,1:2", "SCI,2:1", "ERR,2:1", "DQ,2:1"],
  );
  const sci1 = fits.hdu("SCI", 1).header;
  const sci2 = fits.hdu("SCI", 2).header;
  assert.deepEqual(
    [sci1.getInt("NAXIS1"), sci1.getInt("NAXIS2"), sci1.getNumber("LTV1"), sci1.getNumber("LTV2")],
    [4144, 2068, 24, 0],
  );
  assert.deepEqual([sci2.getNumber("LTV1"), sci2.getNumber("LTV2")], [24, 20]);
  assert.equal(fits.hdu("ERR", 1).header.getNumber("PIXVALUE"), 0);
  assert.equal(fits.hdu("DQ", 2).header.getInt("NPIX1"), 4144);
  fits.close();

  // Each amplifier's prescan sits at its own bias level (chip 2: C left, D right).
  const raw = readSci(wfc.exposures[0].raw, 1);
  const bias = readSci(wfc.references.BIASFILE, 1);
  for (const amp of wfc.model.chips[0].amps) {
    const x0 = amp.amp === "C" ? 3 : 4144 - 20;
    let sum = 0;
    let n = 0;
    for (let y = 0; y < 2048; y++)
      for (let x = x0; x < x0 + 16; x++) {
        sum += raw.data[y * 4144 + x] - bias.data[y * 4144 + x];
        n++;
      }
    const sigma = Math.hypot(amp.readNoise / amp.gain, 1 / Math.sqrt(12));
    assert.ok(Math.abs(sum / n - amp.bias) < (4 * sigma) / Math.sqrt(n), `amp ${amp.amp}: ${sum / n} vs ${amp.bias}`);
  }
});

const uvis = simulateDataset({ dataset: "ib4606c50", out: join(scratch, "uvis"), exposures: 2, seed: 5 });
const ir = simulateDataset({ dataset: "ib4606cpq", detector: "IR", out: join(scratch, "ir"), seed: 5, nsamp: 4 });
const stis = simulateDataset({ dataset: "o4er06010", out: join(scratch, "stis"), exposures: 3, seed: 5 });
const all: SimulatedDataset[] = [hrc, wfc, uvis, ir, stis];

test("CRDS selects exactly the simulated references for every simulated raw, from the simulated cache", () => {
  for (const sim of all) {
    const layout = cacheLayout({ CRDS_PATH: sim.crds.root, CRDS_READONLY_CACHE: "1" });
    assert.equal(readServerConfig(layout).operational_context, sim.crds.context);
    const context = loadContext(sim.crds.context, { layout });
    for (const exposure of sim.exposures) {
      const results = bestrefsForFile(context, exposure.raw);
      const header = FitsFile.open(exposure.raw);
      const primary = header.hdus[0].header;
      header.close();
      for (const [filekind, result] of Object.entries(results)) {
        const keyword = filekind.toUpperCase();
        const path = sim.references[keyword];
        const written = primary.getString(keyword, "");
        if (path && written !== "N/A") {
          assert.equal(result, path.split("/").pop(), `${sim.dataset} ${filekind}`);
          assert.equal(written, `${sim.model.refPrefix}${result}`);
          assert.equal(referencePath(layout, String(result)), path);
        } else {
          assert.equal(result, "NOT FOUND n/a", `${sim.dataset} ${filekind}: ${result}`);
        }
      }
      const simulated = Object.keys(sim.references).filter((k) => primary.getString(k, "N/A") !== "N/A");
      assert.ok(simulated.length >= 6, `${sim.dataset}: ${simulated}`);
    }
  }
});

test("mapping checksums are computed as CRDS does (checked on the real hst_0729 mappings)", () => {
  const dir = join(CRDS_DATA, "mappings", "hst");
  for (const name of readdirSync(dir).slice(0, 40)) {
    const text = readFileSync(join(dir, name), "utf8");
    const recorded = /'sha1sum' : '([0-9a-f]{40})'/.exec(text)?.[1];
    assert.equal(crdsMappingChecksum(text), recorded, name);
  }
});

test("every written file passes our verifier and fitsverify with 0 errors, and astropy reads it", () => {
  const files = all.flatMap((sim) => filesUnder(sim.out).filter((f) => f.endsWith(".fits")));
  for (const file of files) {
    assert.deepEqual(
      verifyFile(file).filter((p) => p.severity === "error"),
      [],
      file,
    );
    const verdict = fitsverify(file);
    assert.equal(verdict.errors, 0, verdict.report);
  }
  const small = files.filter((f) => !f.includes("/wfc/") && !f.includes("/uvis/"));
  const dump = astropyDump(small);
  for (const file of small) assert.ok(dump[file].length >= 2, file);
  const raw = dump[hrc.exposures[0].raw];
  assert.deepEqual(
    raw.map((h) => `${h.name}:${JSON.stringify(h.dims)}`),
    ["PRIMARY:[]", "SCI:[1062,1044]", "ERR:[]", "DQ:[]"],
  );
});

test("WFC3/IR: NSAMP+1 imsets of SCI, ERR, DQ, SAMP, TIME, last read first; jumps listed with their read", () => {
  const fits = FitsFile.open(ir.exposures[0].raw);
  const primary = fits.hdus[0].header;
  assert.equal(primary.getInt("NSAMP"), 5);
  assert.equal(primary.getInt("NEXTEND"), 25);
  assert.deepEqual(
    fits.hdus.slice(1, 6).map((h) => h.name),
    ["SCI", "ERR", "DQ", "SAMP", "TIME"],
  );
  const times = [1, 2, 3, 4, 5].map((v) => fits.hdu("SCI", v).header.getNumber("SAMPTIME"));
  assert.deepEqual(times, [77.932, 52.932, 27.932, 2.932, 0]);
  fits.close();
  const last = readSci(ir.exposures[0].raw, 1);
  const zero = readSci(ir.exposures[0].raw, 5);
  const jumps = ir.exposures[0].cosmicRays[1];
  const reads = ir.exposures[0].jumpReads![1];
  assert.equal(jumps.x.length, reads.length);
  let big = 0;
  for (let i = 0; i < jumps.x.length; i++) {
    if (jumps.value[i] < 5000) continue;
    const r = (jumps.y[i] + 5) * 1024 + jumps.x[i] + 5;
    assert.ok(last.data[r] - zero.data[r] > 5000 / 2.5 / 1.2, `jump at read ${reads[i]}`);
    big++;
  }
  assert.ok(big > 10);
});
