/**
 * UVIS full-well flagging with a SATUFILE on small hand-made arrays (calibration.md §4; hstcal dofwsat.c,
 * dodqi.c, computelimits.c): DQICORR then tests only the overscan (full frame: virtual rows, prescan,
 * middle and trailing columns; subarray: its physical overscan columns but the last), and the map
 * (electrons / mean gain) flags the science boxes of a full frame or a subarray at its corner, skipping
 * the 60 middle columns of the full-frame map.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createImageSet } from "../../src/calib/common/imset.js";
import type { Wf3Overscan } from "../../src/calib/wfc3/oscntab.js";
import { flagFullWellFromMap, flagOverscanSaturation, uvisAmpBoxes } from "../../src/calib/wfc3/uvis-fullwell.js";

/** A 12 × 3 raw chip: 1 prescan column each side, 2 + 2 middle columns after AMPX = 4, one virtual row on top. */
const OVERSCAN: Wf3Overscan = {
  trimx: [1, 1],
  trimy: [0, 1],
  trimx3: 2,
  trimx4: 2,
  biassect: [
    [-1, -1],
    [-1, -1],
    [5, 6],
    [7, 8],
  ],
  vleft: { x: [-1, -1], y: [-1, -1] },
  vright: { x: [-1, -1], y: [-1, -1] },
};
const P = { ccdamp: "ABCD", ccdchip: 1, ampx: 4, ampy: 0, saturate: 1000, meanGain: 1.5 };

test("amp boxes: left amp from the prescan to AMPX, right amp after the middle overscan, virtual row out", () => {
  assert.deepEqual(uvisAmpBoxes(P, OVERSCAN, 12, 3), [
    { begx: 1, endx: 5, begy: 0, endy: 2 },
    { begx: 9, endx: 11, begy: 0, endy: 2 },
  ]);
});

test("DQICORR with a SATUFILE: the scalar full well on the overscan only", () => {
  const set = createImageSet(12, 3, { sci: new Float32Array(36).fill(2000) });
  flagOverscanSaturation(set, P, OVERSCAN, false);
  const flagged = [...set.dq].map((v) => (v ? 1 : 0)).join("");
  assert.equal(flagged, "100001111001".repeat(2) + "1".repeat(12));
  const sub = createImageSet(5, 1, { sci: new Float32Array(5).fill(2000) });
  flagOverscanSaturation(sub, P, { ...OVERSCAN, trimx: [3, 0] }, true);
  assert.deepEqual([...sub.dq], [256, 256, 0, 0, 0], "hstcal's loop stops before the last prescan column");
});

test("SATUFILE full frame: DN above map / mean gain inside the amp boxes", () => {
  const map = createImageSet(12, 3, { sci: new Float32Array(36).fill(300) });
  const sci = new Float32Array(36).fill(150);
  sci[2] = 250; // science, left amp
  sci[10] = 250; // science, right amp
  sci[6] = 250; // middle overscan: not the map's business
  sci[25] = 250; // virtual row
  const set = createImageSet(12, 3, { sci });
  assert.equal(flagFullWellFromMap(set, [map], P, OVERSCAN), 2);
  assert.deepEqual(
    [...set.dq].flatMap((v, k) => (v ? [k] : [])),
    [2, 10],
  );
});

test("SATUFILE subarray: the section at the corner, the 60 middle columns of the full-frame map cut out", () => {
  // Map value = 1.5 × column: threshold in DN = the map column.
  const map = createImageSet(4206, 1, { sci: Float32Array.from({ length: 4206 }, (_, i) => 1.5 * i) });
  const set = createImageSet(4, 1, { sci: new Float32Array(4).fill(2100), geometry: { ltv: [-2071, 0], ltm: [1, 1] } });
  // Columns 2071, 2072, then 2133, 2134.
  assert.equal(flagFullWellFromMap(set, [map], { ...P, ccdamp: "A" }, OVERSCAN), 2);
  assert.deepEqual([...set.dq], [256, 256, 0, 0]);
});
