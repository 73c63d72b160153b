import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
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

test("cancel: a waiting job and a running one both end terminated, without retry", { skip }, async () => {
  const ws = batchWorkspace([]);
  const common = ["--input", ws.input, "--output", ws.output, "--redis", fx.redis.url, "--dry-run"];
  // nothing serves 64g in this test until the cancel: the job waits
  const waiting = await batchCli(["submit", "j8cw01a1q", ...common, "--memory-bin", "64g"]);
  assert.equal(waiting.status, 0, waiting.stderr);
  const cancelled = await batchCli(["cancel", "j8cw01a1q", "--output", ws.output, "--redis", fx.redis.url]);
  assert.equal(cancelled.status, 0, cancelled.stderr);
  assert.equal(readRecordFile(ws.output, "j8cw01a1q")?.state, "terminated");
  assert.deepEqual(messagesOf(ws.output, "j8cw01a1q"), ["terminated-j8cw01a1q"]);

  // a running child: sh sleeping through a long kill time. Leases and locks longer than the harness's 2–3 s: no
  // takeover is wanted here, and on a loaded machine a lapsed lock let cancel take the running job for a waiting one
  workers.push(startWorker(fx.redis.url, ws.output, "8g", ["--lease-seconds", "15", "--lock-seconds", "15"]));
  const running = await batchCli([
    "submit",
    "j8cr01a1q",
    ...common,
    "--memory-bin",
    "8g",
    "--env",
    "CALDP_DRY_RUN_SLEEP=30",
  ]);
  assert.equal(running.status, 0, running.stderr);
  await waitFor("j8cr01a1q running", () => readRecordFile(ws.output, "j8cr01a1q")?.state === "processing");
  const stop = await batchCli(["cancel", "all", "--output", ws.output, "--redis", fx.redis.url]);
  assert.match(stop.stdout, /stopping j8cr01a1q/);
  const [record] = await waitForEnd(ws.output, ["j8cr01a1q"], 20000);
  assert.equal(record.state, "terminated");
  assert.equal(record.attempts.length, 1);
  assert.equal(record.attempts[0].end?.killedFor, "cancel");
  assert.deepEqual(messagesOf(ws.output, "j8cr01a1q"), ["terminated-j8cr01a1q"]);
});

test("each retry rule with CALDP_SIMULATE_ERROR, on real caldp-process runs over four rung workers", {
  skip,
}, async () => {
  const ws = batchWorkspace(["j8ca01a1q", "j8ce01a1q"]);
  for (const rung of ["2g", "8g", "16g", "64g"]) {
    workers.push(startWorker(fx.redis.url, ws.output, rung, ["--concurrency", rung === "2g" ? "3" : "1"]));
  }
  const common = ["--input", ws.input, "--output", ws.output, "--config", ws.config, "--redis", fx.redis.url];
  const submits = await Promise.all([
    batchCli(["submit", "j8ca01a1q", ...common]),
    batchCli(["submit", "j8cm01a1q", ...common, "--env", "CALDP_SIMULATE_ERROR=32"]),
    batchCli(["submit", "j8co01a1q", ...common, "--env", "CALDP_SIMULATE_ERROR=33", "--memory-bin", "16g"]),
    batchCli(["submit", "j8ct01a1q", ...common, "--env", "CALDP_SIMULATE_ERROR=26"]),
    batchCli(["submit", "j8ce01a1q", ...common, "--env", "CALDP_SIMULATE_ERROR=23"]),
  ]);
  for (const s of submits) assert.equal(s.status, 0, s.stdout + s.stderr);
  const [ok, memory, kill, transient, other] = await waitForEnd(
    ws.output,
    ["j8ca01a1q", "j8cm01a1q", "j8co01a1q", "j8ct01a1q", "j8ce01a1q"],
    150000,
  );

  assert.equal(ok.state, "processed");
  assert.deepEqual(messagesOf(ws.output, "j8ca01a1q"), ["processed-j8ca01a1q.trigger"]);
  assert.ok(ok.max_rss_kb! > 0 && ok.wall_seconds! > 0, "metrics recorded");
  const products = join(ws.output.slice("file:".length), "j8ca01a1q");
  for (const name of ["j8ca01a1q_flt.fits", "previews/j8ca01a1q_flt_thumb.jpg", "logs/process_metrics.txt"]) {
    assert.ok(existsSync(join(products, name)), `${name} in the output location`);
  }

  // memory (32) → next rung each time, until the top rung fails too: error
  assert.equal(memory.state, "error");
  assert.deepEqual(
    memory.attempts.map((a) => a.bin),
    [0, 1, 2, 3],
  );
  assert.equal(memory.memory_retries, 3);
  assert.match(memory.status_reason ?? "", /top rung/);
  assert.equal(memory.exit_code, 32);

  // 33 (a step killed with SIGKILL) is a memory error too: 16g → 64g → error
  assert.deepEqual(
    kill.attempts.map((a) => a.bin),
    [2, 3],
  );
  assert.equal(kill.exit_code, 33);

  // transient (26) → same rung, 4 retries, then error
  assert.equal(transient.state, "error");
  assert.deepEqual(
    transient.attempts.map((a) => a.bin),
    [0, 0, 0, 0, 0],
  );
  assert.equal(transient.retries, 4);
  assert.match(transient.status_reason ?? "", /transient retries exhausted/);

  // anything else → error at once, explained
  assert.equal(other.state, "error");
  assert.equal(other.attempts.length, 1);
  assert.match(other.exit_reason ?? "", /STAGE1_ERROR\[23\]/);
  assert.deepEqual(messagesOf(ws.output, "j8ce01a1q"), ["error-j8ce01a1q"]);
});

test("rescue resubmits an error with its counters kept; clean removes every trace", { skip }, async () => {
  const ws = batchWorkspace([]);
  const at = ["--output", ws.output, "--redis", fx.redis.url];
  const r = await batchCli([
    "submit",
    "j8cx01a1q",
    "--input",
    ws.input,
    ...at,
    "--dry-run",
    "--env",
    "CALDP_SIMULATE_ERROR=24",
  ]);
  assert.equal(r.status, 0, r.stderr);
  await waitForEnd(ws.output, ["j8cx01a1q"], 20000);
  const rescued = await batchCli(["rescue", "all", ...at, "--timeout-scale", "2"]);
  assert.match(rescued.stdout, /rescued 1: j8cx01a1q/);
  const record = await waitFor("the rescued attempt to end", () => {
    const r = readRecordFile(ws.output, "j8cx01a1q");
    return r?.state === "error" && r.attempts.length === 2 ? r : undefined;
  });
  assert.equal(record.submission, 2);
  assert.equal(record.timeout_scale, 2);
  const cleaned = await batchCli(["clean", "j8cx01a1q", ...at]);
  assert.match(cleaned.stdout, /cleaned 1/);
  assert.equal(readRecordFile(ws.output, "j8cx01a1q"), undefined);
  assert.deepEqual(messagesOf(ws.output, "j8cx01a1q"), []);
});
