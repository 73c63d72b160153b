/**
 * The sink step inside WF3CCD (hstcal doccd.c): run after BLEVCORR/BIASCORR only with DQICORR, on a
 * subarray embedded in the full chip at LTV1 = 25, LTV2 = 0, skipped for binned data, and an error naming
 * SNKCFILE when DQICORR runs without the map.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { CalibrationError } from "../../src/calib/common/errors.js";
import { createImageSet, type ImageSet } from "../../src/calib/common/imset.js";
import type { Wf3Overscan } from "../../src/calib/wfc3/oscntab.js";
import { runWf3Ccd, type Wf3CcdInput } from "../../src/calib/wfc3/wf3ccd.js";
import { uvisParameters } from "./wfc3-fixtures.js";

const NONE: [number, number] = [-1, -1];
const PARAMS = uvisParameters();
const NO_OVERSCAN = {
  trimx: [0, 0],
  trimy: [0, 0],
  trimx3: 0,
  trimx4: 0,
  biassect: [NONE, NONE, NONE, NONE],
  vleft: { x: NONE, y: NONE },
  vright: { x: NONE, y: NONE },
  noOverscan: true,
} as Wf3Overscan;

/** A 30 x 6 full-chip map: a sink (MJD 56000) at column 28, row 1, with a 2-pixel trail of 20 DN above it. */
function maps(): ImageSet[] {
  const m = createImageSet(30, 6);
  m.sci[1 * 30 + 28] = 56000;
  m.sci[2 * 30 + 28] = 20;
  m.sci[3 * 30 + 28] = 20;
  return [m, createImageSet(30, 6)];
}

function input(set: ImageSet, over: Partial<Wf3CcdInput> = {}): Wf3CcdInput {
  set.err.fill(1);
  return {
    set,
    sdqflags: 65535,
    params: PARAMS,
    overscan: NO_OVERSCAN,
    switches: { DQICORR: "PERFORM", BLEVCORR: "OMIT", BIASCORR: "OMIT", FLSHCORR: "OMIT" },
    binning: [1, 1],
    subarray: true,
    sink: { imsets: maps(), expstart: 57000, extver: 1 },
    ...over,
  };
}

test("WF3CCD: a subarray at LTV1 = 22, LTV2 = -1 gets the sink of map column 28, row 1 and its trail", () => {
  // x0 = 25 - 22 = 3, y0 = 1: subarray pixel (25, 0) is map (28, 1); SCI 10 <= 20 along the trail
  const sci = new Float32Array(27 * 3).fill(10);
  const wide = createImageSet(27, 3, { sci, chip: 2, geometry: { ltv: [22, -1], ltm: [1, 1] } });
  const r = runWf3Ccd(input(wide));
  assert.deepEqual(r.sink, { flagged: 3 });
  const flagged = [...r.set.dq.keys()].filter((k) => (r.set.dq[k] & 1024) !== 0);
  assert.deepEqual(flagged, [25, 27 + 25, 54 + 25], "rows 0..2 of column 25");
  const dqOmit = runWf3Ccd(
    input(createImageSet(27, 3, { chip: 2, geometry: { ltv: [22, -1], ltm: [1, 1] } }), {
      switches: { DQICORR: "OMIT", BLEVCORR: "OMIT", BIASCORR: "OMIT", FLSHCORR: "OMIT" },
    }),
  );
  assert.equal(dqOmit.sink, undefined, "no sink step without DQICORR");
});

test("WF3CCD: binned data skip the sink step; DQICORR without a SNKCFILE is an error naming it", () => {
  const binned = createImageSet(15, 3, { chip: 2, geometry: { ltv: [0, 0], ltm: [0.5, 0.5] } });
  const r = runWf3Ccd(input(binned, { binning: [2, 2], sink: undefined }));
  assert.deepEqual(r.sink, { skipped: "binned" });
  assert.ok(r.set.dq.every((d) => (d & 1024) === 0));
  assert.throws(
    () => runWf3Ccd(input(createImageSet(30, 6, { chip: 2 }), { subarray: false, sink: undefined })),
    (e: unknown) => e instanceof CalibrationError && e.code === "CAL_FILE_MISSING" && /SNKCFILE/.test(e.message),
  );
});
