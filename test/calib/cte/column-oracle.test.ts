// WF3CTE's and ACS's faster CTE column code (issue 16) against the code it replaced (test/calib/oracles/
// uvis-cte-v1, acs-cte-v1), bit for bit: every value of the mitigation, the readout and the corrected column, and the trap densities the
// readout-cosmic-ray fix lowered, on seeded full-length columns and on the edge cases of the positive span.
import assert from "node:assert/strict";
import { test } from "node:test";
import { simulateColumnReadout } from "../../../src/calib/common/cte/readout.js";
import { smoothReadNoise } from "../../../src/calib/common/cte/smoothing.js";
import { correctUvisColumn, uvisColumnScratch } from "../../../src/calib/wfc3/cte-column.js";
import { removeColumnReadNoise } from "../../../src/calib/wfc3/cte-noise.js";
import { RAZ_ROWS } from "../../../src/calib/wfc3/cte-raz.js";
import { uvisReadout } from "../../../src/calib/wfc3/cte-readout.js";
import { acsWfcCte } from "../../../src/sim/acs-cte.js";
import { Random } from "../../../src/sim/random.js";
import { simulateColumnReadout as oracleAcsReadout } from "../oracles/acs-cte-v1/readout.js";
import { smoothReadNoise as oracleSmoothing } from "../oracles/acs-cte-v1/smoothing.js";
import {
  correctUvisColumn as oracleColumn,
  uvisColumnScratch as oracleScratch,
} from "../oracles/uvis-cte-v1/column.js";
import { removeColumnReadNoise as oracleNoise } from "../oracles/uvis-cte-v1/noise.js";
import { uvisReadout as oracleReadout } from "../oracles/uvis-cte-v1/readout.js";
import { seededUvisColumns, uvisDensity, uvisSettings } from "./uvis-columns-fixture.js";

function identical(actual: Float64Array, expected: Float64Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let j = 0; j < expected.length; j++) {
    if (!Object.is(actual[j], expected[j])) assert.fail(`${what} row ${j}: ${actual[j]} ≠ ${expected[j]}`);
  }
}

const edgeColumns = (): [string, Float64Array][] => {
  const only = (rows: number[], value = 50) => {
    const c = new Float64Array(RAZ_ROWS).fill(-1);
    for (const j of rows) c[j] = value;
    return c;
  };
  return [
    ["no positive pixel", new Float64Array(RAZ_ROWS).fill(-3)],
    ["one positive pixel (low = high)", only([900])],
    ["positive only at the first and last mitigated rows", only([2, 2047])],
    ["two adjacent positive pixels", only([2046, 2047])],
    ["positive only outside rows 2..2047", only([0, 1, 2048, 2060])],
    ["flat column (no pixel ever moves)", new Float64Array(RAZ_ROWS).fill(30)],
  ];
};

test("mitigation: the fused single pass equals the previous two-pass code bit for bit", () => {
  const cases: [string, Float64Array][] = [
    ...edgeColumns(),
    ...seededUvisColumns(40, 7).map((c, k): [string, Float64Array] => [`seeded column ${k}`, c]),
  ];
  for (const readNoise of [3.75, 4.2, 9.75]) {
    for (const [what, column] of cases) {
      const smooth = new Float64Array(RAZ_ROWS);
      const expected = new Float64Array(RAZ_ROWS);
      const noise = new Float64Array(RAZ_ROWS).fill(123); // stale scratch from a previous column
      removeColumnReadNoise(column, smooth, Math.fround(readNoise), noise);
      oracleNoise(column, expected, Math.fround(readNoise));
      identical(smooth, expected, `${what}, read noise ${readNoise}`);
    }
  }
});

test("readout: equal to the previous code bit for bit", () => {
  const { model } = uvisSettings(4.2);
  for (const [k, column] of seededUvisColumns(20, 9).entries()) {
    const actual = Float64Array.from(column);
    const expected = Float64Array.from(column);
    uvisReadout(actual, uvisDensity(), model, 7);
    oracleReadout(expected, uvisDensity(), model, 7);
    identical(actual, expected, `readout of seeded column ${k}`);
  }
});

test("corrected columns and lowered densities equal the previous code bit for bit", () => {
  for (const threshold of [-10, -5, 1]) {
    const settings = uvisSettings(4.2, threshold);
    const scratch = uvisColumnScratch(RAZ_ROWS);
    const previous = oracleScratch(RAZ_ROWS);
    const columns = [...edgeColumns().map(([, c]) => c), ...seededUvisColumns(30, 16)];
    let lowered = 0;
    for (const [k, column] of columns.entries()) {
      const density = uvisDensity();
      const expectedDensity = uvisDensity();
      const actual = correctUvisColumn(column, density, settings, scratch);
      const expected = oracleColumn(column, expectedDensity, settings, previous);
      identical(actual, expected, `column ${k}, PCTETRSH ${threshold}`);
      identical(density, expectedDensity, `density of column ${k}, PCTETRSH ${threshold}`);
      if (density.some((d, j) => d !== uvisDensity()[j])) lowered++;
    }
    // The fixture's readout cosmic rays exercise the density fix at PCTETRSH -5.
    if (threshold === -5) assert.ok(lowered > 0, "some column had its trap density lowered");
  }
});

test("ACS readout: equal to the previous code bit for bit, with trap densities that drop along the column", () => {
  const cte = acsWfcCte();
  const rows = 2048;
  const traps = new Float32Array(rows);
  for (let j = 0; j < rows; j++) traps[j] = Math.fround(((j + 1) / 2048) * (j >= 1000 && j < 1100 ? 0.7 : 1));
  for (const set of [cte.parallel, cte.serial.A]) {
    for (const [k, column] of seededUvisColumns(20, 5).entries()) {
      const actual = column.slice(0, rows);
      const expected = column.slice(0, rows);
      simulateColumnReadout(actual, traps, set.model, set.iterations, rows);
      oracleAcsReadout(expected, traps, set.model, set.iterations, rows);
      identical(actual, expected, `ACS readout of seeded column ${k}`);
    }
  }
});

test("ACS readout skipping whole blocks of rows: bit for bit on short columns, ragged blocks, NaN, sources at the ends", () => {
  const { parallel } = acsWfcCte();
  const cases: [string, number[]][] = [
    ["one row", [500]],
    ["33 rows, the source in the ragged last block", [...Array(32).fill(1), 3000]],
    ["a source in the first and in the last row", [2500, ...Array(98).fill(3), 2500]],
    ["a NaN in a block below every level", [...Array(40).fill(1), Number.NaN, ...Array(60).fill(1), 900, 1, 1]],
    ["a NaN beside a bright pixel", [...Array(70).fill(5), 1200, Number.NaN, 800, ...Array(70).fill(5)]],
    ["nothing reaches a trap", Array(100).fill(1.5)],
    ["a readout cosmic ray of 60000 e- and a flat sky", [...Array(500).fill(20), 60000, ...Array(1547).fill(20)]],
  ];
  for (const [what, values] of cases) {
    const rows = values.length;
    const traps = Float32Array.from(values, (_, j) => Math.fround(((j + 1) / 2048) * (j % 97 === 50 ? 0.6 : 3)));
    const actual = Float64Array.from(values);
    const expected = Float64Array.from(values);
    simulateColumnReadout(actual, traps, parallel.model, parallel.iterations, rows);
    oracleAcsReadout(expected, traps, parallel.model, parallel.iterations, rows);
    identical(actual, expected, what);
  }
});

test("ACS smoothing two columns at a time: bit for bit with the whole-image rounds, edge columns and early stops", () => {
  const random = new Random(23);
  for (const [rows, columns, readNoise, rounds] of [
    [2048, 24, 4.2, 100],
    [37, 3, 5, 100],
    [64, 4, 3.3, 7],
    [128, 40, 0.05, 100],
  ]) {
    const image = Float32Array.from({ length: rows * columns }, (_, k) => {
      const source = k % 331 === 7 ? 3000 * random.uniform() : 0;
      return Math.fround((k % 53 === 0 ? 0 : 30) + source + readNoise * random.normal());
    });
    const actual = smoothReadNoise(image, rows, columns, readNoise, rounds);
    const expected = oracleSmoothing(image, rows, columns, readNoise, rounds);
    identical(Float64Array.from(actual), Float64Array.from(expected), `${rows} × ${columns}, read noise ${readNoise}`);
  }
});
