/**
 * Post-SM4 ACS/WFC end to end (calibration.md §2.5 path B): `caldp sim --epoch post-sm4` writes a DS_INT
 * gain-2 full frame whose analog signal carries per-amp bias levels, row stripes common to the four amps,
 * cross-talk and the bias shift (src/sim/acs-post-sm4.ts); `caldp-process` calibrates it with the native
 * engine, and the flt is checked against the simulator's truth.
 *
 * Good pixels and the noise model σ are those of acs-validation.test.ts: DQ = 0, no injected cosmic ray,
 * hot pixel, bad column or saturation trail; σ² = truth·flat·t + dark·DARKTIME + RN² + gain²/12 (e, before
 * the flat), with RN and gain of the amp that read the column.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import { FitsFile, type Header } from "../../src/fits/index.js";
import { CROSS_TALK, STRIPE_RMS } from "../../src/sim/acs-post-sm4.js";
import { type SimulatedDataset, simulateDataset } from "../../src/sim/index.js";
import { fitsverify } from "../helpers/astropy.js";
import { runCliAsync } from "../helpers/cli-async.js";

const DATASET = "jb5t01ejq";

interface ChipData {
  ccdchip: number;
  nx: number;
  ny: number;
  sci: Float32Array;
  err: Float32Array;
  dq: Uint16Array;
  header: Header;
  /** Expected electrons (scene × EXPTIME), flat, dark rate. */
  scene: Float64Array;
  flat: Float32Array;
  dark: Float32Array;
  good: Uint8Array;
}

function readByChip(path: string, name: string, ccdchip: number) {
  const fits = FitsFile.open(path);
  try {
    const hdu = fits.hdus.find((h) => h.name === name && h.header.getInt("CCDCHIP", 1) === ccdchip);
    if (!hdu) throw new Error(`${path} has no ${name} for CCDCHIP ${ccdchip}`);
    return { data: fits.readImage(hdu).data, header: hdu.header };
  } finally {
    fits.close();
  }
}

function chipData(sim: SimulatedDataset, flt: string, ccdchip: number, exptime: number): ChipData {
  const sci = readByChip(flt, "SCI", ccdchip);
  const err = readByChip(flt, "ERR", ccdchip).data as Float32Array;
  const dqRaw = readByChip(flt, "DQ", ccdchip).data as Int16Array;
  const dq = new Uint16Array(dqRaw.buffer, dqRaw.byteOffset, dqRaw.length);
  const rate = readByChip(sim.truth, "SCI", ccdchip).data as Float32Array;
  const flat = readByChip(sim.references.PFLTFILE, "SCI", ccdchip).data as Float32Array;
  const dark = readByChip(sim.references.DARKFILE, "SCI", ccdchip).data as Float32Array;
  const layout = sim.model.chips.find((c) => c.ccdchip === ccdchip)!;
  const { sciNx: nx, sciNy: ny } = layout;
  const good = new Uint8Array(nx * ny);
  for (let i = 0; i < good.length; i++) good[i] = dq[i] === 0 ? 1 : 0;
  const exposure = sim.exposures[0];
  const cr = exposure.cosmicRays[ccdchip];
  for (let k = 0; k < cr.x.length; k++) good[cr.y[k] * nx + cr.x[k]] = 0;
  const saturated = exposure.saturated[ccdchip];
  for (let k = 0; k < saturated.x.length; k++) {
    for (let dy = -1; dy <= 1; dy++) {
      const y = saturated.y[k] + dy;
      if (y >= 0 && y < ny) good[y * nx + saturated.x[k]] = 0;
    }
  }
  for (const p of sim.hotPixels[ccdchip]) good[p.y * nx + p.x] = 0;
  for (const x of sim.badColumns[ccdchip]) for (let y = 0; y < ny; y++) good[y * nx + x] = 0;
  const scene = Float64Array.from(rate, (r) => r * exptime);
  return { ccdchip, nx, ny, sci: sci.data as Float32Array, err, dq, header: sci.header, scene, flat, dark, good };
}

async function simulateAndProcess(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), "caldp-acs-postsm4-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const sim = simulateDataset({ dataset: DATASET, out: join(dir, "in"), epoch: "post-sm4", seed: 5 });
  const config = join(dir, "sim.cfg");
  writeFileSync(config, `CRDS_PATH=${sim.crds.root}\nCRDS_READONLY_CACHE=1\n`);
  const run = await runCliAsync("caldp-process", [DATASET, "file:in", "file:out", config], { cwd: dir });
  return { sim, run, flt: join(dir, "out", DATASET, `${DATASET}_flt.fits`) };
}

test("post-SM4 WFC: caldp-process recovers the truth within ERR, the stripes and cross-talk are gone", async (t) => {
  const { sim, run, flt } = await simulateAndProcess(t);
  assert.equal(run.status, 0, run.stdout.slice(-3000) + run.stderr);
  assert.equal(fitsverify(flt).errors, 0);

  // The raw carries the stripes: prescan row means of amp C (DN × gain) scatter by about STRIPE_RMS.
  const raw = readByChip(sim.exposures[0].raw, "SCI", 2).data as Uint16Array;
  const ampC = sim.model.chips.find((c) => c.ccdchip === 2)!.amps[0];
  const prescanMeans = Array.from({ length: 2048 }, (_, y) => {
    let sum = 0;
    for (let x = 0; x < 24; x++) sum += raw[y * 4144 + x];
    return (sum / 24) * ampC.gain;
  });
  const prescanMean = prescanMeans.reduce((a, b) => a + b, 0) / prescanMeans.length;
  const rawStripes = Math.sqrt(prescanMeans.reduce((a, b) => a + (b - prescanMean) ** 2, 0) / prescanMeans.length);
  t.diagnostic(`raw prescan row means of amp C scatter by ${rawStripes.toFixed(3)} e`);
  assert.ok(rawStripes > 0.8 * STRIPE_RMS, `raw stripes ${rawStripes} e`);

  const fits = FitsFile.open(flt);
  const primary = fits.hdus[0].header;
  fits.close();
  const exptime = primary.getNumber("EXPTIME");
  const darktime = primary.getNumber("DARKTIME");
  assert.equal(primary.get("BLEVCORR"), "COMPLETE");
  const history = primary.cards.filter((c) => c.keyword === "HISTORY").map((c) => String(c.value ?? c.comment));
  const joined = history.join("\n");
  assert.match(joined, /DESTRIPE: number of rows fixed per amp: \d+\nDESTRIPE: number of rows skipped per amp: \d+/);
  assert.match(joined, /BLEVCORR complete; bias level from overscan was subtracted\./);
  assert.match(joined, /BLEVCORR does not include correction for drift along lines\./);

  // BIASLEV: the bias-shift (magic square) level plus the destripe level ≈ the simulated level in e.
  for (const chip of sim.model.chips) {
    for (const amp of chip.amps) {
      const biaslev = primary.getNumber(`BIASLEV${amp.amp}`);
      const level = amp.bias * amp.gain;
      t.diagnostic(`BIASLEV${amp.amp} ${biaslev.toFixed(3)} e, simulated level ${level.toFixed(3)} e`);
      assert.ok(Math.abs(biaslev - level) < 1, `BIASLEV${amp.amp} ${biaslev} vs ${level}`);
    }
  }

  let n = 0;
  let modelSum = 0;
  let modelSum2 = 0;
  let errSum2 = 0;
  let ratio = 0;
  let rowSum2 = 0;
  let rows = 0;
  let rowFloor = 0;
  let ghostResidual = 0;
  let ghostExpected = 0;
  let ghostVariance = 0;
  let ghosts = 0;
  for (const ccdchip of [1, 2]) {
    const c = chipData(sim, flt, ccdchip, exptime);
    const meanblev = c.header.getNumber("MEANBLEV");
    t.diagnostic(`chip ${ccdchip}: MEANBLEV ${meanblev.toFixed(4)} e (mean of the two destripe levels)`);
    assert.ok(Math.abs(meanblev) < 1, `MEANBLEV ${meanblev}: the bias-shift level is not in it`);
    const amps = sim.model.chips.find((x) => x.ccdchip === ccdchip)!.amps;
    for (let y = 0; y < c.ny; y++) {
      let rowSum = 0;
      let rowVariance = 0;
      let rowN = 0;
      for (let x = 0; x < c.nx; x++) {
        const i = y * c.nx + x;
        if (!c.good[i]) continue;
        const amp = x < amps[0].sciWidth ? amps[0] : amps[1];
        const flat = c.flat[i];
        const variance =
          Math.max(c.scene[i] * flat + c.dark[i] * darktime, 0) + amp.readNoise ** 2 + amp.gain ** 2 / 12;
        const sigma = Math.sqrt(variance);
        const residual = c.sci[i] - c.scene[i];
        const model = (residual * flat) / sigma;
        n++;
        modelSum += model;
        modelSum2 += model * model;
        errSum2 += (residual / c.err[i]) ** 2;
        ratio += (c.err[i] * flat) / sigma;
        rowSum += residual;
        rowVariance += variance / (flat * flat);
        rowN++;
        // The pixel mirrored across the row was read at the same time by the other amp.
        const mirror = c.scene[y * c.nx + c.nx - 1 - x];
        if (mirror > 20000) {
          ghostResidual += residual * flat;
          ghostExpected += CROSS_TALK * mirror;
          ghostVariance += variance;
          ghosts++;
        }
      }
      if (rowN < 1000) continue;
      const rowMean = rowSum / rowN;
      rowSum2 += rowMean * rowMean;
      // Pixel noise of the row mean, and the destripe's own: read noise of 4 amps × 24 prescan pixels.
      rowFloor += rowVariance / (rowN * rowN) + (amps[0].readNoise ** 2 + amps[1].readNoise ** 2) / 2 / 96;
      rows++;
    }
  }
  const modelMean = modelSum / n;
  const modelRms = Math.sqrt(modelSum2 / n);
  const errRms = Math.sqrt(errSum2 / n);
  const errRatio = ratio / n;
  const rowRms = Math.sqrt(rowSum2 / rows);
  const floor = Math.sqrt(rowFloor / rows);
  const summary =
    `n=${n} (SCI−truth)/σ_model mean ${modelMean.toFixed(4)} rms ${modelRms.toFixed(4)}; (SCI−truth)/ERR rms ` +
    `${errRms.toFixed(4)}; ERR/σ_model ${errRatio.toFixed(4)}; row-mean rms ${rowRms.toFixed(3)} e over ${rows} rows ` +
    `(noise floor ${floor.toFixed(3)} e, injected stripes ${STRIPE_RMS} e rms)`;
  t.diagnostic(summary);
  assert.ok(n > 0.97 * 2 * 4096 * 2048, `${n} good pixels`);
  assert.ok(Math.abs(modelMean) < 0.02, summary);
  assert.ok(Math.abs(modelRms - 1) < 0.05, summary);
  assert.ok(Math.abs(errRatio - 1) < 0.01, summary);
  assert.ok(Math.abs(errRms - 1) < 0.05, summary);
  // Stripes: what is left of them is the destripe's measurement noise.
  assert.ok(rowRms < 0.15 * STRIPE_RMS, summary);
  assert.ok(rowRms < 1.5 * floor, summary);

  // Cross-talk: pixels facing a bright one show no ghost (−9.1e-5 × the mirror had been injected).
  const ghost = ghostExpected / ghosts;
  const ghostMean = ghostResidual / ghosts;
  const ghostError = Math.sqrt(ghostVariance) / ghosts;
  const ghostLine = `${ghosts} pixels facing > 20000 e: mean residual ${ghostMean.toFixed(3)} ± ${ghostError.toFixed(3)} e, injected ghost −${ghost.toFixed(3)} e`;
  t.diagnostic(ghostLine);
  assert.ok(ghost > 5 * ghostError, `too few bright pixels to see the cross-talk: ${ghostLine}`);
  assert.ok(Math.abs(ghostMean) < 4 * ghostError + 0.1 * ghost, ghostLine);
});
