/**
 * ACS's CTE column correction (calib/common/cte/inversion.ts: PCTENFOR forward readouts of PCTENPAR transfers
 * per pass, with FIXROCR) on seeded 2048-row columns with the simulator's 40-trap parallel model, this build's
 * sources against another build's (`--baseline DIR`, e.g. main's dist) in one process, alternating, median of
 * `--repeats` (3) CPU times; the corrected columns must be bit-identical.
 * `node --import tsx bench/acs-cte-columns.ts [--columns 64] [--baseline /path/to/dist]`
 */
import { cpuUsage } from "node:process";
import { pathToFileURL } from "node:url";
import { columnScratch, correctColumn } from "../src/calib/common/cte/inversion.js";
import { trapPixelMap } from "../src/calib/common/cte/trap-map.js";
import { acsWfcCte } from "../src/sim/acs-cte.js";
import { seededUvisColumns } from "../test/calib/cte/uvis-columns-fixture.js";
import { option } from "./timed-process.js";

const ROWS = 2048;
const count = Number(option("--columns", "64"));
const repeats = Number(option("--repeats", "3"));
const baselineDir = option("--baseline", "");
const { parallel } = acsWfcCte();
const columns = seededUvisColumns(count, 16).map((c) => c.slice(0, ROWS));
const traps = trapPixelMap(parallel.scaling, 0, ROWS, count, 0.9);

type Correct = typeof correctColumn;
const sides: { name: string; correct: Correct; scratch: typeof columnScratch }[] = [
  { name: "this build", correct: correctColumn, scratch: columnScratch },
];
if (baselineDir) {
  const m = await import(pathToFileURL(`${baselineDir}/calib/common/cte/inversion.js`).href);
  sides.unshift({ name: `baseline ${baselineDir}`, correct: m.correctColumn, scratch: m.columnScratch });
}

function run(correct: Correct, scratch: typeof columnScratch): { seconds: number; out: Float64Array[] } {
  const s = scratch(ROWS);
  const out: Float64Array[] = [];
  const start = cpuUsage();
  columns.forEach((column, k) => {
    const t = traps.slice(k * ROWS, (k + 1) * ROWS);
    out.push(correct(column, t, parallel.model, parallel.iterations, 4.2, s).slice());
  });
  const used = cpuUsage(start);
  return { seconds: (used.user + used.system) / 1e6, out };
}

const times = sides.map(() => [] as number[]);
const results: Float64Array[][] = [];
for (let r = 0; r < repeats; r++) {
  sides.forEach((side, k) => {
    const { seconds, out } = run(side.correct, side.scratch);
    times[k].push(seconds);
    results[k] = out;
  });
}
for (let k = 1; k < results.length; k++) {
  results[k].forEach((column, c) => {
    column.forEach((v, j) => {
      if (!Object.is(v, results[0][c][j])) throw new Error(`column ${c} row ${j}: ${v} ≠ ${results[0][c][j]}`);
    });
  });
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
sides.forEach((side, k) => {
  const ms = (median(times[k]) / count) * 1000;
  console.log(`${side.name}: CPU ${times[k].map((s) => s.toFixed(2)).join(" ")} s, ${ms.toFixed(2)} ms/column`);
});
if (sides.length > 1) console.log("corrected columns bit-identical");
