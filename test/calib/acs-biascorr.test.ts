import assert from "node:assert/strict";
import { test } from "node:test";
import { subtractBias } from "../../src/calib/acs/biascorr.js";
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
