// Batch orchestration load over 2 worker processes on one Redis, in two modes:
//   node --import tsx bench/batch-load.ts [--datasets 1000] [--concurrency 4]       dry-run jobs
//   node --import tsx bench/batch-load.ts --real [--datasets 200] [--concurrency 1]  real caldp-process runs
// Options of both: --workers 2, --error-every 10 (every tenth dataset gets CALDP_SIMULATE_ERROR=23 → error).
// Dry run: each job's child is `sh -c 'exit $CALDP_SIMULATE_ERROR'` (submit --dry-run), under the worker's tsx.
// Real: caldp-process calibrates small simulated datasets: one simulated ACS/HRC exposure (1024², the smallest
// image the simulator makes with a CRDS cache), copied under each dataset's name (FILENAME, ROOTNAME, EXPNAME
// rewritten), calibrated in place with previews into a file: output. The code runs as deployed: compiled with
// tsc into node_modules/.cache/caldp-bench/dist, so no process pays for tsx.
// Measured from the job records the workers write:
// - throughput: datasets that ended per minute, from the first submission to the last record's end;
// - orchestration overhead per job: the worker's handling time (job taken from the queue → final record and
//   message written) minus the child's run time (spawn → exit); submission cost is reported separately;
// - the child's run time (real mode: caldp-process from spawn to exit) and, in real mode, the steps' peak RSS.
// Checks that every dataset ended processed or error exactly once (one attempt, one final message), and in
// real mode that each processed dataset has its _flt.fits and a preview thumbnail in the output.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { BatchQueues } from "../src/batch/queues.js";
import { readAllRecords } from "../src/batch/records.js";
import { openOutputStore } from "../src/batch/store.js";
import { submit } from "../src/batch/submit.js";
import { rewriteHeaders } from "../src/fits/index.js";
import { simulateDataset } from "../src/sim/index.js";
import { RedisServer } from "../test/helpers/redis.js";

const { values } = parseArgs({
  options: {
    real: { type: "boolean", default: false },
    datasets: { type: "string" },
    workers: { type: "string", default: "2" },
    concurrency: { type: "string" },
    "error-every": { type: "string", default: "10" },
  },
});
const real = values.real!;
const count = Number(values.datasets ?? (real ? 200 : 1000));
const concurrency = values.concurrency ?? (real ? "1" : "4");
const errorEvery = Number(values["error-every"]);
const repo = join(import.meta.dirname, "..");

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const ms = (x: number) => `${x.toFixed(1)} ms`;
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const spread = (xs: number[], unit: (x: number) => string) => {
  const s = sorted(xs);
  return `median ${unit(quantile(s, 0.5))}, p95 ${unit(quantile(s, 0.95))}, max ${unit(s.at(-1)!)}`;
};

/**
 * src compiled into <root>/dist beside a copy of package.json (src/version.ts reads ../package.json), under
 * node_modules so that its imports resolve; type errors do not stop it.
 */
function buildDist(): string {
  const root = join(repo, "node_modules", ".cache", "caldp-bench");
  const out = join(root, "dist");
  mkdirSync(root, { recursive: true });
  copyFileSync(join(repo, "package.json"), join(root, "package.json"));
  const tsc = join(repo, "node_modules", "typescript", "bin", "tsc");
  const started = performance.now();
  spawnSync(process.execPath, [tsc, "-p", join(repo, "tsconfig.json"), "--outDir", out], { stdio: "ignore" });
  if (!existsSync(join(out, "cli", "caldp-batch.js"))) throw new Error(`tsc did not produce ${out}/cli/caldp-batch.js`);
  console.log(`compiled src into ${out} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return out;
}

/** One simulated HRC exposure copied under every name: in/<ds>/<ds>_raw.fits, and a config on its CRDS cache. */
function realInputs(dir: string, names: string[]): { input: string; config: string } {
  const template = "j8zz01a1q";
  const sim = simulateDataset({ dataset: template, out: join(dir, "template"), detector: "HRC", seed: 3 });
  const raw = sim.exposures[0].raw;
  for (const ds of names) {
    mkdirSync(join(dir, "in", ds), { recursive: true });
    const path = join(dir, "in", ds, `${ds}_raw.fits`);
    copyFileSync(raw, path);
    rewriteHeaders(path, (header) => {
      for (const keyword of ["FILENAME", "ROOTNAME", "EXPNAME"]) {
        const value = header.get(keyword);
        if (typeof value === "string") header.set(keyword, value.replace(template, ds));
      }
    });
  }
  const config = join(dir, "sim.cfg");
  writeFileSync(config, `CRDS_PATH=${sim.crds.root}\nCRDS_READONLY_CACHE=1\n`);
  return { input: `file:${join(dir, "in")}/{dataset}`, config };
}

const dir = mkdtempSync(join(tmpdir(), "caldp-batch-load-"));
const output = `file:${join(dir, "out")}`;
const names = Array.from({ length: count }, (_, i) => `j8${i.toString(36).padStart(4, "0")}a1q`);
const entry = real
  ? [join(buildDist(), "cli", "caldp-batch.js")]
  : ["--import", import.meta.resolve("tsx"), join(repo, "src", "cli", "caldp-batch.ts")];
let inputs = { input: "file:/nonexistent/{dataset}", config: "caldp-config-onsite" };
if (real) {
  const started = performance.now();
  inputs = realInputs(dir, names);
  console.log(`simulated the inputs in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

const redis = await RedisServer.start();
const workerArgs = ["batch", "worker", "--rung", "2g", "--concurrency", concurrency, "--redis", redis.url];
const workers = Array.from({ length: Number(values.workers) }, () =>
  spawn(process.execPath, [...entry, ...workerArgs, "--work-dir", join(dir, "work")], { stdio: "ignore" }),
);

const queues = new BatchQueues(redis.url);
const startedAt = Date.now();
const started = performance.now();
// one submit per run of datasets with the same CALDP_SIMULATE_ERROR, as `caldp batch submit` with a list
// (each submit reads the output's records once, for the prediction's history)
const simulated = (i: number) => (errorEvery > 0 && i % errorEvery === errorEvery - 1 ? "23" : "0");
for (let i = 0; i < count; ) {
  const simulate = simulated(i);
  let j = i;
  while (j < count && simulated(j) === simulate) j++;
  const datasets = names.slice(i, j);
  i = j;
  await submit(queues, {
    datasets,
    ...inputs,
    output,
    env: { CALDP_SIMULATE_ERROR: simulate },
    dryRun: !real,
    memoryBin: 0,
    killTime: 600,
  });
}
const submitted = performance.now();
const store = openOutputStore(output);
const ended = () => records.filter((r) => r.state === "processed" || r.state === "error").length;
let records = await readAllRecords(store);
while (ended() < count) {
  await sleep(real ? 5000 : 500);
  records = await readAllRecords(store);
  if (real) process.stderr.write(`\r${ended()}/${count} ended after ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
}
if (real) process.stderr.write("\n");
const lastEnd = Math.max(...records.map((r) => Date.parse(r.updated_at)));
const elapsedMs = lastEnd - startedAt;

const messages = readdirSync(join(dir, "out", "messages"));
const problems: string[] = [];
for (const r of records) {
  const expected = r.env.CALDP_SIMULATE_ERROR === "0" ? "processed" : "error";
  if (r.state !== expected) problems.push(`${r.dataset}: ${r.state}, expected ${expected} (${r.exit_reason})`);
  if (r.attempts.length !== 1) problems.push(`${r.dataset}: ${r.attempts.length} attempts`);
  if (real && r.state === "processed") {
    for (const product of [`${r.dataset}_flt.fits`, `previews/${r.dataset}_flt_thumb.jpg`]) {
      if (!existsSync(join(dir, "out", r.dataset, product))) problems.push(`${r.dataset}: no ${product}`);
    }
  }
}
const finals = messages.filter((m) => m.startsWith("processed-") || m.startsWith("error-"));
if (finals.length !== count || messages.length !== count)
  problems.push(`${messages.length} messages for ${count} datasets`);

const attempts = records.flatMap((r) => r.attempts);
const overhead = attempts.map((a) => a.handled_ms! - a.child_ms!);
const counts = {
  processed: records.filter((r) => r.state === "processed").length,
  error: records.filter((r) => r.state === "error").length,
};
console.log(
  `${real ? "real caldp-process on simulated ACS/HRC" : "dry-run"} datasets ${count} over ${values.workers} workers × concurrency ${concurrency}: ${JSON.stringify(counts)}`,
);
console.log(`submission: ${(submitted - started).toFixed(0)} ms (${ms((submitted - started) / count)} per dataset)`);
console.log(
  `first submission → last end: ${(elapsedMs / 1000).toFixed(1)} s = ${((count * 60000) / elapsedMs).toFixed(1)} datasets/min`,
);
console.log(
  `orchestration overhead per job (worker handling − child run): ${spread(overhead, ms)}, mean ${ms(overhead.reduce((a, b) => a + b, 0) / overhead.length)}`,
);
console.log(
  `child run time: ${spread(
    attempts.map((a) => a.child_ms!),
    ms,
  )}`,
);
const ok = attempts.filter((a) => a.decision?.action === "processed");
if (real && ok.length) {
  const rss = ok.map((a) => a.max_rss_kb! / 1024);
  console.log(`processed: peak RSS of a step ${spread(rss, (x) => `${x.toFixed(0)} MiB`)}`);
}
console.log(
  problems.length
    ? `PROBLEMS (${problems.length}):\n${problems.slice(0, 20).join("\n")}`
    : "every dataset ended processed or error exactly once",
);

for (const w of workers) w.kill("SIGTERM");
await Promise.all(workers.map((w) => new Promise((r) => w.once("exit", r))));
queues.redis.disconnect();
await redis.stop();
rmSync(dir, { recursive: true, force: true });
process.exitCode = problems.length ? 1 : 0;
