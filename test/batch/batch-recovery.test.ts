import assert from "node:assert/strict";
import { test } from "node:test";
import {
  alive,
  batchCli,
  batchWorkspace,
  messagesOf,
  readRecordFile,
  startWorker,
  useRedis,
  waitFor,
  waitForEnd,
} from "./harness.js";

const fx = useRedis();
const { skip, workers } = fx;

test("a worker killed with SIGKILL mid-job: another takes the job over and the dataset is processed once", {
  skip,
}, async () => {
  const datasets = ["j8ka01a1q", "j8kb01a1q", "j8kc01a1q"];
  const ws = batchWorkspace(datasets);
  const first = startWorker(fx.redis.url, ws.output, "2g");
  workers.push(first);
  const common = ["--input", ws.input, "--output", ws.output, "--config", ws.config, "--redis", fx.redis.url];
  const submitted = await batchCli(["submit", ...datasets, ...common]);
  assert.equal(submitted.status, 0, submitted.stderr);
  const victim = await waitFor("a dataset running on the first worker", () =>
    datasets.find((ds) => {
      const attempt = readRecordFile(ws.output, ds)?.attempts.at(-1);
      return attempt?.pgid !== undefined && attempt.worker.endsWith(`:${first.child.pid}`);
    }),
  );
  first.child.kill("SIGKILL");
  workers.push(startWorker(fx.redis.url, ws.output, "2g"));
  const records = await waitForEnd(ws.output, datasets, 120000);
  for (const record of records) {
    assert.equal(record.state, "processed", `${record.dataset}: ${record.exit_reason}`);
    assert.deepEqual(messagesOf(ws.output, record.dataset), [`processed-${record.dataset}.trigger`]);
    assert.equal(record.attempts.filter((a) => a.decision?.action === "processed").length, 1, record.dataset);
  }
  const taken = records.find((r) => r.dataset === victim)!;
  assert.equal(taken.attempts.length, 2);
  assert.match(taken.attempts[0].exit_reason ?? "", /lost; taken over by/);
  assert.notEqual(taken.attempts[1].worker, taken.attempts[0].worker);
  assert.ok(!alive(taken.attempts[0].pgid!), "the dead worker's child process group is gone");
});

test("Redis restarted empty mid-batch: the workers rebuild the queues from the job records", { skip }, async () => {
  const datasets = Array.from({ length: 8 }, (_, i) => `j9r${String.fromCharCode(97 + i)}01a1q`);
  const ws = batchWorkspace([]);
  for (let i = 0; i < 2; i++) workers.push(startWorker(fx.redis.url, ws.output, "8g"));
  const common = [
    "--input",
    ws.input,
    "--output",
    ws.output,
    "--redis",
    fx.redis.url,
    "--dry-run",
    "--memory-bin",
    "8g",
  ];
  const submitted = await batchCli(["submit", ...datasets, ...common, "--env", "CALDP_DRY_RUN_SLEEP=0.7"]);
  assert.equal(submitted.status, 0, submitted.stderr);
  await waitFor(
    "two datasets processed",
    () => datasets.filter((ds) => readRecordFile(ws.output, ds)?.state === "processed").length >= 2,
  );
  await fx.redis.stop();
  await fx.redis.restart();
  const records = await waitForEnd(ws.output, datasets, 60000);
  for (const record of records) {
    assert.equal(record.state, "processed", record.dataset);
    assert.deepEqual(messagesOf(ws.output, record.dataset), [`processed-${record.dataset}.trigger`]);
    assert.equal(record.attempts.filter((a) => a.decision?.action === "processed").length, 1, record.dataset);
  }
  assert.ok(
    workers.some((w) => /reconcile .*requeued/.test(w.log())),
    "a worker requeued from the records",
  );
  const status = await batchCli(["status", "--output", ws.output, "--redis", fx.redis.url]);
  assert.equal(status.status, 0, status.stderr);
  assert.match(status.stdout, /8\/8 ended/);
  assert.match(status.stdout, /processed\s+8/);
});

test("a submit that could not queue (Redis down) leaves a placed record; a worker's reconcile queues it", {
  skip,
}, async () => {
  const ws = batchWorkspace([]);
  await fx.redis.stop();
  const common = ["--input", ws.input, "--output", ws.output, "--redis", fx.redis.url, "--dry-run"];
  const submitted = await batchCli(["submit", "j8pa01a1q", "j8pb01a1q", ...common, "--memory-bin", "16g"]);
  assert.equal(submitted.status, 1);
  assert.match(
    submitted.stderr,
    /^caldp: j8pa01a1q is placed in file:\S+ but not queued \(cannot reach Redis at redis:\S+: ECONNREFUSED\)/,
  );
  assert.match(submitted.stderr, /not submitted: j8pb01a1q\n$/);
  assert.equal(submitted.stderr.trim().split("\n").length, 1, submitted.stderr);
  const placed = readRecordFile(ws.output, "j8pa01a1q");
  assert.equal(placed?.state, "placed");
  assert.equal(placed?.submission, 0);
  assert.deepEqual(messagesOf(ws.output, "j8pa01a1q"), ["placed-j8pa01a1q"]);
  assert.equal(readRecordFile(ws.output, "j8pb01a1q"), undefined);

  await fx.redis.restart();
  const worker = startWorker(fx.redis.url, ws.output, "16g");
  workers.push(worker);
  const [record] = await waitForEnd(ws.output, ["j8pa01a1q"], 30000);
  assert.equal(record.state, "processed");
  assert.equal(record.submission, 1);
  assert.equal(record.attempts.length, 1);
  assert.deepEqual(messagesOf(ws.output, "j8pa01a1q"), ["processed-j8pa01a1q.trigger"]);
  assert.match(worker.log(), /reconcile file:\S+: requeued j8pa01a1q/);
});
