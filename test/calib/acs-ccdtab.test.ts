import assert from "node:assert/strict";
import { test } from "node:test";
import { selectCcdParameters } from "../../src/calib/acs/ccdtab.js";
import { CalibrationError } from "../../src/calib/common/errors.js";
import { ccdRow } from "./acs-fixtures.js";

const want = { ccdamp: "B", ccdgain: 2, ccdchip: 1, ccdofst: [3, 3, 3, 3] as [number, number, number, number] };

test("CCDTAB: the first row matching CCDAMP, CCDGAIN, CCDCHIP and CCDOFST wins; wildcards match", () => {
  const rows = [
    ccdRow({ CCDAMP: "ABCD" }), // wrong amp string (exact match required, not "contains")
    ccdRow({ CCDGAIN: 1 }), // wrong gain
    ccdRow({ CCDOFSTB: 4 }), // wrong offset
    ccdRow({ CCDCHIP: -1, ATODGNB: 2.02 }), // chip wildcard: this one
    ccdRow({ ATODGNB: 9 }), // would match too, but comes later
  ];
  const selected = selectCcdParameters(rows, want, { nx: 10 });
  assert.equal(selected.rowIndex, 3);
  assert.equal(selected.parameters.atodgain[1], Math.fround(2.02)); // CCDTAB floats are C floats
});

test("CCDTAB: BINAXIS is not used; CCDAMP 'ANY' and trailing blanks match", () => {
  assert.equal(selectCcdParameters([ccdRow({ BINAXIS1: 4, BINAXIS2: 4 })], want, { nx: 10 }).rowIndex, 0);
  assert.equal(selectCcdParameters([ccdRow({ CCDAMP: "ANY" })], want, { nx: 10 }).rowIndex, 0);
  assert.equal(selectCcdParameters([ccdRow({ CCDAMP: "B   " })], want, { nx: 10 }).rowIndex, 0);
});

test("CCDTAB: amps not named in CCDAMP get zero gain, read noise and bias", () => {
  const p = selectCcdParameters(
    [ccdRow({ CCDAMP: "AD", ATODGNA: 1.5, READNSED: 5 })],
    { ...want, ccdamp: "AD" },
    { nx: 10 },
  ).parameters;
  assert.deepEqual(p.atodgain, [1.5, 0, 0, 2]);
  assert.deepEqual(p.readnoise, [4, 0, 0, 5]);
  assert.deepEqual(p.ccdbias, [10, 0, 0, 10]);
});

test("CCDTAB: AMPX larger than the image width is clamped to NAXIS1; AMPY is kept", () => {
  const p = selectCcdParameters([ccdRow({ AMPX: 2100, AMPY: 3000 })], want, { nx: 1062 }).parameters;
  assert.equal(p.ampx, 1062);
  assert.equal(p.ampy, 3000);
});

test("CCDTAB: float gain compared as C floats; an integer gain column compares (int)CCDGAIN", () => {
  // 1.4 as a float32 table value equals the header's 1.4 once both are C floats.
  assert.equal(
    selectCcdParameters([ccdRow({ CCDGAIN: Math.fround(1.4) })], { ...want, ccdgain: 1.4 }, { nx: 10 }).rowIndex,
    0,
  );
  // A pre-SM4 integer column: (int)1.4 == 1 matches the row with 1.
  const intRow = [ccdRow({ CCDGAIN: 1 })];
  assert.equal(
    selectCcdParameters(intRow, { ...want, ccdgain: 1.4 }, { nx: 10, gainColumnIsInteger: true }).rowIndex,
    0,
  );
  assert.throws(() => selectCcdParameters(intRow, { ...want, ccdgain: 1.4 }, { nx: 10 }), CalibrationError);
});

test("CCDTAB: no matching row is a clear error naming the values looked for", () => {
  assert.throws(
    () =>
      selectCcdParameters(
        [ccdRow()],
        { ccdamp: "C", ccdgain: 1.4, ccdchip: 2, ccdofst: [3, 3, 3, 3] },
        {
          nx: 10,
          tableName: "jref$x_ccd.fits",
        },
      ),
    (e: unknown) =>
      e instanceof CalibrationError &&
      e.code === "TABLE_ROW_MISSING" &&
      /jref\$x_ccd\.fits/.test(e.message) &&
      /CCDAMP C, CCDGAIN 1\.4, CCDCHIP 2, CCDOFST 3,3,3,3/.test(e.message),
  );
});
