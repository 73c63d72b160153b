// The CTE WebAssembly kernels (wasm/cte-kernels.ts, built by npm run build) against their TypeScript twins
// (CALDP_WASM=0), bit for bit: ACS's and WFC3/UVIS's forward readouts on random columns with traps, saturated
// pixels, zeros, negative values and non-finite ones, densities that drop along the column, models whose usable
// traps are fewer than their levels, columns longer than the rows read; ACS's smoothing on images of 1 to 70
// columns (odd heights, the SIMD pairs' tails); WF3CTE's column noise on full RAZ columns, the span's edges and
// short spans of every width (its SIMD pairs' tails).
// Which kernels run by default follows CALDP_WASM, in a child process.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { cteWasm } from "../../../src/calib/common/cte/cte-wasm.js";
import { columnScratch, correctColumnTs } from "../../../src/calib/common/cte/inversion.js";
import { simulateColumnReadoutTs } from "../../../src/calib/common/cte/readout.js";
import { smoothReadNoiseTs } from "../../../src/calib/common/cte/smoothing.js";
import { type TrapModel, trapModelFromProfiles } from "../../../src/calib/common/cte/trap-model.js";
import { removeColumnReadNoiseTs } from "../../../src/calib/wfc3/cte-noise.js";
import { RAZ_ROWS } from "../../../src/calib/wfc3/cte-raz.js";
import { uvisReadoutTs } from "../../../src/calib/wfc3/cte-readout.js";
import { acsWfcCte } from "../../../src/sim/acs-cte.js";
import { wfc3UvisTrapModel } from "../../../src/sim/wfc3-cte.js";
import { mulberry32 } from "../../helpers/mulberry32.js";
import { REPO } from "../../helpers/paths.js";
import { seededUvisColumns, uvisDensity } from "./uvis-columns-fixture.js";

function identical(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let j = 0; j < expected.length; j++) {
    if (!Object.is(actual[j], expected[j])) assert.fail(`${what} row ${j}: ${actual[j]} ≠ ${expected[j]}`);
  }
}

const SATURATED = 84000;

/** Sky of -5..60 e- with noise, sources up to 30,000 e-, saturated runs, zero runs, negative pixels, a few non-finite. */
function randomColumn(next: () => number, length: number, nonFinite: boolean): Float64Array {
  const sky = -5 + 65 * next();
  const column = Float64Array.from({ length }, () => Math.fround(sky + 4 * (next() - 0.5)));
  for (let s = 0; s < 1 + length / 100; s++) {
    const at = Math.floor(next() * length);
    const kind = next();
    const span = 1 + Math.floor(next() * 6);
    for (let j = at; j < Math.min(length, at + span); j++) {
      if (kind < 0.2) column[j] = SATURATED;
      else if (kind < 0.35) column[j] = 0;
      else if (kind < 0.5) column[j] = -50 * next();
      else column[j] += Math.fround(30000 * next() ** 3);
    }
  }
  if (nonFinite) {
    column[Math.floor(next() * length)] = Number.NaN;
    column[Math.floor(next() * length)] = Number.POSITIVE_INFINITY;
  }
  return column;
}

/** Trap densities growing along the column, with drops (the readout-cosmic-ray fix) and zeros. */
function randomTraps(next: () => number, length: number): Float32Array {
  const traps = Float32Array.from({ length }, (_, j) => ((j + 1) / length) * (0.5 + next()));
  for (let k = 0; k < length / 50; k++) traps[Math.floor(next() * length)] *= next() < 0.3 ? 0 : 0.75;
  return traps;
}

/** A small model: `levels` traps, of which only `usable` count, with random release profiles. */
function randomModel(next: () => number, levels: number, usable: number, profileLength: number): TrapModel {
  const chargeLevels = Array.from({ length: levels }, (_, w) => 5 + w * w * 40 * (0.5 + next()));
  const release = chargeLevels.map(() => {
    const scale = 1 + 5 * next();
    return Array.from({ length: profileLength }, (_, t) => Math.exp(-t / scale) * 0.2);
  });
  return { ...trapModelFromProfiles(chargeLevels, release), trapCount: usable };
}

const acsModels = (): [string, TrapModel, number][] => {
  const next = mulberry32(5);
  const { parallel, serial } = acsWfcCte();
  return [
    ["the simulator's parallel model", parallel.model, parallel.iterations.trailLength],
    ["the simulator's serial model", serial.A.model, serial.A.iterations.trailLength],
    ["12 levels, 9 usable, trail 20", randomModel(next, 12, 9, 64), 20],
    ["3 levels, trail as long as the profile", randomModel(next, 3, 3, 40), 40],
  ];
};

test("ACS readout: WebAssembly equals TypeScript bit for bit", () => {
  const next = mulberry32(1);
  const wasm = cteWasm();
  for (const [name, model, trailLength] of acsModels()) {
    for (const length of [1, 2, 31, 32, 33, 97, 2048]) {
      for (const parallelTransfers of [1, 3, 7]) {
        const iterations = {
          trailLength,
          forwardIterations: 5,
          parallelTransfers,
          fixReadoutCosmicRays: true,
          overSubtractionThreshold: -10,
        };
        const column = randomColumn(next, length + 3, length > 40 && parallelTransfers === 3);
        const traps = randomTraps(next, length + 3);
        const rows = length; // the values beyond `rows` are not read out
        const expected = column.slice();
        simulateColumnReadoutTs(expected, traps, model, iterations, rows);
        const actual = column.slice();
        wasm.readout.acs(actual, traps, model, iterations, rows);
        identical(actual, expected, `${name}, ${length} rows, ${parallelTransfers} transfers`);
      }
    }
  }
});

test("ACS inversion: the whole column correction in WebAssembly equals TypeScript bit for bit, traps included", () => {
  const next = mulberry32(6);
  const wasm = cteWasm();
  let lowered = 0;
  for (const [name, model, trailLength] of acsModels()) {
    for (const length of [1, 12, 13, 33, 97, 2048]) {
      // A threshold of +50 e- finds "over-subtracted" sky everywhere: FIXROCR lowers traps and passes again.
      for (const [forwardIterations, parallelTransfers, fix, threshold] of [
        [1, 1, true, -10],
        [5, 7, true, -10],
        [5, 7, true, 50],
        [3, 2, false, 50],
      ] as const) {
        for (const readNoise of [0, Math.fround(4.2)]) {
          const iterations = {
            trailLength,
            forwardIterations,
            parallelTransfers,
            fixReadoutCosmicRays: fix,
            overSubtractionThreshold: threshold,
          };
          const observed = randomColumn(next, length, length === 97 && readNoise === 0);
          const traps = randomTraps(next, length);
          const expectedTraps = traps.slice();
          const expected = correctColumnTs(
            observed,
            expectedTraps,
            model,
            iterations,
            readNoise,
            columnScratch(length),
          );
          const actual = new Float64Array(length);
          const actualTraps = traps.slice();
          wasm.readout.acsCorrect(observed, actualTraps, model, iterations, readNoise, actual);
          const what = `${name}, ${length} rows, ${forwardIterations}×${parallelTransfers}, noise ${readNoise}`;
          identical(actual, expected, what);
          identical(actualTraps, expectedTraps, `${what}: traps`);
          if (expectedTraps.some((t, j) => t !== traps[j])) lowered++;
        }
      }
    }
  }
  // FIXROCR must have lowered traps in some columns, or the traps' comparison proves nothing.
  assert.ok(lowered > 5, `FIXROCR lowered traps in ${lowered} columns`);
});

test("WFC3/UVIS readout: WebAssembly equals TypeScript bit for bit", () => {
  const next = mulberry32(2);
  const wasm = cteWasm();
  const models: [string, TrapModel][] = [
    ["the simulator's UVIS model", wfc3UvisTrapModel()],
    ["8 levels, 6 usable", randomModel(next, 8, 6, 100)],
  ];
  for (const [name, model] of models) {
    for (const length of [2, 33, 500, RAZ_ROWS]) {
      for (const transfers of [1, 7]) {
        const column = randomColumn(next, length, length === 500);
        const density = Float64Array.from(randomTraps(next, length), (d) => d * 1.0000001);
        const expected = column.slice();
        uvisReadoutTs(expected, density, model, transfers);
        const actual = column.slice();
        wasm.readout.uvis(actual, density, model, transfers);
        identical(actual, expected, `${name}, ${length} rows, ${transfers} transfers`);
      }
    }
  }
  // The seeded science columns of the UVIS benches, with the density every column starts from.
  for (const [k, column] of seededUvisColumns(12, 3).entries()) {
    const expected = column.slice();
    uvisReadoutTs(expected, uvisDensity(), wfc3UvisTrapModel(), 7);
    const actual = column.slice();
    wasm.readout.uvis(actual, uvisDensity(), wfc3UvisTrapModel(), 7);
    identical(actual, expected, `seeded column ${k}`);
  }
});

test("ACS smoothing: WebAssembly SIMD equals TypeScript bit for bit", () => {
  const next = mulberry32(3);
  const wasm = cteWasm();
  for (const [rows, columns] of [
    [1, 1],
    [2, 3],
    [5, 1],
    [7, 2],
    [64, 3],
    [33, 70],
    [128, 9],
  ] as const) {
    for (const readNoise of [0.5, 4.2, 11]) {
      const image = new Float32Array(rows * columns);
      for (let c = 0; c < columns; c++) image.set(Float32Array.from(randomColumn(next, rows, false)), c * rows);
      if (rows * columns > 100) image[Math.floor(next() * image.length)] = Number.NaN;
      for (const rounds of [1, 100]) {
        const expected = smoothReadNoiseTs(image, rows, columns, readNoise, rounds);
        const actual = wasm.smoothRounds(image, rows, columns, readNoise, rounds);
        identical(actual, expected, `${rows}×${columns}, read noise ${readNoise}, ${rounds} rounds`);
      }
    }
  }
});

test("WF3CTE column noise: WebAssembly equals TypeScript bit for bit", () => {
  const next = mulberry32(4);
  const wasm = cteWasm();
  const columns = seededUvisColumns(10, 8);
  const only = (rows: number[]) => {
    const c = new Float64Array(RAZ_ROWS).fill(-1);
    for (const j of rows) c[j] = 50;
    return c;
  };
  columns.push(only([]), only([900]), only([2, 2047]), only([1, 2048]), randomColumn(next, RAZ_ROWS, true));
  // Short spans of every width up to 9 at odd and even rows: the kernel's rows in pairs and one at a time.
  for (let width = 2; width <= 9; width++) {
    for (const start of [2, 701, 2048 - width]) {
      const c = new Float64Array(RAZ_ROWS).fill(-1);
      for (let j = start; j < start + width; j++) c[j] = 20 + 15 * next();
      columns.push(c);
    }
  }
  for (const [k, column] of columns.entries()) {
    for (const readNoise of [3.1, 6.5]) {
      const expected = { smooth: new Float64Array(RAZ_ROWS), noise: new Float64Array(RAZ_ROWS) };
      removeColumnReadNoiseTs(column, expected.smooth, readNoise, expected.noise);
      const smooth = new Float64Array(RAZ_ROWS).fill(7);
      const noise = new Float64Array(RAZ_ROWS).fill(7);
      wasm.noise.remove(column, smooth, readNoise, noise);
      identical(smooth, expected.smooth, `column ${k} smooth, read noise ${readNoise}`);
      identical(noise, expected.noise, `column ${k} noise, read noise ${readNoise}`);
    }
  }
});

test("CALDP_WASM chooses the kernels; another value is an error naming the setting", () => {
  const script =
    "import { chosenCteWasm } from './src/calib/common/cte/cte-wasm.ts';" +
    "try { console.log(chosenCteWasm() ? 'wasm' : 'typescript'); } catch (e) { console.log(e.message); }";
  const run = (value: string | undefined) =>
    spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: REPO,
      env: { ...process.env, CALDP_WASM: value },
      encoding: "utf8",
      timeout: 30_000,
    }).stdout.trim();
  assert.equal(run(""), "wasm");
  assert.equal(run("1"), "wasm");
  assert.equal(run("0"), "typescript");
  assert.match(run("yes"), /^CALDP_WASM=yes: expected 0 .* or 1 /);
});
