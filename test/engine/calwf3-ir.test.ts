/**
 * calwf3 on a simulated WFC3/IR MultiAccum exposure (NSAMP = 8, SPARS25, injected jumps, non-linearity,
 * saturation), checked against the simulator's truth:
 * - the `_flt` count rates agree with the noiseless scene within ERR: over the DQ-clean pixels the
 *   normalised residual (SCI − truth)/ERR has median 0 ± 0.05 and 16–84 % half-width 1 ± 0.05;
 * - at least 99 % of the injected jumps larger than 5σ (σ² = 2·RN² + Poisson of the read interval) in
 *   pixels without bad-pixel or saturation flags are flagged DATAREJECT in the `_ima` read that shows them;
 * - every pixel the simulator saturated carries SATPIXEL in the last `_ima` read;
 * - the products have the IR layout: `_ima` NSAMP+1 groups of SCI/ERR/DQ/SAMP/TIME, `_flt` 1014 × 1014.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { calwf3 } from "../../src/engine/wfc3/calwf3.js";
import { FitsFile } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";
import { sampleTimes } from "../../src/sim/ir.js";

const NSAMP = 8;
const out = mkdtempSync(join(tmpdir(), "calwf3-ir-"));
after(() => rmSync(out, { recursive: true, force: true }));

function quantile(sorted: Float64Array, p: number): number {
  return sorted[Math.floor(p * (sorted.length - 1))];
}

test("calwf3 IR: ima and flt against the simulator's truth", async () => {
  const sim = simulateDataset({ dataset: "iabc02xyq", out, detector: "IR", nsamp: NSAMP, seed: 11 });
  const root = sim.exposures[0].rootname;
  const log: string[] = [];
  const env = { iref: `${sim.referenceDir}/` };
  const result = await calwf3([`${root}_raw.fits`], { dir: out, env, log: (line) => log.push(line) });
  assert.deepEqual(result.outputs, [`${root}_ima.fits`, `${root}_flt.fits`]);
  // Every WF3IR step is logged with its times and has its section in the trailer, in hstcal's order.
  const steps = ["DQICORR", "ZSIGCORR", "BLEVCORR", "ZOFFCORR", "NLINCORR", "DARKCORR", "PHOTCORR", "UNITCORR"];
  steps.push("CRCORR", "FLATCORR");
  for (const step of steps) {
    const line = log.find((l) => l.startsWith(`${step} COMPLETE ${root}_raw.fits `)) ?? `no ${step} line`;
    assert.match(line, /\(wall \d+\.\d{3} s, CPU \d+\.\d{3} s\)$/);
  }
  const trailer = readFileSync(join(out, `${root}.tra`), "utf8").split("\n");
  const sections = steps.map((step) => trailer.indexOf(`${step.padEnd(12)}PERFORM`));
  assert.ok(sections[0] > 0, "DQICORR section");
  assert.deepEqual(
    [...sections].sort((a, b) => a - b),
    sections,
    "sections in hstcal's order",
  );
  const zoffEnd = trailer.indexOf("ZOFFCORR    COMPLETE");
  assert.deepEqual(trailer[zoffEnd - 1], "ZOFFCORR complete.");
  assert.equal(trailer[zoffEnd + 2], "Uncertainty array initialized.", "the ERR line between ZOFFCORR and NLINCORR");
  assert.match(trailer.at(-2) ?? "", /^WF3IR \S+_raw\.fits \(wall /, "the phase line closes the trailer");

  const flt = FitsFile.open(join(out, `${root}_flt.fits`));
  const ima = FitsFile.open(join(out, `${root}_ima.fits`));
  const truthFile = FitsFile.open(sim.truth);
  try {
    assert.equal(flt.hdus.length, 6);
    assert.deepEqual(flt.hdu("SCI", 1).axes, [1014, 1014]);
    assert.deepEqual(
      flt.hdus.slice(1).map((h) => h.name),
      ["SCI", "ERR", "DQ", "SAMP", "TIME"],
    );
    assert.equal(ima.hdus.length, 1 + 5 * (NSAMP + 1));
    const primary = flt.hdus[0].header;
    for (const sw of [
      "DQICORR",
      "ZSIGCORR",
      "BLEVCORR",
      "ZOFFCORR",
      "NLINCORR",
      "DARKCORR",
      "UNITCORR",
      "CRCORR",
      "FLATCORR",
    ]) {
      assert.equal(primary.get(sw), "COMPLETE", sw);
    }
    assert.equal(primary.get("NOISCORR"), "PERFORM", "hstcal leaves NOISCORR alone");
    const sciHeader = flt.hdu("SCI", 1).header;
    assert.equal(sciHeader.get("BUNIT"), "ELECTRONS/S");
    // IR photometry is in the primary header, with the MJD since calwf3 3.7.2 (time-dependent IR sensitivity).
    assert.match(String(primary.get("PHOTMODE")), /^WFC3 IR F160W MJD#\d+\.\d{4}$/);
    assert.ok(Number(primary.get("PHOTFLAM")) > 0 && Number(sciHeader.get("NGOODPIX")) > 1e6 - 20000);
    assert.equal(sciHeader.get("LTV1"), 0, "the border is trimmed: raw LTV1 = 5 → 0");

    const sci = flt.readImage(flt.hdu("SCI", 1)).data as Float32Array;
    const err = flt.readImage(flt.hdu("ERR", 1)).data as Float32Array;
    const dq = flt.readImage(flt.hdu("DQ", 1)).data as Int16Array;
    const truth = truthFile.readImage(truthFile.hdu("SCI", 1)).data as Float32Array;
    const residuals = new Float64Array(sci.length);
    let n = 0;
    for (let k = 0; k < sci.length; k++) if (dq[k] === 0) residuals[n++] = (sci[k] - truth[k]) / err[k];
    const z = residuals.subarray(0, n).sort();
    const median = quantile(z, 0.5);
    const halfWidth = (quantile(z, 0.8413) - quantile(z, 0.1587)) / 2;
    assert.ok(z.length > 0.99 * sci.length, `${z.length} clean pixels`);
    assert.ok(Math.abs(median) < 0.05, `median ${median}`);
    assert.ok(Math.abs(halfWidth - 1) < 0.05, `half-width ${halfWidth}`);

    const readDq = (k: number) => ima.readImage(ima.hdu("DQ", NSAMP + 1 - k)).data as Int16Array;
    const reads = Array.from({ length: NSAMP + 1 }, (_, k) => readDq(k));
    const times = sampleTimes(NSAMP);
    const crs = sim.exposures[0].cosmicRays[1];
    const jumpReads = sim.exposures[0].jumpReads![1];
    let detectable = 0;
    let found = 0;
    for (let c = 0; c < crs.x.length; c++) {
      const k = jumpReads[c];
      const s = crs.y[c] * 1014 + crs.x[c];
      const raw = (crs.y[c] + 5) * 1024 + crs.x[c] + 5;
      const sigma = Math.sqrt(2 * 20.2 ** 2 + truth[s] * (times[k] - times[k - 1]));
      if (crs.value[c] < 5 * sigma || reads[k][raw] & (4 | 256)) continue;
      detectable++;
      if (reads[k][raw] & 8192) found++;
    }
    assert.ok(detectable > 500, `${detectable} detectable jumps`);
    assert.ok(found / detectable >= 0.99, `${found} of ${detectable} jumps flagged`);

    const saturated = sim.exposures[0].saturated[1];
    for (let c = 0; c < saturated.x.length; c++) {
      const raw = (saturated.y[c] + 5) * 1024 + saturated.x[c] + 5;
      assert.ok(reads[NSAMP][raw] & 256, `saturated pixel ${saturated.x[c]},${saturated.y[c]} flagged`);
    }
  } finally {
    flt.close();
    ima.close();
    truthFile.close();
  }
});
