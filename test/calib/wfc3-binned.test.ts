/**
 * Binned UVIS DQICORR on small hand-made arrays (calibration.md §4; hstcal dodqi.c DQINormal, FirstLast,
 * ToWF3RawCoords): BPIXTAB rows drawn in an unbinned scratch of the table's SIZAXIS, each binned pixel
 * ORing its bin (LTV = 0.25 for 2 × 2 bins starting at pixel 0), the overlap cut at the scratch edge,
 * and the 4-amp middle-overscan shift (TRIMX3 + TRIMX4)·bin + 2 for bin 2.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createImageSet } from "../../src/calib/common/imset.js";
import { applyBpixRowsBinned, axisOverlap } from "../../src/calib/wfc3/bpix-binned.js";
import { uvisDqi } from "../../src/calib/wfc3/uvis-dqicorr.js";

const column = { CCDCHIP: 1, PIX1: 3, PIX2: 1, LENGTH: 2, AXIS: 2, VALUE: 4 };
const pixel = { CCDCHIP: 1, PIX1: 8, PIX2: 2, LENGTH: 1, AXIS: 1, VALUE: 16 };

test("binned BPIXTAB: 2 × 2 bins OR the scratch pixels they cover", () => {
  const aligned = createImageSet(4, 1, { geometry: { ltv: [0.25, 0.25], ltm: [0.5, 0.5] } });
  applyBpixRowsBinned(aligned, [column, pixel], [8, 2]);
  assert.deepEqual([...aligned.dq], [0, 4, 0, 16]);
  // Starting at unbinned column 2 (LTV1 = 0.25 − 1): pixel 3 would need scratch columns 8–9, beyond the 8.
  const shifted = createImageSet(4, 1, { geometry: { ltv: [-0.75, 0.25], ltm: [0.5, 0.5] } });
  applyBpixRowsBinned(shifted, [column, pixel], [8, 2]);
  assert.deepEqual([...shifted.dq], [4, 0, 16, 0]);
  assert.deepEqual(axisOverlap(0.5, -0.75, 8, 4), { bin: 2, first: 0, last: 2, scratchFirst: 2 });
});

test("binned DQICORR of a 4-amp chip: rows right of AMPX move by (TRIMX3 + TRIMX4)·2 + 2", () => {
  const set = createImageSet(8, 1, { geometry: { ltv: [0.25, 0.25], ltm: [0.5, 0.5] } });
  const row = { CCDCHIP: 1, PIX1: 5, PIX2: 1, LENGTH: 1, AXIS: 1, VALUE: 64 };
  const result = uvisDqi(set, {
    saturate: 60000,
    bpixtab: [row],
    selection: { ccdamp: "ABCD", ccdgain: 1.5, ccdchip: 1 },
    ampx: 2,
    middleOverscan: 3,
    binx: 2,
    biny: 2,
    scratchSize: [16, 2],
  });
  // Column 4 (≥ AMPX·bin = 4) → 4 + 3·2 + 2 = 12 → binned pixel 6.
  assert.equal(result.rows, 1);
  assert.deepEqual([...set.dq], [0, 0, 0, 0, 0, 0, 64, 0]);
  assert.throws(
    () =>
      uvisDqi(set, {
        saturate: 6e4,
        bpixtab: [row],
        selection: { ccdamp: "ABCD", ccdgain: 1.5, ccdchip: 1 },
        ampx: 2,
        middleOverscan: 3,
        binx: 2,
        biny: 2,
      }),
    /SIZAXIS/,
  );
});
