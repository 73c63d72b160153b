// Issue 13, case 4 (batch worker): a `caldp batch worker` stops on SIGTERM/SIGINT within a bounded time,
// Redis or not, kills its child and hands its dataset back so that another worker processes it, once.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
  alive,
  batchCli,
  batchWorkspace,
  messagesOf,
  readRecordFile,
  runningGroup,
  signalAndTime,
  startWorker,
  useRedis,
  waitFor,
  waitForEnd,
} from "../batch/harness.js";

const fx = useRedis();
const { skip, workers } = fx;
/** --stop-grace-seconds 3 and the worker's own bound (grace + 8 s), with room for a loaded machine. */
const STOP_BOUND_MS = 11_000;

test("Redis stopped mid-job, then SIGTERM: the worker exits in bounded time, its child dead, the job handed back", {
  skip,
}, async (t) => {
  const ws = batchWorkspace([]);
  const ds = "j8sa01a1q";
  const first = startWorker(fx.redis.url, ws.output, "2g", ["--stop-grace-seconds", "3"]);
  workers.push(first);
  const common = ["--input", ws.input, "--output", ws.output, "--redis", fx.redis.url, "--dry-run"];
  const submitted = await batchCli(["submit", ds, ...common, "--env", "CALDP_DRY_RUN_SLEEP=15"]);
  assert.equal(submitted.status, 0, submitted.stderr);
  const pgid = await runningGroup(ws.output, ds);
  await fx.redis.stop();
  await waitFor("the worker to notice Redis is gone", () =>
    /cannot reach Redis at redis:\S+: ECONNREFUSED/.test(first.log()),
  );

  const { code, ms } = await signalAndTime(first, "SIGTERM", STOP_BOUND_MS);
  t.diagnostic(`SIGTERM → exit: ${ms.toFixed(0)} ms`);
  assert.equal(code, 0, first.log());
  assert.ok(ms < STOP_BOUND_MS, `stopped in ${ms.toFixed(0)} ms`);
  assert.match(first.log(), new RegExp(`SIGTERM: stopping; handing back ${ds}`));
  assert.match(
    first.log(),
    new RegExp(
      `${ds}: worker \\S+ stopped by SIGTERM: handed back, not queued \\(cannot reach Redis at redis://127\\.0\\.0\\.1:\\d+: ECONNREFUSED\\)`,
    ),
  );
  assert.equal(
    first.log().match(/cannot reach Redis at .*\(retrying\)/g)?.length,
    1,
    "one line while Redis stays away",
  );
  await waitFor("the child's process group to be gone", () => !alive(pgid), 3000);

  const record = readRecordFile(ws.output, ds)!;
  assert.equal(record.state, "submitted");
  assert.equal(record.submission, 2, "handed back as the next submission");
  assert.equal(record.retries, 0, "a hand-back is not a retry");
  assert.match(record.attempts[0].exit_reason ?? "", /stopped by SIGTERM: handed back/);
  assert.ok(record.attempts[0].ended_at);
  assert.deepEqual(messagesOf(ws.output, ds), [`submit-${ds}`]);
  assert.ok(!existsSync(join(ws.output.slice("file:".length), "control", ds, "lease.json")), "lease released");

  // Redis comes back empty: a new worker's reconcile queues the dataset and it is processed once
  await fx.redis.restart();
  const second = startWorker(fx.redis.url, ws.output, "2g");
  workers.push(second);
  const [done] = await waitForEnd(ws.output, [ds], 60_000);
  assert.equal(done.state, "processed", done.exit_reason);
  assert.equal(done.attempts.length, 2);
  assert.equal(done.attempts.filter((a) => a.decision?.action === "processed").length, 1);
  assert.deepEqual(messagesOf(ws.output, ds), [`processed-${ds}.trigger`]);
  assert.match(second.log(), new RegExp(`reconcile file:\\S+: requeued ${ds}`));
});

test("SIGINT with Redis up: the job goes to another worker at once and is processed exactly once", {
  skip,
}, async (t) => {
  const ws = batchWorkspace([]);
  const ds = "j8sb01a1q";
  const first = startWorker(fx.redis.url, ws.output, "8g", ["--stop-grace-seconds", "3"]);
  workers.push(first);
  const common = ["--input", ws.input, "--output", ws.output, "--redis", fx.redis.url, "--dry-run"];
  const submitted = await batchCli(["submit", ds, ...common, "--memory-bin", "8g", "--env", "CALDP_DRY_RUN_SLEEP=4"]);
  assert.equal(submitted.status, 0, submitted.stderr);
  const pgid = await runningGroup(ws.output, ds);
  const second = startWorker(fx.redis.url, ws.output, "8g");
  workers.push(second);

  const { code, ms } = await signalAndTime(first, "SIGINT", STOP_BOUND_MS);
  t.diagnostic(`SIGINT → exit: ${ms.toFixed(0)} ms`);
  assert.equal(code, 0, first.log());
  assert.ok(ms < 5000, `stopped in ${ms.toFixed(0)} ms`);
  assert.match(first.log(), new RegExp(`${ds}: worker \\S+ stopped by SIGINT: handed back \\(submission 2 queued\\)`));
  await waitFor("the first child's group to be gone", () => !alive(pgid), 3000);

  const [record] = await waitForEnd(ws.output, [ds], 30_000);
  assert.equal(record.state, "processed", record.exit_reason);
  assert.equal(record.attempts.length, 2);
  assert.match(record.attempts[0].exit_reason ?? "", /stopped by SIGINT: handed back/);
  assert.equal(record.attempts[1].worker.endsWith(`:${second.child.pid}`), true, "the second worker ran it");
  assert.equal(record.attempts.filter((a) => a.decision?.action === "processed").length, 1);
  assert.deepEqual(messagesOf(ws.output, ds), [`processed-${ds}.trigger`]);
});

test("a worker whose Redis is down from the start stops on SIGTERM at once, with one clear line", {
  skip,
}, async (t) => {
  const ws = batchWorkspace([]);
  await fx.redis.stop();
  try {
    const worker = startWorker(fx.redis.url, ws.output, "16g");
    workers.push(worker);
    await waitFor("the worker to report Redis", () => /cannot reach Redis/.test(worker.log()), 20_000);
    await new Promise((r) => setTimeout(r, 1500)); // reconnects keep failing meanwhile
    const { code, ms } = await signalAndTime(worker, "SIGTERM", STOP_BOUND_MS);
    t.diagnostic(`SIGTERM → exit: ${ms.toFixed(0)} ms`);
    assert.equal(code, 0, worker.log());
    assert.ok(ms < 5000, `stopped in ${ms.toFixed(0)} ms`);
    const log = worker.log();
    assert.equal(
      log.match(/cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: ECONNREFUSED \(retrying\)/g)?.length,
      1,
      log,
    );
    assert.match(log, /SIGTERM: stopping; no job in hand/);
    assert.match(log, /stopped\n$/);
    assert.doesNotMatch(log, /max retries per request/i, "no raw ioredis text");
  } finally {
    await fx.redis.restart();
  }
});
