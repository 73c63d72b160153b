// Batch orchestration load: N dry-run datasets (default 1000) over 2 worker processes on one Redis.
// usage: node --import tsx bench/batch-load.ts [--datasets N] [--workers 2] [--concurrency 4] [--error-every 10]
// Each job's child is `sh -c 'exit $CALDP_SIMULATE_ERROR'` (submit --dry-run): every tenth dataset exits 23
// (→ error), the others 0 (→ processed). Measured from the job records the workers write:
// - throughput: datasets that ended per minute, from the first submission to the last record's end;
// - orchestration overhead per job: the worker's handling time (job taken from the queue → final record and
//   message written) minus the child's run time (spawn → exit); submission cost is reported separately.
// Checks that every dataset ended processed or error exactly once (one attempt, one final message).
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { BatchQueues } from "../src/batch/queues.js";
import { readAllRecords } from "../src/batch/records.js";
import { openOutputStore } from "../src/batch/store.js";
import { submit } from "../src/batch/submit.js";
import { RedisServer } from "../test/helpers/redis.js";

const { values } = parseArgs({
  options: {
    datasets: { type: "string", default: "1000" },
    workers: { type: "string", default: "2" },
    concurrency: { type: "string", default: "4" },
    "error-every": { type: "string", default: "10" },
  },
});
const count = Number(values.datasets);
const errorEvery = Number(values["error-every"]);

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const ms = (x: number) => `${x.toFixed(1)} ms`;

const redis = await RedisServer.start();
const dir = mkdtempSync(join(tmpdir(), "caldp-batch-load-"));
const output = `file:${join(dir, "out")}`;
const tsx = import.meta.resolve("tsx");
const main = join(import.meta.dirname, "..", "src", "batch", "main.ts");
const workers = Array.from({ length: Number(values.workers) }, () =>
  spawn(
    process.execPath,
    [
      "--import",
      tsx,
      main,
      "batch",
      "worker",
      "--rung",
      "2g",
      "--concurrency",
      values.concurrency!,
      "--redis",
      redis.url,
    ],
    { stdio: "ignore" },
  ),
);

const names = Array.from({ length: count }, (_, i) => `j8${i.toString(36).padStart(4, "0")}a1q`);
const queues = new BatchQueues(redis.url);
const startedAt = Date.now();
const started = performance.now();
for (const [i, dataset] of names.entries()) {
  const simulate = errorEvery > 0 && i % errorEvery === errorEvery - 1 ? "23" : "0";
  await submit(queues, {
    datasets: [dataset],
    input: "file:/nonexistent/{dataset}",
    output,
    config: "caldp-config-onsite",
    env: { CALDP_SIMULATE_ERROR: simulate },
    dryRun: true,
    memoryBin: 0,
    killTime: 60,
  });
}
const submitted = performance.now();
const store = openOutputStore(output);
let records = await readAllRecords(store);
while (records.filter((r) => r.state === "processed" || r.state === "error").length < count) {
  await sleep(500);
  records = await readAllRecords(store);
}
const lastEnd = Math.max(...records.map((r) => Date.parse(r.updated_at)));
const elapsedMs = lastEnd - startedAt;

const messages = readdirSync(join(dir, "out", "messages"));
const problems: string[] = [];
for (const r of records) {
  const expected = r.env.CALDP_SIMULATE_ERROR === "0" ? "processed" : "error";
  if (r.state !== expected) problems.push(`${r.dataset}: ${r.state}, expected ${expected}`);
  if (r.attempts.length !== 1) problems.push(`${r.dataset}: ${r.attempts.length} attempts`);
}
const finals = messages.filter((m) => m.startsWith("processed-") || m.startsWith("error-"));
if (finals.length !== count || messages.length !== count)
  problems.push(`${messages.length} messages for ${count} datasets`);

const attempts = records.flatMap((r) => r.attempts);
const overhead = attempts.map((a) => a.handled_ms! - a.child_ms!).sort((a, b) => a - b);
const child = attempts.map((a) => a.child_ms!).sort((a, b) => a - b);
const counts = {
  processed: records.filter((r) => r.state === "processed").length,
  error: records.filter((r) => r.state === "error").length,
};
console.log(
  `datasets ${count} over ${values.workers} workers × concurrency ${values.concurrency}: ${JSON.stringify(counts)}`,
);
console.log(`submission: ${(submitted - started).toFixed(0)} ms (${ms((submitted - started) / count)} per dataset)`);
console.log(
  `first submission → last end: ${(elapsedMs / 1000).toFixed(1)} s = ${((count * 60000) / elapsedMs).toFixed(0)} datasets/min`,
);
console.log(
  `orchestration overhead per job (worker handling − child run): median ${ms(quantile(overhead, 0.5))}, p95 ${ms(quantile(overhead, 0.95))}, max ${ms(overhead.at(-1)!)}, mean ${ms(overhead.reduce((a, b) => a + b, 0) / overhead.length)}`,
);
console.log(`child (sh) run time: median ${ms(quantile(child, 0.5))}, p95 ${ms(quantile(child, 0.95))}`);
console.log(
  problems.length
    ? `PROBLEMS (${problems.length}):\n${problems.slice(0, 20).join("\n")}`
    : "every dataset ended processed or error exactly once",
);

for (const w of workers) w.kill("SIGTERM");
await Promise.all(workers.map((w) => new Promise((r) => w.once("exit", r))));
queues.redis.disconnect();
await redis.stop();
process.exitCode = problems.length ? 1 : 0;
