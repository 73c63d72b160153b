import assert from "node:assert/strict";
import { test } from "node:test";
import { acsWfcOrientation, extractAmp, insertAmp, orientedShape } from "../../../src/calib/common/cte/orientation.js";

// A 6 × 2 chip holding 10 y + x; the amp is the 3 columns from x0 = 3 (the chip's right half).
const chip = Float32Array.from({ length: 12 }, (_, i) => 10 * Math.floor(i / 6) + (i % 6));
const region = { chipWidth: 6, x0: 3, width: 3, height: 2 };

test("parallel: row 0 of every oriented column is the pixel next to the amp (by hand)", () => {
  // D (chip 2, right): readout at row 0, serial register at the right → column 0 is chip column 5.
  assert.deepEqual([...extractAmp(chip, region, acsWfcOrientation("D", "parallel"))], [5, 15, 4, 14, 3, 13]);
  // B (chip 1, right): readout at the top row → each column runs from y = 1 down.
  assert.deepEqual([...extractAmp(chip, region, acsWfcOrientation("B", "parallel"))], [15, 5, 14, 4, 13, 3]);
  // C (chip 2, left) as it is; A (chip 1, left) upside down.
  assert.deepEqual([...extractAmp(chip, region, acsWfcOrientation("C", "parallel"))], [3, 13, 4, 14, 5, 15]);
  assert.deepEqual([...extractAmp(chip, region, acsWfcOrientation("A", "parallel"))], [13, 3, 14, 4, 15, 5]);
});

test("serial: transposed, rows run along the serial register from the amp (by hand)", () => {
  const d = acsWfcOrientation("D", "serial");
  assert.deepEqual(orientedShape(region, d), { rows: 3, columns: 2 });
  // D reads out at its right: row 0 is x = 5; its columns are chip rows, flipped (hstcal's rotation + alignment).
  assert.deepEqual([...extractAmp(chip, region, d)], [15, 14, 13, 5, 4, 3]);
  // A reads out at its left: row 0 is the amp's first column; columns are chip rows in order.
  assert.deepEqual([...extractAmp(chip, region, acsWfcOrientation("A", "serial"))], [3, 4, 5, 13, 14, 15]);
  assert.deepEqual([...extractAmp(chip, region, acsWfcOrientation("C", "serial"))], [13, 14, 15, 3, 4, 5]);
  assert.deepEqual([...extractAmp(chip, region, acsWfcOrientation("B", "serial"))], [5, 4, 3, 15, 14, 13]);
});

test("insert puts back exactly what extract took, for every amp and direction", () => {
  for (const amp of ["A", "B", "C", "D"] as const) {
    for (const direction of ["parallel", "serial"] as const) {
      const o = acsWfcOrientation(amp, direction);
      const copy = new Float32Array(12).fill(-1);
      insertAmp(copy, region, o, extractAmp(chip, region, o));
      assert.deepEqual([...copy], [-1, -1, -1, 3, 4, 5, -1, -1, -1, 13, 14, 15], `${amp} ${direction}`);
    }
  }
});
