/**
 * WF3CTE's column correction, current code against the pre-issue-16 oracle (test/calib/oracles/uvis-cte-v1), on
 * the same seeded columns in one process, alternating, median of `CTE_BENCH_REPEATS` (default 3) CPU times.
 * `npx tsx bench/uvis-cte-columns.ts [columns]` (default 64); with `--baseline DIR` the "before" is another
 * build's column code (DIR/calib/wfc3/cte-column.js, e.g. main's dist) instead of the oracle.
 */
import { argv, cpuUsage } from "node:process";
import { pathToFileURL } from "node:url";
import { correctUvisColumn, uvisColumnScratch } from "../src/calib/wfc3/cte-column.js";
import { RAZ_ROWS } from "../src/calib/wfc3/cte-raz.js";
import { seededUvisColumns, uvisDensity, uvisSettings } from "../test/calib/cte/uvis-columns-fixture.js";
import {
  correctUvisColumn as oracleColumn,
  uvisColumnScratch as oracleScratch,
} from "../test/calib/oracles/uvis-cte-v1/column.js";

const at = argv.indexOf("--baseline");
const baselineDir = at >= 0 ? argv.splice(at, 2)[1] : undefined;
const count = Number(argv[2] ?? 64);
const repeats = Number(process.env.CTE_BENCH_REPEATS ?? 3);
const columns = seededUvisColumns(count, 16);
const settings = uvisSettings(4.2);

function cpuSeconds(correct: typeof correctUvisColumn, scratch: ReturnType<typeof uvisColumnScratch>): number {
  const start = cpuUsage();
  for (const column of columns) correct(column, uvisDensity(), settings, scratch);
  const used = cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

const baseline = baselineDir
  ? await import(pathToFileURL(`${baselineDir}/calib/wfc3/cte-column.js`).href)
  : { correctUvisColumn: oracleColumn, uvisColumnScratch: oracleScratch };
if (baselineDir) console.log(`before: ${baselineDir}`);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const before: number[] = [];
const after: number[] = [];
for (let r = 0; r < repeats; r++) {
  before.push(cpuSeconds(baseline.correctUvisColumn, baseline.uvisColumnScratch(RAZ_ROWS)));
  after.push(cpuSeconds(correctUvisColumn, uvisColumnScratch(RAZ_ROWS)));
}
const perColumn = (s: number) => ((s / count) * 1000).toFixed(2);
console.log(`CPU s per run: before ${before.map((s) => s.toFixed(2))}, after ${after.map((s) => s.toFixed(2))}`);
console.log(`${count} columns, CPU ms/column: before ${perColumn(median(before))}, after ${perColumn(median(after))}`);
console.log(
  `full frame (8412 columns) CPU s: before ${((median(before) / count) * 8412).toFixed(1)}, after ${((median(after) / count) * 8412).toFixed(1)}`,
);
