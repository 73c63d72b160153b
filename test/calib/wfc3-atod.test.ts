/**
 * UVIS ATODCORR on hand-made tables and pixels (hstcal wf3ccd/doatod.c): the row of the readout whose
 * REF_KEY_VALUE is nearest the header value (wildcards, first on a tie), the lookup by the integer part
 * (C's truncation toward zero), the last element and SATPIXEL at or past NELEM, negative values kept.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { CalibrationError } from "../../src/calib/common/errors.js";
import { createImageSet } from "../../src/calib/common/imset.js";
import type { RowValue } from "../../src/calib/common/table-rows.js";
import { applyAtod, selectAtodRow } from "../../src/calib/wfc3/uvis-atod.js";

const row = (ccdamp: string, ccdgain: number, refValue: number, first: number) =>
  ({
    CCDAMP: ccdamp,
    CCDGAIN: ccdgain,
    REF_KEY: "CCDTEMP ",
    REF_KEY_VALUE: refValue,
    NELEM: 3,
    ATOD: [first, first + 1, first + 2, 99],
    DESCRIP: `row ${first}`,
  }) as unknown as Record<string, RowValue>;

const ROWS = [row("ABCD", 1.5, 10, 100), row("ABCD", 1.5, 20, 200), row("A", 1.5, 16, 300), row("ANY", -1, 13, 400)];
const readout = { ccdamp: "ABCD", ccdgain: 1.5 };

test("ATODTAB row: nearest REF_KEY_VALUE among the readout's rows, wildcards included, first on a tie", () => {
  const at = (t: number) => selectAtodRow(ROWS, readout, (k) => (k === "CCDTEMP" ? t : Number.NaN), "t_a2d.fits");
  // CCDTEMP 16: distances 6, 4, (amp A not this readout), 3 → the wildcard row
  assert.deepEqual([...at(16).values], [400, 401, 402]);
  assert.equal(at(16).descrip, "row 400");
  assert.deepEqual([...at(19).values], [200, 201, 202], "distance 1 to the second row");
  assert.deepEqual([...at(11.5).values], [100, 101, 102], "a tie of 1.5 keeps the first row");
  assert.throws(
    () => selectAtodRow(ROWS.slice(0, 3), { ccdamp: "C", ccdgain: 1.5 }, () => 0, "t_a2d.fits"),
    (e: unknown) =>
      e instanceof CalibrationError && e.message === "CCD amp C, gain 1.5, not found in ATODTAB t_a2d.fits",
  );
  const long = { ...ROWS[0], NELEM: 5 };
  assert.throws(() => selectAtodRow([long], readout, () => 0, "t_a2d.fits"), /NELEM 5 does not fit/);
});

test("ATODCORR lookup: integer part indexes the table, past its end the last value and SATPIXEL", () => {
  const set = createImageSet(7, 1, { sci: Float32Array.from([-2.5, -0.5, 0, 1.9, 2.99, 3, 70000]) });
  const saturated = applyAtod(set, Float32Array.from([10, 11, 12]));
  assert.deepEqual([...set.sci], [-2.5, 10, 10, 11, 12, 12, 12]);
  assert.deepEqual([...set.dq], [0, 0, 0, 0, 0, 256, 256]);
  assert.equal(saturated, 2);
});
