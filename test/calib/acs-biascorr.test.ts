import assert from "node:assert/strict";
import { test } from "node:test";
import { subtractBias } from "../../src/calib/acs/biascorr.js";
import { flagFullWellSaturation } from "../../src/calib/acs/fwsat.js";
import { BAND_ROWS, type ReadRows, rowsView } from "../../src/calib/acs/reference-rows.js";
import { CalibrationError } from "../../src/calib/common/errors.js";
import { imageOf } from "./acs-fixtures.js";

test("BIASCORR: the bias imset of the same CCDCHIP is subtracted in DN, ERR in quadrature, DQ OR", () => {
  const science = imageOf(4, 3, () => 100, { ltv: [1, 0], chip: 1, err: 3 });
  const otherChip = imageOf(4, 3, () => 50, { ltv: [1, 0], chip: 2 });
  const bias = imageOf(4, 3, (i, j) => i + 10 * j, { ltv: [1, 0], chip: 1, err: 4 });
  bias.dq[5] = 128;
  subtractBias(science, [otherChip, bias]);
  assert.deepEqual([...science.sci], [100, 99, 98, 97, 90, 89, 88, 87, 80, 79, 78, 77]);
  assert.ok(science.err.every((e) => e === 5)); // sqrt(3² + 4²)
  assert.equal(science.dq[5], 128);
});

test("BIASCORR: a subarray uses the section of the full-frame bias at its LTV offset", () => {
  // Subarray corner (2, 1) (LTV = -2, -1) in a 6x4 bias whose pixel value is 10*j + i.
  const science = imageOf(3, 2, () => 100, { ltv: [-2, -1] });
  const bias = imageOf(6, 4, (i, j) => 10 * j + i);
  subtractBias(science, [bias]);
  assert.deepEqual([...science.sci], [100 - 12, 100 - 13, 100 - 14, 100 - 22, 100 - 23, 100 - 24]);
});

test("BIASCORR: no bias imset for the chip is an error", () => {
  assert.throws(
    () =>
      subtractBias(
        imageOf(2, 2, () => 0, { chip: 2 }),
        [imageOf(2, 2, () => 0, { chip: 1 })],
      ),
    (e: unknown) => e instanceof CalibrationError && e.code === "CAL_FILE_MISSING",
  );
});

/** A `readRows` that copies the rows asked for (as a read from the file would) and records them. */
function copyingRows(asked: [number, number][]): ReadRows {
  return (set, y0, y1) => {
    asked.push([y0, y1]);
    const view = rowsView(set, y0, y1);
    return { ...view, sci: view.sci.slice(), err: view.err.slice(), dq: view.dq.slice() };
  };
}

test("BIASCORR by bands of rows: a tall subarray gets, band after band, the pixels of the whole subtraction", () => {
  // Subarray corner (2, 7) in a 9 × (2 bands + 60) bias; the science spans two bands and part of a third.
  const ny = 2 * BAND_ROWS + 50;
  const bias = imageOf(9, ny + 10, (i, j) => Math.sin(i + 9 * j) * 50, { err: 2 });
  bias.dq.forEach((_, k) => {
    bias.dq[k] = k % 5 === 0 ? 0x8000 : 0;
  });
  const science = () => imageOf(5, ny, (i, j) => 1000 + i - j, { ltv: [-2, -7], err: 1 });
  const [whole, banded] = [science(), science()];
  subtractBias(whole, [bias]);
  const asked: [number, number][] = [];
  subtractBias(banded, [bias], copyingRows(asked));
  assert.deepEqual(asked, [
    [7, 7 + BAND_ROWS],
    [7 + BAND_ROWS, 7 + 2 * BAND_ROWS],
    [7 + 2 * BAND_ROWS, 7 + ny],
  ]);
  for (const plane of ["sci", "err", "dq"] as const) assert.deepEqual(banded[plane], whole[plane], plane);
  // pixel (4, 200) against bias (6, 207)
  const k = 200 * 5 + 4;
  assert.equal(whole.sci[k], Math.fround(1000 + 4 - 200 - Math.fround(Math.sin(6 + 9 * 207) * 50)));
  assert.equal(whole.dq[k], bias.dq[207 * 9 + 6]);
});

test("full-well saturation by bands of rows flags what the whole comparison flags", () => {
  const ny = BAND_ROWS + 30;
  const satu = imageOf(8, ny, (i, j) => 100 + ((i * 7 + j * 3) % 11));
  const science = () => imageOf(8, ny, (i, j) => 100 + ((i * 5 + j) % 13), { ltv: [1, 0] });
  const [whole, banded] = [science(), science()];
  const trims = { trimx: [1, 1] as [number, number], trimy: [0, 3] as [number, number] };
  const n = flagFullWellSaturation(whole, [{ ...satu, geometry: { ltv: [1, 0], ltm: [1, 1] } }], trims);
  const asked: [number, number][] = [];
  const m = flagFullWellSaturation(
    banded,
    [{ ...satu, geometry: { ltv: [1, 0], ltm: [1, 1] } }],
    trims,
    copyingRows(asked),
  );
  assert.ok(n > 100);
  assert.equal(m, n);
  assert.deepEqual(banded.dq, whole.dq);
  assert.deepEqual(asked, [
    [0, BAND_ROWS],
    [BAND_ROWS, ny - 3],
  ]);
});
