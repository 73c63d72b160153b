import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { CLEAR_SCREEN } from "../../src/batch/status-watch.js";
import { TSX } from "../helpers/cli.js";
import { BATCH_MAIN, batchCli, batchWorkspace, startWorker, useRedis, waitFor } from "./harness.js";

const fx = useRedis();
const { skip, workers } = fx;

test("status --watch redraws the counts while a batch runs and exits 0 on SIGINT", { skip }, async () => {
  const ws = batchWorkspace([]);
  workers.push(startWorker(fx.redis.url, ws.output, "2g", ["--concurrency", "2"]));
  const at = ["--output", ws.output, "--redis", fx.redis.url];
  const watch = spawn(process.execPath, ["--import", TSX, BATCH_MAIN, "batch", "status", "--watch", ...at]);
  let out = "";
  watch.stdout.on("data", (d) => {
    out += d;
  });
  watch.stderr.on("data", (d) => {
    out += d;
  });
  const exited = new Promise<[number | null, string | null]>((resolve) =>
    watch.once("exit", (code, signal) => resolve([code, signal])),
  );
  // complete frames only: the last piece may still be arriving
  const frames = () => out.split(CLEAR_SCREEN).slice(1, -1);
  const frameWith = (what: string, pattern: RegExp) =>
    waitFor(what, () => frames().find((f) => pattern.test(f)), 30000);
  try {
    await frameWith("an empty batch", /0\/0 ended/);
    const common = ["--input", ws.input, ...at, "--dry-run"];
    const submits = await Promise.all([
      batchCli(["submit", "j8wa01a1q", ...common]),
      batchCli(["submit", "j8wb01a1q", ...common, "--env", "CALDP_DRY_RUN_SLEEP=60"]),
    ]);
    for (const r of submits) assert.equal(r.status, 0, r.stderr);
    const running = await frameWith("one ended, one running", /1\/2 ended \(50 %\).*\n\s+processing\s+1 /s);
    assert.match(running, /^caldp batch status at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
    assert.match(running, /processed\s+1 \[#{10}-{10}\]/);
    assert.match(running, /2g\s+waiting 0 active 1 /);
    const cancelled = await batchCli(["cancel", "j8wb01a1q", ...at]);
    assert.equal(cancelled.status, 0, cancelled.stderr);
    const ended = await frameWith("both ended", /2\/2 ended \(100 %\)/);
    assert.match(ended, /terminated\s+1 /);
    const seen = frames().length;
    await waitFor("the next redraw", () => frames().length > seen, 10000);
  } finally {
    watch.kill("SIGINT");
  }
  const timeout = sleep(10000, undefined, { ref: false }).then(() => ["still running", null] as [string, null]);
  const [code, signal] = await Promise.race([exited, timeout]);
  assert.deepEqual([code, signal], [0, null], out.slice(-500));
  assert.doesNotMatch(out, /Error|caldp:/);
});
