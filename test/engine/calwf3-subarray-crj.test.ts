/**
 * calwf3 on a simulated CR-SPLIT association of two WFC3/UVIS corner subarrays (amp C of UVIS2), checked
 * against the simulator's truth: WF3REJ combines the trimmed subarrays into the `_crj`;
 * - each `_flt` and the `_crj`: over DQ-clean pixels (SCI − truth·EXPTIME)/ERR has median 0 ± 0.05 and
 *   16–84 % half-width 1 ± 0.05;
 * - at least 99 % of the injected cosmic-ray pixels brighter than 5σ are flagged 8192 in their `_flt`,
 *   σ² being WF3REJ's own noise (Poisson + read noise + (SCALENSE 30 % of the signal)²) and pixels hit
 *   in both exposures left out (two exposures cannot tell them);
 * - CRCORR stays PERFORM in the exposures and is COMPLETE in the `_crj` (800 s).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { calwf3 } from "../../src/engine/wfc3/calwf3.js";
import { FitsFile } from "../../src/fits/index.js";
import { simulateUvisSubarrayAssociation } from "../../src/sim/wfc3-subarray-asn.js";

const out = mkdtempSync(join(tmpdir(), "calwf3-subarray-crj-"));
after(() => rmSync(out, { recursive: true, force: true }));

function quantile(sorted: Float64Array, p: number): number {
  return sorted[Math.floor(p * (sorted.length - 1))];
}

test("calwf3 UVIS subarray CR-SPLIT: flt and crj against the truth, cosmic rays flagged", async () => {
  const sim = simulateUvisSubarrayAssociation({ asnId: "iabc08010", out, seed: 5 });
  const env = { iref: `${sim.members[0].sim.referenceDir}/` };
  const log: string[] = [];
  const result = await calwf3(["iabc08010_asn.fits"], { dir: out, env, log: (line) => log.push(line) });
  const roots = sim.members.map((m) => m.rootname);
  assert.deepEqual(result.outputs, [...roots.map((r) => `${r}_flt.fits`), `${sim.product}_crj.fits`]);
  const { scene, nx } = sim.members[0].sim;
  for (const name of result.outputs) {
    const file = FitsFile.open(join(out, name));
    try {
      const crj = name.endsWith("_crj.fits");
      const primary = file.hdus[0].header;
      assert.equal(primary.get("CRCORR"), crj ? "COMPLETE" : "PERFORM", name);
      const exptime = primary.getNumber("EXPTIME");
      assert.equal(exptime, crj ? 800 : 400);
      const sci = file.readImage(file.hdu("SCI", 1)).data as Float32Array;
      const err = file.readImage(file.hdu("ERR", 1)).data as Float32Array;
      const dq = file.readImage(file.hdu("DQ", 1)).data as Int16Array;
      const z = new Float64Array(sci.length);
      let n = 0;
      for (let k = 0; k < sci.length; k++) if (dq[k] === 0) z[n++] = (sci[k] - scene.rate[k] * exptime) / err[k];
      const sorted = z.subarray(0, n).sort();
      const median = quantile(sorted, 0.5);
      const halfWidth = (quantile(sorted, 0.8413) - quantile(sorted, 0.1587)) / 2;
      assert.ok(n > 0.97 * sci.length, `${name}: ${n} clean pixels`);
      assert.ok(Math.abs(median) < 0.05, `${name}: median ${median}`);
      assert.ok(Math.abs(halfWidth - 1) < 0.05, `${name}: half-width ${halfWidth}`);
      if (crj) continue;
      const crs = sim.members[roots.indexOf(name.slice(0, 9))].sim.cosmicRays;
      const others = sim.members.filter((m) => m.rootname !== name.slice(0, 9)).map((m) => m.sim.cosmicRays);
      const hitElsewhere = new Set(others.flatMap((o) => [...o.x].map((x, c) => o.y[c] * nx + x)));
      let bright = 0;
      let flagged = 0;
      for (let c = 0; c < crs.x.length; c++) {
        const k = crs.y[c] * nx + crs.x[c];
        const signal = scene.rate[k] * exptime;
        if (hitElsewhere.has(k) || crs.value[c] < 5 * Math.sqrt(signal + 3.2 ** 2 + (0.3 * signal) ** 2)) continue;
        bright++;
        if (dq[k] & 8192) flagged++;
      }
      assert.ok(bright > 100, `${bright} bright CR pixels`);
      assert.ok(flagged / bright >= 0.99, `${name}: ${flagged} of ${bright} CR pixels flagged`);
    } finally {
      file.close();
    }
  }
  // The log and the trailers show each phase and each WF3CCD and WF32D step with its times.
  const timed = /\(wall \d+\.\d{3} s, CPU \d+\.\d{3} s\)$/;
  assert.match(log.find((l) => l.startsWith("WF3CCD ")) ?? "", timed);
  assert.match(log.find((l) => l.startsWith("WF3REJ ")) ?? "", timed);
  for (const root of roots) {
    assert.match(log.find((l) => l.startsWith(`DARKCORR COMPLETE ${root}_flt.fits imset 1 `)) ?? "", timed);
    for (const step of ["DQICORR", "BLEVCORR", "BIASCORR"])
      assert.match(log.find((l) => l.startsWith(`${step} COMPLETE ${root}_raw.fits imset 1 `)) ?? `no ${step}`, timed);
    const trailer = readFileSync(join(out, `${root}.tra`), "utf8").split("\n");
    const ccdEnd = trailer.findIndex((l) => l.startsWith("WF3CCD "));
    assert.match(trailer[ccdEnd] ?? "", timed);
    // WF3CCD's steps as sections, in hstcal's order, before its phase line; the CCD table and ERR lines first.
    const ccd = ["DQICORR", "BLEVCORR", "BIASCORR"].map((step) => trailer.indexOf(`${step.padEnd(12)}PERFORM`));
    assert.ok(trailer.indexOf("CCD parameters table: ") < ccd[0] && ccd[0] > 0, "CCD table before DQICORR");
    assert.deepEqual(
      [...ccd].sort((a, b) => a - b),
      ccd,
    );
    assert.ok(ccd[2] < ccdEnd);
    assert.equal(trailer[ccd[0] + 1], "DQICORR complete ...");
    assert.equal(trailer[ccd[0] + 2], "  values checked for saturation");
    assert.equal(trailer[ccd[1] + 1], "BLEVCORR complete; bias level from overscan was subtracted.");
    const section = trailer.indexOf("WF32D imset 1");
    assert.ok(section > 0, "a WF32D section");
    assert.deepEqual(trailer.slice(section + 1, section + 3), ["DARKCORR    PERFORM", "DARKCORR complete ..."]);
    assert.ok(trailer.includes("DARKCORR    COMPLETE") && trailer.includes("FLATCORR    COMPLETE"));
  }
  const productTrailer = readFileSync(join(out, `${sim.product}.tra`), "utf8");
  assert.match(productTrailer, /^WF3REJ .* \(wall /m);
  assert.deepEqual(
    readdirSync(out).filter((n) => n.endsWith(".tmp")),
    [],
    "trailers and products renamed into place",
  );
});
