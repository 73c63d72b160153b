// ACSCTE parity with calacs.e (hstcal 5c1c177): our parallel correction of amp C, applied to our own ACSCCD
// output, against the recorded columns of calacs.e's _flc (fingerprints/acs-wfc-cte-2008.json, written by
// scripts/cte-parity-fingerprints.ts). 1e-4 relative as for the other products.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { correctAmp } from "../../src/calib/common/cte/amp.js";
import { acsWfcCorrections, acsWfcOrientation, extractAmp, insertAmp } from "../../src/calib/common/cte/orientation.js";
import { ampSettings } from "../../src/engine/cte/acs-wfc.js";
import { readPctetab } from "../../src/engine/cte/pctetab.js";
import { FitsFile } from "../../src/fits/index.js";
import { detectorModel } from "../../src/sim/detectors.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { AMP_C_WIDTH, type CteColumnPrint, cteFingerprintPath, simulateCteCase } from "./cte-case.js";
import { withinRelative } from "./fingerprint.js";

interface CteRecord {
  file: string;
  rows: number[];
  columns: CteColumnPrint[];
}

/** How many values differ by more than 1e-4 relative, and the largest relative difference. */
function compare(ours: CteColumnPrint[], theirs: CteColumnPrint[]) {
  let bad = 0;
  let largest = 0;
  const check = (a: number, b: number) => {
    if (!withinRelative(a, b)) bad++;
    largest = Math.max(largest, Math.abs(a - b) / Math.max(Math.abs(b), 1));
  };
  theirs.forEach((t, k) => {
    check(ours[k].sum, t.sum);
    for (const [i, v] of t.sci.entries()) check(ours[k].sci[i], v);
    for (const [i, v] of t.err.entries()) check(ours[k].err[i], v);
  });
  return { bad, largest };
}

function columnsOf(sci: Float32Array, err: Float32Array, width: number, height: number, record: CteRecord) {
  return record.columns.map(({ x }) => {
    let sum = 0;
    for (let y = 0; y < height; y++) sum += sci[y * width + x];
    return { x, sum, sci: record.rows.map((y) => sci[y * width + x]), err: record.rows.map((y) => err[y * width + x]) };
  });
}

test("ACSCTE parallel correction of amp C equals calacs.e's _flc in sampled columns (1e-4)", {
  timeout: 600_000,
}, async (t) => {
  const record: CteRecord = JSON.parse(readFileSync(cteFingerprintPath, "utf8"));
  const dir = mkdtempSync(join(tmpdir(), "caldp-parity-cte-"));
  try {
    const { input, referenceDir, pctetab } = simulateCteCase(dir);
    const run = await runCliAsync("caldp", ["calacs", input], { cwd: dir, env: { jref: `${referenceDir}/` } });
    assert.equal(run.status, 0, run.stderr);
    const flt = FitsFile.open(join(dir, input.replace(/_raw\.fits$/, "_flt.fits")));
    const primary = flt.hdus[0].header;
    const science = flt.readImage("SCI", { ver: 1 });
    const [width, height] = science.axes;
    const sci = Float32Array.from(science.data as Float32Array);
    const err = Float32Array.from(flt.readImage("ERR", { ver: 1 }).data as Float32Array);
    flt.close();

    const expstart = primary.getNumber("EXPSTART");
    assert.deepEqual(acsWfcCorrections(expstart), ["parallel"], "a pre-SM4 case: no serial correction");
    const table = readPctetab(pctetab, "ACS");
    const amp = { amp: "C" as const, x0: 0, width: AMP_C_WIDTH };
    // The CCDTAB's read noise of amp C (the simulator writes the table from its detector model). Not the flt's
    // READNSEC: our ACS2D writes chip 1's amps there, where calacs.e writes chip 2's.
    const ampC = detectorModel("ACS", "WFC").chips[0].amps.find((a) => a.amp === "C")!;
    const cteRun = { table, expstart, readNoise: { C: Math.fround(ampC.readNoise) } };
    const settings = ampSettings(cteRun, table.parallel, amp);
    const before = compare(columnsOf(sci, err, width, height, record), record.columns);

    const region = { chipWidth: width, x0: 0, width: AMP_C_WIDTH, height };
    const orientation = acsWfcOrientation("C", "parallel");
    const image = {
      rows: height,
      columns: AMP_C_WIDTH,
      sci: extractAmp(sci, region, orientation),
      err: extractAmp(err, region, orientation),
    };
    correctAmp(
      image,
      settings,
      record.columns.map((c) => c.x),
    );
    insertAmp(sci, region, orientation, image.sci);
    insertAmp(err, region, orientation, image.err);
    const after = compare(columnsOf(sci, err, width, height, record), record.columns);

    t.diagnostic(
      `before: ${before.bad} beyond 1e-4, largest ${before.largest}; after: ${after.bad}, largest ${after.largest}`,
    );
    assert.ok(before.bad > 100, `without the correction most values differ (${before.bad}, largest ${before.largest})`);
    assert.equal(after.bad, 0, `values beyond 1e-4 after our correction: ${after.bad}, largest ${after.largest}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
