import assert from "node:assert/strict";
import { test } from "node:test";
import { doDqi } from "../../src/calib/acs/dqicorr.js";
import type { BpixRow } from "../../src/calib/common/bpixtab.js";
import { CalibrationError } from "../../src/calib/common/errors.js";
import { dqAt, imageOf } from "./acs-fixtures.js";

const selection = { ccdamp: "B", ccdgain: 2, ccdchip: 1 };
const row = (over: Partial<BpixRow>): BpixRow => ({
  CCDAMP: "B",
  CCDCHIP: 1,
  CCDGAIN: 2,
  PIX1: 1,
  PIX2: 1,
  LENGTH: 1,
  AXIS: 1,
  VALUE: 16,
  ...over,
});
const flagged = (set: ReturnType<typeof imageOf>) => {
  const out: string[] = [];
  for (let j = 0; j < set.ny; j++)
    for (let i = 0; i < set.nx; i++) if (set.dq[j * set.nx + i]) out.push(`${i},${j}:${dqAt(set, i, j)}`);
  return out;
};

test("DQICORR: raw DN >= ATODSAT gets 2048, also without a BPIXTAB (and then no placeholder)", () => {
  const set = imageOf(3, 1, (i) => [4094.5, 4095, 5000][i]);
  const result = doDqi(set, { detector: "HRC", atodsat: 4095, selection });
  assert.deepEqual(flagged(set), ["1,0:2048", "2,0:2048"]);
  assert.equal(result.saturatedPixels, 2);
  assert.equal(result.placeholder, undefined);
});

test("DQICORR: BPIXTAB runs in science coordinates shifted by LTV, clipped to the image", () => {
  // 10x8 raw image with one prescan column (LTV1 = 1): table column 8 is raw column 8 (0-based).
  const set = imageOf(10, 8, () => 0, { ltv: [1, 0] });
  doDqi(set, {
    detector: "HRC",
    atodsat: 65535,
    selection,
    bpixtab: [
      row({ PIX1: 8, PIX2: 3, LENGTH: 5, AXIS: 1, VALUE: 16 }), // x 8..12 → clipped to 8..9 on row 2
      row({ PIX1: 1, PIX2: 7, LENGTH: 5, AXIS: 2, VALUE: 4 }), // x 1, rows 6..10 → 6..7
      row({ PIX1: 1, PIX2: 20, LENGTH: 3, AXIS: 1, VALUE: 8 }), // row 19: entirely outside, skipped
    ],
  });
  assert.deepEqual(flagged(set), ["8,2:16", "9,2:16", "1,6:4", "1,7:4"]);
});

test("DQICORR: wildcards (N/A, ANY, -999, -1) apply; other amps, gains and chips do not", () => {
  const set = imageOf(6, 1, () => 0);
  doDqi(set, {
    detector: "HRC",
    atodsat: 65535,
    selection,
    bpixtab: [
      row({ PIX1: 1, CCDAMP: "N/A", VALUE: 1 }),
      row({ PIX1: 2, CCDAMP: "ANY", VALUE: 2 }),
      row({ PIX1: 3, CCDCHIP: -999, VALUE: 4 }),
      row({ PIX1: 4, CCDGAIN: -1, VALUE: 8 }),
      row({ PIX1: 5, CCDAMP: undefined, CCDGAIN: undefined, VALUE: 16 }), // columns absent from the table
      row({ PIX1: 6, CCDAMP: "A", VALUE: 32 }),
      row({ PIX1: 6, CCDGAIN: 1, VALUE: 64 }),
      row({ PIX1: 6, CCDCHIP: 2, VALUE: 128 }),
    ],
  });
  assert.deepEqual([...set.dq], [1, 2, 4, 8, 16, 0]);
});

test("DQICORR: the start is int + double truncated toward zero (binned LTM 0.5: -0.5 → 0, 2.5 → 2)", () => {
  // LTM = 0.5, LTV = 0 → zero-based ltv = 0 + (0.5 - 1) = -0.5. PIX1 = 1 gives 0 + (-0.5) → (int) 0;
  // a floor would give -1 and the one-pixel run would fall off the image. PIX1 = 4: 3 - 0.5 = 2.5 → 2.
  const set = imageOf(4, 2, () => 0, { ltm: [0.5, 0.5] });
  doDqi(set, {
    detector: "HRC",
    atodsat: 65535,
    selection,
    bpixtab: [row({ PIX1: 1, PIX2: 1, VALUE: 16 }), row({ PIX1: 4, PIX2: 2, VALUE: 32 })],
  });
  assert.deepEqual(flagged(set), ["0,0:16", "2,0:32"]); // PIX2 = 2 → 1 - 0.5 = 0.5 → row 0
});

test("DQICORR: no applicable row → placeholder 64 at ((int)LTM1_1, (int)LTM2_2)", () => {
  const unbinned = imageOf(3, 3, () => 0);
  const r1 = doDqi(unbinned, { detector: "HRC", atodsat: 65535, selection, bpixtab: [row({ CCDCHIP: 2 })] });
  assert.deepEqual(r1.placeholder, [1, 1]);
  assert.deepEqual(flagged(unbinned), ["1,1:64"]);
  // An empty table also leaves the placeholder; binned data (LTM 0.5) put it at (0,0).
  const binned = imageOf(3, 3, () => 0, { ltm: [0.5, 0.5] });
  doDqi(binned, { detector: "HRC", atodsat: 65535, selection, bpixtab: [] });
  assert.deepEqual(flagged(binned), ["0,0:64"]);
});

test("DQICORR: AXIS other than 1/2 or LENGTH <= 0 is a table error", () => {
  const set = imageOf(2, 2, () => 0);
  assert.throws(
    () => doDqi(set, { detector: "HRC", atodsat: 1, selection, bpixtab: [row({ AXIS: 3 })] }),
    CalibrationError,
  );
  assert.throws(
    () => doDqi(set, { detector: "HRC", atodsat: 1, selection, bpixtab: [row({ LENGTH: 0 })] }),
    CalibrationError,
  );
});
