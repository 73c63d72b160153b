// Issue 13, case 7 (batch): `caldp batch status` names the failed datasets with exit code, CALDP name,
// cause and log; with Redis down or silent every batch command prints one line naming the URL, in bounded time.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { batchCli, batchWorkspace, startWorker, useRedis, waitForEnd } from "../batch/harness.js";
import { freePort } from "../helpers/redis.js";

const fx = useRedis();
const { skip, workers } = fx;

test("status lists the failed datasets: exit code and name, the cause from the log, the kept log", {
  skip,
}, async () => {
  const ws = batchWorkspace(["j8fa01a1q"]);
  workers.push(startWorker(fx.redis.url, ws.output, "2g"));
  const common = ["--input", ws.input, "--output", ws.output, "--redis", fx.redis.url];
  for (const args of [
    ["j8fa01a1q", ...common, "--config", ws.config, "--env", "CALDP_SIMULATE_ERROR=23"],
    ["j8fb01a1q", ...common, "--dry-run", "--env", "CALDP_SIMULATE_ERROR=24"],
    ["j8fc01a1q", ...common, "--dry-run"],
    ["j8fg01a1q", ...common, "--dry-run", "--env", "CALDP_DRY_RUN_SLEEP=30", "--kill-time", "1"],
  ]) {
    const r = await batchCli(["submit", ...args]);
    assert.equal(r.status, 0, r.stderr);
  }
  await waitForEnd(ws.output, ["j8fa01a1q", "j8fb01a1q", "j8fc01a1q", "j8fg01a1q"], 90_000);

  const text = await batchCli(["status", "--output", ws.output, "--redis", fx.redis.url]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /failed \(3\):/);
  // killed for its kill time: the worker says so (nothing the child logged is taken for the cause)
  assert.match(text.stdout, /\n {2}j8fg01a1q error exit signal SIGKILL: killed by the worker: timeout\n/);
  // the cause is the fatal report of caldp-process's log: what failed and the underlying error
  assert.match(
    text.stdout,
    /\n {2}j8fa01a1q error exit 23 STAGE1_ERROR: version keywords failed: Error: Simulating error = 23\n {4}log: (\S+)\n/,
  );
  const log = /j8fa01a1q error[^\n]*\n {4}log: (\S+)/.exec(text.stdout)![1];
  assert.equal(log, join(ws.output.slice("file:".length), "control", "j8fa01a1q", "attempt-1.log"));
  assert.match(readFileSync(log, "utf8"), /EXIT - STAGE1_ERROR\[23\]/);
  // a dry run writes nothing: the exit explanation stands in for the cause, and no log is claimed
  assert.match(text.stdout, /\n {2}j8fb01a1q error exit 24 STAGE2_ERROR: no automatic retry for this failure\n/);
  assert.ok(!existsSync(join(ws.output.slice("file:".length), "control", "j8fb01a1q", "attempt-1.log")));
  assert.doesNotMatch(text.stdout, /j8fc01a1q/, "the processed one is not listed");

  const json = await batchCli(["status", "--json", "--output", ws.output, "--redis", fx.redis.url]);
  assert.equal(json.status, 0, json.stderr);
  const failed = JSON.parse(json.stdout).failed as Record<string, unknown>[];
  assert.deepEqual(
    failed.map((f) => [f.dataset, f.exitCode, f.exitName, f.log]),
    [
      ["j8fa01a1q", 23, "STAGE1_ERROR", log],
      ["j8fb01a1q", 24, "STAGE2_ERROR", undefined],
      ["j8fg01a1q", "signal SIGKILL", undefined, undefined],
    ],
  );
  assert.equal(failed[0].cause, "version keywords failed: Error: Simulating error = 23");
  const message = readFileSync(join(ws.output.slice("file:".length), "messages", "error-j8fa01a1q"), "utf8");
  assert.match(message, /^cause: "version keywords failed: Error: Simulating error = 23"$/m);
  assert.match(message, new RegExp(`^log: "${log}"$`, "m"));

  // a rescue while Redis is down: the record is resubmitted (reconcile queues it later) and says so in one line
  await fx.redis.stop();
  const rescue = await batchCli(["rescue", "j8fb01a1q", "--output", ws.output, "--redis", fx.redis.url]);
  assert.equal(rescue.status, 1);
  assert.match(
    rescue.stderr,
    /^caldp: j8fb01a1q is rescued in file:\S+ but not queued \(cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: ECONNREFUSED\): a worker's reconcile will queue it once Redis answers\n$/,
  );
  const rescued = JSON.parse(
    readFileSync(join(ws.output.slice("file:".length), "control", "j8fb01a1q", "job.json"), "utf8"),
  );
  assert.equal(rescued.state, "submitted");
});

/** Every command that talks to Redis, against a URL that refuses or never answers. */
const COMMANDS = (output: string) => [
  ["submit", "j8fd01a1q", "--input", "file:/nonexistent/{dataset}", "--output", output, "--dry-run"],
  ["status"],
  ["status", "--json"],
  // the submit above placed j8fd01a1q in the output location: these look for its job
  ["cancel", "all", "--output", output],
  ["clean", "j8fd01a1q", "--output", output],
];

test("Redis down: each batch command prints one line naming the URL and the cause, exit 1, in bounded time", {
  skip,
}, async (t) => {
  const ws = batchWorkspace([]);
  const port = await freePort();
  const url = `redis://user:secret@127.0.0.1:${port}`;
  // submit first: it places the dataset the others look for; then the rest side by side
  const [submit, ...rest] = COMMANDS(ws.output);
  const timed = async (args: string[]) => {
    const t0 = performance.now();
    const r = await batchCli([...args, "--redis", url]);
    return { args, r, ms: performance.now() - t0 };
  };
  const runs = [await timed(submit), ...(await Promise.all(rest.map(timed)))];
  for (const { args, r, ms } of runs) {
    t.diagnostic(`${args.slice(0, 2).join(" ")}: ${ms.toFixed(0)} ms`);
    assert.equal(r.status, 1, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, `${args.join(" ")}: one line, got:\n${r.stderr}`);
    assert.match(
      lines[0],
      new RegExp(`cannot reach Redis at redis://user:\\*\\*\\*@127\\.0\\.0\\.1:${port}: ECONNREFUSED`),
    );
    assert.doesNotMatch(r.stderr, /secret|max retries per request/i);
    assert.ok(ms < 20_000, `${args.join(" ")} took ${ms.toFixed(0)} ms`);
  }
});
