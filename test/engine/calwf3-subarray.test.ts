/**
 * calwf3 on simulated WFC3/UVIS subarrays read through amp C of UVIS2, checked against the simulator's
 * truth (noiseless e-/s); the references cover a larger region of the chip, so every reference step has
 * to cut its section at the subarray's corner (LTV):
 * - a corner subarray with the 25 physical prescan columns (BLEVCORR from them, then trimmed: LTV1 0);
 * - an inner subarray without overscan (BLEVCORR subtracts CCDBIASC, no MEANBLEV, nothing trimmed).
 * For both: over DQ-clean pixels (SCI − truth·EXPTIME)/ERR has median 0 ± 0.05 and 16–84 % half-width
 * 1 ± 0.05 (the flat has an 8 % pixel-to-pixel texture, so a misplaced PFLTFILE section fails that);
 * the bad columns of BPIXTAB under the subarray are flagged 4 in every row.
 * A post-flashed, shutter-shaded corner subarray: FLSHCORR and SHADCORR bring it to the same statistics,
 * and MEANFLSH is the mean of the untrimmed FLSHFILE section under the raw subarray × FLASHDUR / ATODGNC,
 * read here from the reference file at the offset given by both headers' LTV; the primary HISTORY names
 * each reference file after its step, BIASLEVC = MEANBLEV (the other amps untouched), ATODGNC = CCDTAB.
 * With a SATUFILE whose right half is only 500 e: every pixel whose expected charge (truth × EXPTIME ×
 * the PFLTFILE section) passes 1.05 × 500 e there is flagged SATPIXEL, none below 0.9 × 500 e without a
 * cosmic ray, hot pixel or bad column, and every pixel the simulator saturated is flagged.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { calwf3 } from "../../src/engine/wfc3/calwf3.js";
import { FitsFile } from "../../src/fits/index.js";
import { LOW_FULL_WELL, simulateUvisSubarray, type UvisSubarrayKind } from "../../src/sim/wfc3-subarray.js";

const out = mkdtempSync(join(tmpdir(), "calwf3-subarray-"));
after(() => rmSync(out, { recursive: true, force: true }));

function quantile(sorted: Float64Array, p: number): number {
  return sorted[Math.floor(p * (sorted.length - 1))];
}

async function calibrate(kind: UvisSubarrayKind, rootname: string, flashdur = 0, shading = false, satufile = false) {
  const dir = join(out, rootname);
  const sim = simulateUvisSubarray({ rootname, out: dir, kind, seed: 5, flashdur, shading, satufile });
  const result = await calwf3([`${rootname}_raw.fits`], { dir, env: { iref: `${sim.referenceDir}/` }, log: () => {} });
  assert.deepEqual(result.outputs, [`${rootname}_flt.fits`]);
  return { sim, file: FitsFile.open(join(dir, `${rootname}_flt.fits`)) };
}

function checkAgainstTruth(sim: Awaited<ReturnType<typeof calibrate>>["sim"], file: FitsFile, badColumns: number[]) {
  const hdu = file.hdu("SCI", 1);
  assert.deepEqual(hdu.axes, [sim.nx, sim.ny]);
  const sci = file.readImage(hdu).data as Float32Array;
  const err = file.readImage(file.hdu("ERR", 1)).data as Float32Array;
  const dq = file.readImage(file.hdu("DQ", 1)).data as Int16Array;
  const exptime = file.hdus[0].header.getNumber("EXPTIME");
  const z = new Float64Array(sci.length);
  let n = 0;
  for (let k = 0; k < sci.length; k++) if (dq[k] === 0) z[n++] = (sci[k] - sim.scene.rate[k] * exptime) / err[k];
  const sorted = z.subarray(0, n).sort();
  const median = quantile(sorted, 0.5);
  const halfWidth = (quantile(sorted, 0.8413) - quantile(sorted, 0.1587)) / 2;
  assert.ok(n > 0.97 * sci.length, `${n} clean pixels`);
  assert.ok(Math.abs(median) < 0.05, `median ${median}`);
  assert.ok(Math.abs(halfWidth - 1) < 0.05, `half-width ${halfWidth}`);
  assert.ok(badColumns.length > 0, "a bad column lies under the subarray");
  for (const x of badColumns) {
    for (let y = 0; y < sim.ny; y++) assert.ok(dq[y * sim.nx + x] & 4, `bad column ${x} row ${y}`);
  }
  return hdu.header;
}

/** Bad columns of the region BPIXTAB that fall under the subarray, in subarray columns. */
function badColumnsUnder(sim: Awaited<ReturnType<typeof calibrate>>["sim"]): number[] {
  const bpx = FitsFile.open(sim.references.BPIXTAB);
  try {
    const pix1 = bpx.readTable(bpx.hdus[1]).columns.find((c) => c.name === "PIX1")!.data as Int32Array;
    return [...pix1].map((p) => p - 1 - sim.corner[0]).filter((x) => x >= 0 && x < sim.nx);
  } finally {
    bpx.close();
  }
}

test("calwf3 UVIS subarray with the physical prescan: BLEVCORR from it, trimmed, sections at the corner", async () => {
  const { sim, file } = await calibrate("prescan", "iabc05p1q");
  try {
    const sci = checkAgainstTruth(sim, file, badColumnsUnder(sim));
    assert.deepEqual([sci.getNumber("LTV1"), sci.getNumber("LTV2")], [0, -sim.corner[1]]);
    const meanblev = sci.getNumber("MEANBLEV");
    assert.ok(Math.abs(meanblev - sim.model.chips[0].amps[0].bias) < 3, `MEANBLEV ${meanblev}`);
    assert.equal(sci.get("BUNIT"), "ELECTRONS");
  } finally {
    file.close();
  }
});

test("calwf3 UVIS inner subarray without overscan: CCDTAB bias, nothing trimmed, no MEANBLEV", async () => {
  const { sim, file } = await calibrate("inner", "iabc05i1q");
  try {
    const sci = checkAgainstTruth(sim, file, badColumnsUnder(sim));
    assert.deepEqual([sci.getNumber("LTV1"), sci.getNumber("LTV2")], [-sim.corner[0], -sim.corner[1]]);
    assert.equal(sci.getNumber("MEANBLEV"), 0, "MEANBLEV not written (the raw's 0 stays)");
    assert.equal(file.hdus[0].header.get("BLEVCORR"), "COMPLETE");
  } finally {
    file.close();
  }
});

/** Mean of the FLSHFILE under the raw subarray (prescan included, as calwf3 averages it). */
function flashSectionMean(path: string, rawLtv: [number, number], nx: number, ny: number): number {
  const flash = FitsFile.open(path);
  try {
    const hdu = flash.hdu("SCI", 1);
    const x0 = hdu.header.getNumber("LTV1") - rawLtv[0];
    const y0 = hdu.header.getNumber("LTV2") - rawLtv[1];
    const data = flash.readImage(hdu).data as Float32Array;
    let sum = 0;
    for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) sum += data[(j + y0) * hdu.axes[0] + i + x0];
    return sum / (nx * ny);
  } finally {
    flash.close();
  }
}

test("calwf3 UVIS subarray with post-flash and shutter shading: FLSHCORR and SHADCORR against the truth", async () => {
  const { sim, file } = await calibrate("prescan", "iabc05f1q", 20, true);
  try {
    const sci = checkAgainstTruth(sim, file, badColumnsUnder(sim));
    const primary = file.hdus[0].header;
    assert.deepEqual([primary.get("FLSHCORR"), primary.get("SHADCORR")], ["COMPLETE", "COMPLETE"]);
    // calwf3's primary records: the reference files after their steps, amp C's bias level and gain.
    const history = primary.cards.filter((c) => c.keyword === "HISTORY").map((c) => String(c.value ?? c.comment));
    const after = (line: string) => history[history.indexOf(line) + 1];
    const named = (keyword: string) => `  reference image iref$${sim.references[keyword].split("/").pop()}`;
    assert.equal(after("BIASCORR complete ..."), named("BIASFILE"));
    assert.equal(after("FLSHCORR complete ..."), named("FLSHFILE"));
    assert.equal(after("SHADCORR complete ..."), named("SHADFILE"));
    assert.equal(
      after("BLEVCORR complete; bias level from overscan was subtracted."),
      "BLEVCORR does not include correction for drift along lines.",
    );
    assert.equal(primary.getNumber("BIASLEVC"), sci.getNumber("MEANBLEV"));
    assert.equal(primary.getNumber("BIASLEVA"), 0, "only the amp that read the subarray");
    assert.equal(primary.getNumber("ATODGNC"), Math.fround(sim.model.chips[0].amps[0].gain));
    const gain = sim.model.chips[0].amps[0].gain;
    const expected = (flashSectionMean(sim.references.FLSHFILE, sim.ltv, sim.nx + 25, sim.ny) * 20) / gain;
    const meanflsh = sci.getNumber("MEANFLSH");
    assert.ok(Math.abs(meanflsh - expected) < 1e-4 * expected, `MEANFLSH ${meanflsh}, section mean ${expected}`);
  } finally {
    file.close();
  }
});

/** The PFLTFILE (trimmed, region-sized) section under the trimmed subarray. */
function flatSection(path: string, corner: [number, number], nx: number, ny: number): Float32Array {
  const flat = FitsFile.open(path);
  try {
    const hdu = flat.hdu("SCI", 1);
    const x0 = corner[0] + hdu.header.getNumber("LTV1");
    const y0 = corner[1] + hdu.header.getNumber("LTV2");
    const data = flat.readImage(hdu).data as Float32Array;
    return Float32Array.from(
      { length: nx * ny },
      (_, k) => data[(Math.floor(k / nx) + y0) * hdu.axes[0] + (k % nx) + x0],
    );
  } finally {
    flat.close();
  }
}

test("calwf3 UVIS subarray with a SATUFILE: full well per pixel from the map after BLEVCORR and BIASCORR", async () => {
  const { sim, file } = await calibrate("inner", "iabc05s1q", 0, false, true);
  try {
    const dq = file.readImage(file.hdu("DQ", 1)).data as Int16Array;
    const flat = flatSection(sim.references.PFLTFILE, sim.corner, sim.nx, sim.ny);
    const hit = new Set<number>();
    for (let c = 0; c < sim.cosmicRays.x.length; c++) hit.add(sim.cosmicRays.y[c] * sim.nx + sim.cosmicRays.x[c]);
    let above = 0;
    for (let k = 0; k < dq.length; k++) {
      // Right half of the region: science column corner + i ≥ 240.
      if ((k % sim.nx) + sim.corner[0] < 240) continue;
      const expected = sim.scene.rate[k] * 400 * flat[k];
      if (expected > 1.05 * LOW_FULL_WELL) {
        above++;
        assert.ok(dq[k] & 256, `pixel ${k}: ${expected} e not flagged`);
      } else if (expected < 0.9 * LOW_FULL_WELL && !hit.has(k) && !(dq[k] & (4 | 16))) {
        // Bad columns (DQ 4) and hot pixels (DQ 16) collect 200 to 1200 e of extra charge: left out.
        assert.equal(dq[k] & 256, 0, `pixel ${k}: ${expected} e flagged`);
      }
    }
    assert.ok(above > 10, `${above} pixels above the low full well`);
    for (let c = 0; c < sim.saturated.x.length; c++) {
      assert.ok(dq[sim.saturated.y[c] * sim.nx + sim.saturated.x[c]] & 256, "simulated saturation flagged");
    }
  } finally {
    file.close();
  }
});
