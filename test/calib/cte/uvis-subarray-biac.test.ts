// The BIACFILE section under a UVIS subarray with physical overscan (calwf3.e 3.7.3's cte_dobias.c), on a
// reference whose every pixel holds its own column number, so that each expectation is the column calwf3 reads.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CalibrationError } from "../../../src/calib/common/errors.js";
import { createImageSet, type ImageSet } from "../../../src/calib/common/imset.js";
import { biacSection, placeUvisSubarray } from "../../../src/calib/wfc3/cte-subarray.js";

const RAW_CHIP = { nx: 4206, ny: 4 };

/** The full raw chip of UVIS2 (LTV1 25, prescan included), SCI = column number. */
function fullBiac(): ImageSet {
  const sci = Float32Array.from({ length: RAW_CHIP.nx * RAW_CHIP.ny }, (_, k) => k % RAW_CHIP.nx);
  return createImageSet(RAW_CHIP.nx, RAW_CHIP.ny, { sci, geometry: { ltv: [25, 0], ltm: [1, 1] }, chip: 2 });
}

function subarray(nx: number, ltv1: number): ImageSet {
  return createImageSet(nx, 2, { geometry: { ltv: [ltv1, 0], ltm: [1, 1] }, chip: 2 });
}

const row = (section: Float32Array, nx: number) => Array.from(section.subarray(0, nx));

test("a corner subarray with its prescan (amp C) takes the columns under it", () => {
  const section = biacSection(subarray(537, 25), fullBiac(), "BIACFILE");
  assert.deepEqual(
    row(section, 537),
    Array.from({ length: 537 }, (_, i) => i),
  );
});

test("one starting in amp D skips the 60 virtual overscan columns, for the BIACFILE and the pasted raw", () => {
  const set = subarray(537, -3584);
  const section = biacSection(set, fullBiac(), "BIACFILE");
  assert.deepEqual(
    row(section, 537),
    Array.from({ length: 537 }, (_, i) => 3669 + i),
  );
  assert.equal(placeUvisSubarray(set, "raw").x0, 3669);
});

test("one across the middle: the columns from 2073 on come 60 further right; the raw is pasted unshifted", () => {
  const set = subarray(2300, 25);
  const section = row(biacSection(set, fullBiac(), "BIACFILE"), 2300);
  // calwf3 switches one column past the amps' edge: column 2072, the first virtual one, is still subtracted.
  assert.deepEqual(section.slice(2070, 2076), [2070, 2071, 2072, 2133, 2134, 2135]);
  assert.equal(section[2299], 2359);
  assert.equal(placeUvisSubarray(set, "raw").x0, 0);
});

test("one across the middle that the BIACFILE does not cover with the 60 columns skipped is refused", () => {
  assert.throws(
    () => biacSection(subarray(4150, 25), fullBiac(), "BIACFILE x_bic.fits"),
    (e: unknown) =>
      e instanceof CalibrationError && e.code === "SIZE_MISMATCH" && /x_bic\.fits does not cover/.test(e.message),
  );
});
