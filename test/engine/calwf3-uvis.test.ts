/**
 * calwf3 on a simulated full-frame WFC3/UVIS CR-SPLIT association of two 400 s exposures, checked against
 * the simulator's truth (noiseless e-/s per chip):
 * - every `_flt` chip and the `_crj`: over the DQ-clean pixels the normalised residual
 *   (SCI − truth·EXPTIME)/ERR has median 0 ± 0.05 and 16–84 % half-width 1 ± 0.05;
 * - at least 99 % of the injected cosmic-ray pixels brighter than 5σ are flagged 8192 in their `_flt`;
 * - the products' layout and keywords: 4096 × 2051 chips in electrons, MEANBLEV near the amps' bias
 *   levels, PHOTMODE / PHTRATIO, CRCORR left PERFORM in the exposures and COMPLETE in the `_crj`.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { calwf3 } from "../../src/engine/wfc3/calwf3.js";
import { FitsFile } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";

const out = mkdtempSync(join(tmpdir(), "calwf3-uvis-"));
after(() => rmSync(out, { recursive: true, force: true }));

function quantile(sorted: Float64Array, p: number): number {
  return sorted[Math.floor(p * (sorted.length - 1))];
}

test("calwf3 UVIS: flt and crj of a CR-SPLIT association against the truth", async () => {
  const sim = simulateDataset({ dataset: "iabc04010", out, detector: "UVIS", exposures: 2, seed: 21 });
  const result = await calwf3(["iabc04010_asn.fits"], {
    dir: out,
    env: { iref: `${sim.referenceDir}/` },
    log: () => {},
  });
  const roots = sim.exposures.map((e) => e.rootname);
  assert.deepEqual(result.outputs, [...roots.map((r) => `${r}_flt.fits`), `${sim.product}_crj.fits`]);
  assert.match(readFileSync(join(out, `${roots[0]}.tra`), "utf8"), /FLATCORR complete/);

  const truthFile = FitsFile.open(sim.truth);
  const truthOf = (chip: number) =>
    truthFile.readImage(truthFile.hdus.find((h) => h.name === "SCI" && h.header.getInt("CCDCHIP") === chip)!)
      .data as Float32Array;
  try {
    for (const name of result.outputs) {
      const file = FitsFile.open(join(out, name));
      try {
        const primary = file.hdus[0].header;
        const crj = name.endsWith("_crj.fits");
        assert.equal(primary.get("CRCORR"), crj ? "COMPLETE" : "PERFORM", `${name} CRCORR`);
        for (const sw of ["DQICORR", "BLEVCORR", "BIASCORR", "DARKCORR", "FLATCORR", "PHOTCORR", "FLUXCORR"]) {
          assert.equal(primary.get(sw), "COMPLETE", `${name} ${sw}`);
        }
        const exptime = primary.getNumber("EXPTIME");
        assert.equal(exptime, crj ? 800 : 400);
        for (const ver of [1, 2]) {
          const hdu = file.hdu("SCI", ver);
          const chip = hdu.header.getInt("CCDCHIP");
          assert.equal(chip, ver === 1 ? 2 : 1, "EXTVER 1 is UVIS2");
          assert.deepEqual(hdu.axes, [4096, 2051]);
          assert.equal(hdu.header.get("BUNIT"), "ELECTRONS");
          assert.match(String(hdu.header.get("PHOTMODE")), new RegExp(`^WFC3 UVIS${chip} F606W MJD#\\d+\\.\\d{4}$`));
          assert.equal(hdu.header.get("PHTRATIO"), 1);
          const amps = sim.model.chips.find((c) => c.ccdchip === chip)!.amps;
          const bias = (amps[0].bias + amps[1].bias) / 2;
          assert.ok(Math.abs(Number(hdu.header.get("MEANBLEV")) - bias) < 3, `MEANBLEV ${hdu.header.get("MEANBLEV")}`);
          const sci = file.readImage(hdu).data as Float32Array;
          const err = file.readImage(file.hdu("ERR", ver)).data as Float32Array;
          const dq = file.readImage(file.hdu("DQ", ver)).data as Int16Array;
          const truth = truthOf(chip);
          const residuals = new Float64Array(sci.length);
          let n = 0;
          for (let k = 0; k < sci.length; k++) if (dq[k] === 0) residuals[n++] = (sci[k] - truth[k] * exptime) / err[k];
          const z = residuals.subarray(0, n).sort();
          const median = quantile(z, 0.5);
          const halfWidth = (quantile(z, 0.8413) - quantile(z, 0.1587)) / 2;
          assert.ok(z.length > 0.98 * sci.length, `${name} chip ${chip}: ${z.length} clean pixels`);
          assert.ok(Math.abs(median) < 0.05, `${name} chip ${chip}: median ${median}`);
          assert.ok(Math.abs(halfWidth - 1) < 0.05, `${name} chip ${chip}: half-width ${halfWidth}`);
          if (crj) continue;
          const crs = sim.exposures[roots.indexOf(name.slice(0, 9))].cosmicRays[chip];
          let bright = 0;
          let flagged = 0;
          for (let c = 0; c < crs.x.length; c++) {
            const k = crs.y[c] * 4096 + crs.x[c];
            const sigma = Math.sqrt(truth[k] * exptime + 3.2 ** 2);
            if (crs.value[c] < 5 * sigma) continue;
            bright++;
            if (dq[k] & 8192) flagged++;
          }
          assert.ok(bright > 1000, `${bright} bright CR pixels`);
          assert.ok(flagged / bright >= 0.99, `${name} chip ${chip}: ${flagged} of ${bright} CR pixels flagged`);
        }
      } finally {
        file.close();
      }
    }
  } finally {
    truthFile.close();
  }
});
