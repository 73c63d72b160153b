import assert from "node:assert/strict";
import { test } from "node:test";
import { type Columns, columnPrintDifferences, columnsPrint, SAMPLED_VALUES, sampleIndices } from "./column-print.js";

// a spectrum shaped like an sx1 row: float64 wavelengths, float32 fluxes near 1e-13 crossing zero, flagged DQ
const f32 = (v: number) => Math.fround(v);
const columns: Columns = {
  WAVELENGTH: Array.from({ length: 1024 }, (_, x) => 2900 + 2.7 * x + 1e-6 * x * x),
  FLUX: Array.from({ length: 1024 }, (_, x) => f32(1e-13 * Math.sin(x / 90) + 2e-14)),
  DQ: Array.from({ length: 1024 }, (_, x) => (x % 97 === 5 ? 2048 : x % 211 === 3 ? 4 : 0)),
  OFFSET: [f32(7.2912)],
};
const theirs = columnsPrint(columns, 23);
const sampled = sampleIndices(23, 1024);
const unsampled = Array.from({ length: 1024 }, (_, i) => i).filter(
  (i) => !sampled.includes(i) && i !== theirs.columns.FLUX.argmax && columns.DQ[i] === 0,
);
const changed = (edit: (c: Columns) => void) => {
  const c = structuredClone(columns);
  edit(c);
  return columnPrintDifferences(c, theirs);
};

test("the print samples the first, last and seeded indices, and equals the columns it was made of", () => {
  assert.equal(sampled[0], 0);
  assert.equal(sampled.at(-1), 1023);
  assert.ok(sampled.length > SAMPLED_VALUES - 4 && sampled.length <= SAMPLED_VALUES);
  assert.deepEqual(sampleIndices(23, 1), [0]);
  assert.deepEqual(theirs.columns.DQ.or, 2048 | 4);
  assert.equal(theirs.columns.DQ.nonzero, columns.DQ.filter((v) => v !== 0).length);
  assert.deepEqual(columnPrintDifferences(columns, theirs), []);
  // within 1e-4 relative, and near zero within 1e-4 of 1e-4 of the column's largest
  assert.deepEqual(
    changed((c) => {
      for (const i of sampled) c.FLUX[i] *= 1 + 5e-5;
      c.OFFSET[0] *= 1 - 5e-5;
    }),
    [],
  );
});

test("a changed value at a sampled index is reported, also at the argmax and for a scalar column", () => {
  const i = sampled[5];
  const flux = changed((c) => {
    c.FLUX[i] *= 1.001;
  });
  assert.ok(flux.includes(`FLUX[${i}] ${columns.FLUX[i] * 1.001}, cs0.e ${theirs.columns.FLUX.samples[5]}`), `${flux}`);
  const top = theirs.columns.FLUX.argmax;
  assert.ok(changed((c) => (c.FLUX[top] *= 0.999)).some((d) => d.startsWith(`FLUX[${top}] `)));
  assert.deepEqual(
    changed((c) => (c.OFFSET[0] += 0.01)).map((d) => d.split(" ")[0]),
    ["OFFSET", "OFFSET", "OFFSET", "OFFSET", "OFFSET[0]", "OFFSET[0]"],
  );
  assert.deepEqual(changed((c) => (c.DQ[sampled[3]] = 16)).slice(-1), [`DQ[${sampled[3]}] 16, cs0.e 0`]);
});

test("a changed value at no sampled index shows in the statistics: sum and mean, DQ's OR and non-zero count", () => {
  const i = unsampled.find((k) => columns.FLUX[k] < 0 && k > 500)!;
  assert.deepEqual(
    changed((c) => (c.FLUX[i] += 1e-14)).map((d) => d.split(" ").slice(0, 2).join(" ")),
    ["FLUX mean", "FLUX sum"],
  );
  assert.deepEqual(
    changed((c) => (c.DQ[i] = 16)).map((d) => d.split(" ").slice(0, 2).join(" ")),
    ["DQ mean", "DQ sum", "DQ or", "DQ nonzero"],
  );
  assert.deepEqual(changed((c) => (c.WAVELENGTH[i] = 1e5)).slice(0, 1), [
    `WAVELENGTH max 100000, cs0.e ${theirs.columns.WAVELENGTH.max}`,
  ]);
});

test("a wrong length and a missing column are reported", () => {
  assert.equal(changed((c) => c.FLUX.push(0))[0], "FLUX: 1025 values, cs0.e 1024");
  assert.equal(changed((c) => c.FLUX.pop())[0], "FLUX: 1023 values, cs0.e 1024");
  assert.deepEqual(
    changed((c) => delete c.DQ),
    ["DQ: missing"],
  );
});
