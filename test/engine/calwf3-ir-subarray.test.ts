/**
 * calwf3 on a simulated WFC3/IR subarray (96 × 96 science pixels + the 5-pixel reference border, NSAMP 8)
 * whose PFLTFILE and NLINFILE cover a larger region of the detector (the DARKFILE is a subarray dark of the
 * science image's size, as CRDS's are), checked against the truth:
 * - the `_flt` rates: over DQ-clean pixels (SCI − truth)/ERR has median 0 ± 0.1 and 16–84 % half-width
 *   1 ± 0.05. The median is looser than for a full frame because the bias level of each read comes from
 *   only 6 × 96 reference pixels, a common error of about 0.05σ of a sky pixel's rate. The flat has an
 *   8 % pixel-to-pixel texture and the NLINFILE ZSCI ±250 DN per pixel, so a section misplaced by one
 *   pixel widens the distribution well beyond 1.05 (1.26 for the flat);
 * - MEANDARK of the last read equals the mean of the DARKFILE section under the subarray, read here from
 *   the reference file at the offset given by both headers' LTV (0 for the subarray dark);
 * - HISTORY names each reference file after its step, as calwf3's irhist.c;
 * - each `_ima` read carries NGOODPIX and GOODMEAN of its own good pixels inside the border;
 * - every injected jump above 5σ is flagged DATAREJECT in its `_ima` read (at most one missed), every
 *   saturated pixel carries SATPIXEL; the `_flt` is 96 × 96 with LTV moved by the border.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { calwf3 } from "../../src/engine/wfc3/calwf3.js";
import { FitsFile } from "../../src/fits/index.js";
import { sampleTimes } from "../../src/sim/ir.js";
import { simulateIrSubarray } from "../../src/sim/wfc3-ir-subarray.js";

const NSAMP = 8;
const out = mkdtempSync(join(tmpdir(), "calwf3-ir-subarray-"));
after(() => rmSync(out, { recursive: true, force: true }));

function quantile(sorted: Float64Array, p: number): number {
  return sorted[Math.floor(p * (sorted.length - 1))];
}

/** Mean of the last-read dark under the subarray's science pixels, cut at (dark LTV − raw LTV). */
function expectedMeanDark(darkPath: string, rawLtv: [number, number], n: number): number {
  const dark = FitsFile.open(darkPath);
  try {
    const hdu = dark.hdu("SCI", 1);
    const offset = [hdu.header.getNumber("LTV1") - rawLtv[0], hdu.header.getNumber("LTV2") - rawLtv[1]];
    const data = dark.readImage(hdu).data as Float32Array;
    const [nx] = hdu.axes;
    let sum = 0;
    for (let j = 5; j < n + 5; j++) for (let i = 5; i < n + 5; i++) sum += data[(j + offset[1]) * nx + i + offset[0]];
    return sum / (n * n);
  } finally {
    dark.close();
  }
}

test("calwf3 IR subarray: references read at the subarray's corner, rates and jumps against the truth", async () => {
  const sim = simulateIrSubarray({ rootname: "iabc06s1q", out, seed: 7, nsamp: NSAMP });
  const result = await calwf3(["iabc06s1q_raw.fits"], {
    dir: out,
    env: { iref: `${sim.referenceDir}/` },
    log: () => {},
  });
  assert.deepEqual(result.outputs, ["iabc06s1q_ima.fits", "iabc06s1q_flt.fits"]);
  const flt = FitsFile.open(join(out, "iabc06s1q_flt.fits"));
  const ima = FitsFile.open(join(out, "iabc06s1q_ima.fits"));
  try {
    const n = sim.n;
    const sciHdu = flt.hdu("SCI", 1);
    assert.deepEqual(sciHdu.axes, [n, n]);
    assert.deepEqual(
      [sciHdu.header.getNumber("LTV1"), sciHdu.header.getNumber("LTV2")],
      [sim.ltv[0] - 5, sim.ltv[1] - 5],
    );
    for (const sw of ["ZSIGCORR", "BLEVCORR", "NLINCORR", "DARKCORR", "CRCORR", "FLATCORR"]) {
      assert.equal(flt.hdus[0].header.get(sw), "COMPLETE", sw);
    }
    const history = flt.hdus[0].header.cards
      .filter((c) => c.keyword === "HISTORY")
      .map((c) => String(c.value ?? c.comment));
    const after = (line: string) => history[history.indexOf(line) + 1];
    const named = (keyword: string) => `  reference image iref$${sim.references[keyword].split("/").pop()}`;
    assert.equal(after("NLINCORR complete ..."), named("NLINFILE"));
    assert.equal(after("DARKCORR complete ..."), named("DARKFILE"));
    assert.equal(after("FLATCORR complete ..."), named("PFLTFILE"));
    assert.equal(after("BLEVCORR complete.").trimEnd(), "  Overscan region table:");
    const sci = flt.readImage(sciHdu).data as Float32Array;
    const err = flt.readImage(flt.hdu("ERR", 1)).data as Float32Array;
    const dq = flt.readImage(flt.hdu("DQ", 1)).data as Int16Array;
    const z = new Float64Array(sci.length);
    let count = 0;
    for (let k = 0; k < sci.length; k++) if (dq[k] === 0) z[count++] = (sci[k] - sim.scene.rate[k]) / err[k];
    const sorted = z.subarray(0, count).sort();
    const median = quantile(sorted, 0.5);
    const halfWidth = (quantile(sorted, 0.8413) - quantile(sorted, 0.1587)) / 2;
    assert.ok(count > 0.97 * sci.length, `${count} clean pixels`);
    assert.ok(Math.abs(median) < 0.1, `median ${median}`);
    assert.ok(Math.abs(halfWidth - 1) < 0.05, `half-width ${halfWidth}`);

    // Per-read statistics in the _ima: recomputed here from the read's own pixels inside the border.
    for (const ver of [1, NSAMP]) {
      const header = ima.hdu("SCI", ver).header;
      const data = (name: string) => ima.readImage(ima.hdu(name, ver)).data as Float32Array & Int16Array;
      const [rs, re, rd] = [data("SCI"), data("ERR"), data("DQ")];
      const mask = header.getInt("SDQFLAGS");
      let good = 0;
      let sum = 0;
      for (let j = 5; j < n + 5; j++) {
        for (let i = 5; i < n + 5; i++) {
          const k = j * (n + 10) + i;
          if ((rd[k] & mask) === 0 && re[k] > 0) {
            good++;
            sum += rs[k];
          }
        }
      }
      assert.equal(header.getInt("NGOODPIX"), good, `read ${ver} NGOODPIX`);
      assert.ok(
        Math.abs(header.getNumber("GOODMEAN") - sum / good) <= 1e-6 * Math.abs(sum / good),
        `read ${ver} GOODMEAN`,
      );
      assert.equal(ima.hdu("ERR", ver).header.getInt("NGOODPIX"), good);
    }

    const meandark = ima.hdu("SCI", 1).header.getNumber("MEANDARK");
    const expected = expectedMeanDark(sim.references.DARKFILE, sim.ltv, n);
    assert.ok(Math.abs(meandark - expected) < 1e-4 * expected, `MEANDARK ${meandark}, section mean ${expected}`);

    const raw = n + 10;
    const reads = Array.from(
      { length: NSAMP + 1 },
      (_, k) => ima.readImage(ima.hdu("DQ", NSAMP + 1 - k)).data as Int16Array,
    );
    const times = sampleTimes(NSAMP);
    let detectable = 0;
    let found = 0;
    for (let c = 0; c < sim.cosmicRays.x.length; c++) {
      const k = sim.jumpReads[c];
      const s = sim.cosmicRays.y[c] * n + sim.cosmicRays.x[c];
      const at = (sim.cosmicRays.y[c] + 5) * raw + sim.cosmicRays.x[c] + 5;
      const sigma = Math.sqrt(2 * 20.2 ** 2 + sim.scene.rate[s] * (times[k] - times[k - 1]));
      if (sim.cosmicRays.value[c] < 5 * sigma || reads[k][at] & (4 | 256)) continue;
      detectable++;
      if (reads[k][at] & 8192) found++;
    }
    assert.ok(detectable >= 10, `${detectable} detectable jumps`);
    assert.ok(found >= detectable - 1, `${found} of ${detectable} jumps flagged`);
    for (let c = 0; c < sim.saturated.x.length; c++) {
      const at = (sim.saturated.y[c] + 5) * raw + sim.saturated.x[c] + 5;
      assert.ok(reads[NSAMP][at] & 256, `saturated pixel ${sim.saturated.x[c]},${sim.saturated.y[c]}`);
    }
  } finally {
    flt.close();
    ima.close();
  }
});
