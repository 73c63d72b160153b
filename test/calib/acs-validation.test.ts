/**
 * Validation of the native calacs on simulated ACS/HRC CR-SPLIT associations against the simulator's truth
 * (issue 5), and on the three real ACS/HRC raws of the shared data with synthetic references.
 *
 * Good pixels: DQ = 0 and not a pixel the truth lists for that exposure as a cosmic ray or saturated, nor a
 * hot pixel or bad column; the end pixel of a bleed trail (the vertical neighbour of a saturated pixel)
 * is excluded with the saturated ones, since it holds bled charge that is not in the scene.
 *
 * The noise model σ of a pixel (e, before the flat): sqrt(truth·flat·t + dark·DARKTIME + RN² + gain²/12).
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { calacs } from "../../src/engine/acs/calacs.js";
import { FitsFile, rewriteHeaders } from "../../src/fits/index.js";
import { detectorModel } from "../../src/sim/detectors.js";
import { Random, type SimulatedDataset, simulateDataset } from "../../src/sim/index.js";
import { makeChipMaps } from "../../src/sim/maps.js";
import { writeCcdReferences } from "../../src/sim/references-ccd.js";
import { fitsverify } from "../helpers/astropy.js";
import { HST_DATA } from "../helpers/paths.js";

const CR = 8192;

async function simulateAndCalibrate(exposures: number, seed: number): Promise<SimulatedDataset> {
  const out = mkdtempSync(join(tmpdir(), `caldp-acs-validation-${exposures}-`));
  const sim = simulateDataset({ dataset: "j8cb010b0", out, detector: "HRC", exposures, seed });
  const env = { jref: `${sim.referenceDir}/` };
  await calacs([`${sim.dataset}_asn.fits`], { dir: out, env, log: () => {}, workers: 2 });
  return sim;
}

const runs = new Map<number, Promise<SimulatedDataset>>();
const run = (exposures: number, seed: number) => {
  if (!runs.has(exposures)) runs.set(exposures, simulateAndCalibrate(exposures, seed));
  return runs.get(exposures)!;
};

function image<T>(path: string, name: string, ver = 1): T {
  const file = FitsFile.open(path);
  try {
    return file.readImage(name, { ver }).data as T;
  } finally {
    file.close();
  }
}

function primary(path: string) {
  const file = FitsFile.open(path);
  try {
    return { primary: file.hdus[0].header, sci: file.hdu("SCI", 1).header };
  } finally {
    file.close();
  }
}

/** What the simulator put into one chip of the single-chip HRC: maps, truth and per-exposure events. */
function chipTruth(sim: SimulatedDataset) {
  const chip = sim.model.chips[0];
  const amp = chip.amps[0];
  const { sciNx: nx, sciNy: ny } = chip;
  const reference = (kind: string, ext: string) => image<Float32Array>(sim.references[kind], ext);
  const badinpdq = (() => {
    const file = FitsFile.open(sim.references.CRREJTAB);
    const column = file.readTable(1).columns.find((c) => c.name === "BADINPDQ")!;
    file.close();
    return Number((column.data as Int16Array)[0]);
  })();
  const deposits = sim.exposures.map((e) => {
    const d = new Float32Array(nx * ny);
    const list = e.cosmicRays[chip.ccdchip];
    for (let k = 0; k < list.x.length; k++) d[list.y[k] * nx + list.x[k]] += list.value[k];
    return d;
  });
  const fixedDefects = new Uint8Array(nx * ny);
  for (const p of sim.hotPixels[chip.ccdchip]) fixedDefects[p.y * nx + p.x] = 1;
  for (const x of sim.badColumns[chip.ccdchip]) for (let y = 0; y < ny; y++) fixedDefects[y * nx + x] = 1;
  return {
    nx,
    ny,
    readNoise: amp.readNoise,
    gain: amp.gain,
    bias: amp.bias * amp.gain,
    rate: image<Float32Array>(sim.truth, "SCI"),
    flat: reference("PFLTFILE", "SCI"),
    flatErr: reference("PFLTFILE", "ERR")[0],
    dark: reference("DARKFILE", "SCI"),
    darkErr: reference("DARKFILE", "ERR")[0],
    biasErr: reference("BIASFILE", "ERR")[0] * amp.gain,
    badinpdq,
    deposits,
    fixedDefects,
  };
}

type ChipTruth = ReturnType<typeof chipTruth>;

/** The good-pixel mask of exposure k (see the file comment). */
function goodPixels(sim: SimulatedDataset, truth: ChipTruth, k: number, dq: Uint16Array): Uint8Array {
  const { nx, ny } = truth;
  const good = new Uint8Array(nx * ny);
  for (let i = 0; i < good.length; i++)
    good[i] = dq[i] === 0 && !truth.fixedDefects[i] && !truth.deposits[k][i] ? 1 : 0;
  const saturated = sim.exposures[k].saturated[sim.model.chips[0].ccdchip];
  for (let s = 0; s < saturated.x.length; s++) {
    for (let dy = -1; dy <= 1; dy++) {
      const y = saturated.y[s] + dy;
      if (y >= 0 && y < ny) good[y * nx + saturated.x[s]] = 0;
    }
  }
  return good;
}

/** Gaussian quadrature nodes on ±6σ (trapezoid rule, exact to ~1e-9 for smooth integrands). */
const NODES = Array.from({ length: 61 }, (_, k) => -6 + k * 0.2);
const WEIGHTS = (() => {
  const w = NODES.map((z) => Math.exp((-z * z) / 2));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / total);
})();

interface ResidualStatistics {
  n: number;
  /** (SCI − truth·t)/ERR: mean, rms, and the mean expected from how ERR is computed. */
  mean: number;
  rms: number;
  expectedMean: number;
  /** (SCI − truth·t)/σ_model. */
  modelMean: number;
  modelRms: number;
  /** ERR / σ_model, mean. */
  errRatio: number;
}

/**
 * CALACS computes ERR from the measured counts, ERR² = max(SCI, 0) + RN² (+ reference terms), so ERR is
 * larger where the noise went up: E[(SCI − truth)/ERR] ≈ −1/(2σ) (−0.09 at HRC's sky of 8 e⁻). The expected
 * mean integrates that ERR over the Gaussian noise of each pixel, with the reference-file ERR terms.
 */
function fltResiduals(path: string, truth: ChipTruth, good: Uint8Array): ResidualStatistics {
  const { primary: header } = primary(path);
  const exptime = header.getNumber("EXPTIME");
  const darktime = header.getNumber("DARKTIME");
  const sci = image<Float32Array>(path, "SCI");
  const err = image<Float32Array>(path, "ERR");
  const rn2 = truth.readNoise ** 2;
  const fixed2 = rn2 + truth.biasErr ** 2 + (truth.darkErr * darktime) ** 2;
  const quantisation = truth.gain ** 2 / 12;
  let n = 0;
  let sum = 0;
  let sum2 = 0;
  let expected = 0;
  let modelSum = 0;
  let modelSum2 = 0;
  let ratio = 0;
  for (let i = 0; i < sci.length; i++) {
    if (!good[i]) continue;
    const flat = truth.flat[i];
    const scene = truth.rate[i] * exptime;
    const darkCharge = truth.dark[i] * darktime;
    const mean = scene * flat + darkCharge;
    const sigma = Math.sqrt(Math.max(mean, 0) + rn2 + quantisation);
    const r = (sci[i] - scene) / err[i];
    const model = ((sci[i] - scene) * flat) / sigma;
    n++;
    sum += r;
    sum2 += r * r;
    modelSum += model;
    modelSum2 += model * model;
    ratio += (err[i] * flat) / sigma;
    let e = 0;
    for (let q = 0; q < NODES.length; q++) {
      const counts = mean + sigma * NODES[q];
      const afterDark = counts - darkCharge;
      const errFlat = Math.sqrt(Math.max(counts, 0) + fixed2 + ((truth.flatErr * afterDark) / flat) ** 2);
      e += (WEIGHTS[q] * (afterDark - scene * flat)) / errFlat;
    }
    expected += e;
  }
  return {
    n,
    mean: sum / n,
    rms: Math.sqrt(sum2 / n),
    expectedMean: expected / n,
    modelMean: modelSum / n,
    modelRms: Math.sqrt(modelSum2 / n),
    errRatio: ratio / n,
  };
}

const fmt = (s: ResidualStatistics) =>
  `n=${s.n} (SCI−truth)/ERR mean ${s.mean.toFixed(4)} (expected ${s.expectedMean.toFixed(4)}) rms ${s.rms.toFixed(4)}; ` +
  `/σ_model mean ${s.modelMean.toFixed(4)} rms ${s.modelRms.toFixed(4)}; ERR/σ_model ${s.errRatio.toFixed(4)}`;

test("calibrated HRC flt files recover the noiseless scene within ERR", async (t) => {
  const sim = await run(2, 3);
  const truth = chipTruth(sim);
  for (const [k, exposure] of sim.exposures.entries()) {
    const path = join(sim.out, `${exposure.rootname}_flt.fits`);
    const s = fltResiduals(path, truth, goodPixels(sim, truth, k, image<Uint16Array>(path, "DQ")));
    const meanblev = primary(path).sci.getNumber("MEANBLEV");
    // CALACS's overscan level against the simulator's bias level (e⁻ and in units of the read noise).
    const offset = meanblev - truth.bias;
    t.diagnostic(`${exposure.rootname}: ${fmt(s)}; MEANBLEV − true bias ${offset.toFixed(3)} e⁻`);
    assert.ok(s.n > 0.97 * truth.nx * truth.ny, `${s.n} good pixels`);
    // SCI is unbiased and scatters as the noise model says.
    assert.ok(Math.abs(s.modelMean) < 0.02, fmt(s));
    assert.ok(Math.abs(s.modelRms - 1) < 0.05, fmt(s));
    // ERR has the right size, and (SCI − truth)/ERR has rms 1 and the mean its definition implies.
    assert.ok(Math.abs(s.errRatio - 1) < 0.01, fmt(s));
    assert.ok(Math.abs(s.rms - 1) < 0.05, fmt(s));
    assert.ok(Math.abs(s.mean - s.expectedMean) < 0.02, fmt(s));
    // The overscan level (a line fit to row medians) within 0.1 DN of the true bias; 0.1 DN would shift
    // the mean residual by 0.04.
    assert.ok(Math.abs(offset) < 0.1 * truth.gain, `MEANBLEV off by ${offset} e⁻`);
  }
});

interface CrCounts {
  /** Injected deposits above 5σ in pixels the rejection judges, and how many carry 8192. */
  strong: number;
  flagged: number;
  /** Judged pixels without an injected cosmic ray, and how many carry 8192. */
  clean: number;
  falsePositives: number;
  /** 8192 on pixels the input DQ keeps out of the rejection (bad columns: see the report). */
  flaggedUnjudged: number;
}

/**
 * The members' DQ after CRMASK against the injected cosmic rays. A pixel hit above 5σ in every input
 * cannot be told from the others in the members (INITGUES=minimum keeps the smaller deposit): it is
 * counted in the crj check instead.
 */
function memberCrCounts(sim: SimulatedDataset, truth: ChipTruth, k: number, strongEverywhere: Uint8Array): CrCounts {
  const path = join(sim.out, `${sim.exposures[k].rootname}_flt.fits`);
  const dq = image<Uint16Array>(path, "DQ");
  const counts: CrCounts = { strong: 0, flagged: 0, clean: 0, falsePositives: 0, flaggedUnjudged: 0 };
  const deposits = truth.deposits[k];
  const sigma = noiseSigma(path, truth);
  for (let i = 0; i < dq.length; i++) {
    const flagged = (dq[i] & CR) !== 0;
    if ((dq[i] & truth.badinpdq) !== 0) {
      if (flagged) counts.flaggedUnjudged++;
    } else if (deposits[i] === 0) {
      counts.clean++;
      if (flagged) counts.falsePositives++;
    } else if (deposits[i] > 5 * sigma(i) && !strongEverywhere[i]) {
      counts.strong++;
      if (flagged) counts.flagged++;
    }
  }
  return counts;
}

/** σ (e⁻) of a pixel of the exposure in `path`, without cosmic rays (the file comment's noise model). */
function noiseSigma(path: string, truth: ChipTruth): (i: number) => number {
  const header = primary(path).primary;
  const exptime = header.getNumber("EXPTIME");
  const darktime = header.getNumber("DARKTIME");
  const fixed = truth.readNoise ** 2 + truth.gain ** 2 / 12;
  return (i) => Math.sqrt(truth.rate[i] * truth.flat[i] * exptime + truth.dark[i] * darktime + fixed);
}

function strongInEveryInput(sim: SimulatedDataset, truth: ChipTruth): Uint8Array {
  const every = new Uint8Array(truth.nx * truth.ny).fill(1);
  sim.exposures.forEach((e, k) => {
    const sigma = noiseSigma(join(sim.out, `${e.rootname}_flt.fits`), truth);
    for (let i = 0; i < every.length; i++) if (!(truth.deposits[k][i] > 5 * sigma(i))) every[i] = 0;
  });
  return every;
}

async function checkCrSplit(t: { diagnostic: (s: string) => void }, exposures: number, seed: number) {
  const sim = await run(exposures, seed);
  const truth = chipTruth(sim);
  const everywhere = strongInEveryInput(sim, truth);
  const memberDq = sim.exposures.map((e) => image<Uint16Array>(join(sim.out, `${e.rootname}_flt.fits`), "DQ"));
  for (let k = 0; k < exposures; k++) {
    const c = memberCrCounts(sim, truth, k, everywhere);
    const detected = c.flagged / c.strong;
    const falseRate = c.falsePositives / c.clean;
    t.diagnostic(
      `${sim.exposures[k].rootname}: ${c.flagged}/${c.strong} cosmic-ray pixels above 5σ flagged (${(100 * detected).toFixed(2)}%), ` +
        `${c.falsePositives} of ${c.clean} clean pixels flagged (${(100 * falseRate).toFixed(3)}%), ` +
        `${c.flaggedUnjudged} flagged pixels outside the rejection (input DQ & BADINPDQ)`,
    );
    assert.ok(detected >= 0.99, `detected ${detected}`);
    assert.ok(falseRate < 0.001, `false positives ${falseRate}`);
  }

  // crj: 8192 exactly where every member was rejected; the pixels every input hit keep a cosmic ray.
  const crjPath = join(sim.out, `${sim.product}_crj.fits`);
  const crjDq = image<Uint16Array>(crjPath, "DQ");
  const crjSci = image<Float32Array>(crjPath, "SCI");
  const crjErr = image<Float32Array>(crjPath, "ERR");
  const total = primary(crjPath).primary.getNumber("EXPTIME");
  let mismatches = 0;
  let hitEverywhere = 0;
  let hitEverywhereFlagged = 0;
  let partlyHit = 0;
  let partlyHitClean = 0;
  for (let i = 0; i < crjDq.length; i++) {
    const allRejected = memberDq.every((dq) => (dq[i] & CR) !== 0);
    if (allRejected !== ((crjDq[i] & CR) !== 0)) mismatches++;
    if (everywhere[i]) {
      hitEverywhere++;
      if (crjDq[i] & CR) hitEverywhereFlagged++;
      continue;
    }
    const hits = truth.deposits.filter((d) => d[i] > 0).length;
    const judged = memberDq.every((dq) => (dq[i] & truth.badinpdq) === 0);
    if (hits === 0 || !judged || (crjDq[i] & CR) !== 0) continue;
    partlyHit++;
    if (Math.abs(crjSci[i] - truth.rate[i] * total) < 5 * crjErr[i]) partlyHitClean++;
  }
  t.diagnostic(
    `${sim.product}_crj: ${partlyHitClean}/${partlyHit} pixels with a cosmic ray in some inputs within 5·ERR of the truth; ` +
      `${hitEverywhereFlagged}/${hitEverywhere} pixels hit above 5σ in every input flagged 8192`,
  );
  assert.equal(mismatches, 0, "crj 8192 where not every member was rejected, or the reverse");
  assert.ok(partlyHitClean >= 0.99 * partlyHit, `${partlyHitClean}/${partlyHit} clean`);
}

test("a 2-exposure HRC CR-SPLIT: cosmic rays flagged in the flt files, removed in the crj", async (t) => {
  await checkCrSplit(t, 2, 3);
});

test("a 4-exposure HRC CR-SPLIT: cosmic rays flagged in the flt files, removed in the crj", async (t) => {
  await checkCrSplit(t, 4, 5);
});

/** Writes the simulator's HRC references for the raw's filters and points a temporary copy of the raw at them. */
function prepareRealRaw(name: string, seed: number): { dir: string; env: { jref: string } } {
  const dir = mkdtempSync(join(tmpdir(), `caldp-acs-real-${name}-`));
  const refs = join(dir, "refs");
  mkdirSync(refs);
  const raw = join(dir, `${name}_raw.fits`);
  copyFileSync(join(HST_DATA, `${name}_raw.fits`), raw);
  const header = primary(raw).primary;
  // The simulator's HRC: amp C, CCDGAIN 2, CCDOFST 3, the 1062 × 1044 raw layout of these files.
  const model = detectorModel("ACS", "HRC");
  assert.equal(header.get("CCDAMP"), model.ccdamp);
  assert.equal(header.getNumber("CCDGAIN"), model.ccdgain);
  assert.equal(header.getNumber("CCDOFSTC"), 3);
  const maps = model.chips.map((chip) => makeChipMaps(model, chip, new Random(seed).fork(`maps/${chip.ccdchip}`)));
  const spectralElements = { FILTER1: String(header.get("FILTER1")), FILTER2: String(header.get("FILTER2")) };
  const written = writeCcdReferences({ model, maps, seed, dir: refs, spectralElements, aperture: "HRC" });
  rewriteHeaders(raw, (h, hdu) => {
    if (hdu.index === 0) for (const r of written) h.set(r.filekind.toUpperCase(), `jref$${r.name}`);
  });
  return { dir, env: { jref: `${refs}/` } };
}

/** Median of the bias-subtracted bias columns (DN; a one-amp readout uses both sections), about BLEVCORR's level. */
/** The synthetic OSCNTAB's BIASSECTA (4–17) and BIASSECTB (1046–1061), 0-based. */
const BIAS_COLUMNS = [
  ...Array.from({ length: 14 }, (_, k) => 3 + k),
  ...Array.from({ length: 16 }, (_, k) => 1045 + k),
];

function overscanMedian(raw: string, bias: string): number {
  const file = FitsFile.open(raw);
  const { data, axes } = file.readImage("SCI", { ver: 1 });
  file.close();
  const structure = image<Float32Array>(bias, "SCI");
  const values: number[] = [];
  for (let y = 0; y < axes[1]; y++) {
    for (const x of BIAS_COLUMNS) values.push(Number(data[y * axes[0] + x]) - structure[y * axes[0] + x]);
  }
  values.sort((a, b) => a - b);
  return values[values.length >> 1];
}

for (const [k, name] of ["j8bt05njq", "j8bt06o6q", "j8bt09jcq"].entries()) {
  test(`the real HRC raw ${name} calibrates with synthetic references`, async (t) => {
    const { dir, env } = prepareRealRaw(name, k + 1);
    const result = await calacs([`${name}_raw.fits`], { dir, env, log: () => {}, workers: 2 });
    assert.deepEqual(result.outputs, [`${name}_flt.fits`]);
    const flt = join(dir, `${name}_flt.fits`);
    const verdict = fitsverify(flt);
    assert.equal(verdict.errors, 0, verdict.report);
    const { primary: p, sci } = primary(flt);
    for (const sw of ["DQICORR", "BIASCORR", "BLEVCORR", "DARKCORR", "FLATCORR", "PHOTCORR", "EXPSCORR"])
      assert.equal(p.get(sw), "COMPLETE", sw);
    const stats = ["MEANBLEV", "NGOODPIX", "GOODMIN", "GOODMAX", "GOODMEAN", "SNRMIN", "SNRMAX", "SNRMEAN"];
    t.diagnostic(stats.map((s) => `${s}=${sci.get(s)}`).join(" "));
    const gain = p.getNumber("ATODGNC");
    const readNoise = p.getNumber("READNSEC");
    assert.equal(gain, Math.fround(2.216));
    const level = overscanMedian(join(HST_DATA, `${name}_raw.fits`), biasFile(env.jref, p));
    assert.ok(Math.abs(sci.getNumber("MEANBLEV") / gain - level) < 0.5, `MEANBLEV ${sci.get("MEANBLEV")}, ${level} DN`);
    assert.ok(sci.getInt("NGOODPIX") > 0.98 * 1024 * 1024);
    assert.ok(sci.getNumber("GOODMIN") > -6 * readNoise && sci.getNumber("GOODMIN") < 0);
    assert.ok(sci.getNumber("GOODMEAN") > 0 && sci.getNumber("GOODMAX") > 100 * readNoise);
    assert.ok(sci.getNumber("SNRMIN") > -6 && sci.getNumber("SNRMEAN") > 0);
    assert.ok(sci.getNumber("SNRMAX") < Math.sqrt(sci.getNumber("GOODMAX")) * 1.1);
    assert.match(String(sci.get("PHOTMODE")), new RegExp(`^ACS HRC ${spectral(p)} MJD#`));
  });
}

const biasFile = (jref: string, p: { get: (k: string) => unknown }) =>
  join(jref, String(p.get("BIASFILE")).replace("jref$", ""));

const spectral = (p: { get: (k: string) => unknown }) =>
  [p.get("FILTER1"), p.get("FILTER2")].filter((f) => !String(f).startsWith("CLEAR")).join(" ");
