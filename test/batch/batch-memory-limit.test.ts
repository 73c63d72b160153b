import assert from "node:assert/strict";
import { test } from "node:test";
import { batchCli, batchWorkspace, startWorker, useRedis, waitForEnd } from "./harness.js";

const fx = useRedis();
const { skip, workers } = fx;

test("a real run over the rung's memory limit is killed by the worker and climbs to the next rung", {
  skip,
}, async () => {
  const ws = batchWorkspace(["j8ml01a1q"]);
  // caldp-process and a step process together hold well over 100 MiB resident
  workers.push(startWorker(fx.redis.url, ws.output, "2g", ["--memory-limit-mb", "100"]));
  workers.push(startWorker(fx.redis.url, ws.output, "8g"));
  const common = ["--input", ws.input, "--output", ws.output, "--config", ws.config, "--redis", fx.redis.url];
  const r = await batchCli(["submit", "j8ml01a1q", ...common]);
  assert.equal(r.status, 0, r.stderr);
  const [record] = await waitForEnd(ws.output, ["j8ml01a1q"], 60000);
  assert.equal(record.state, "processed", record.exit_reason);
  assert.deepEqual(
    record.attempts.map((a) => a.bin),
    [0, 1],
  );
  assert.equal(record.attempts[0].end?.killedFor, "memory-limit");
  assert.equal(record.attempts[0].decision?.action, "rescue");
  assert.ok(record.attempts[0].max_rss_kb! > 100 * 1024, `peak ${record.attempts[0].max_rss_kb} kB recorded`);
  assert.equal(record.predicted_bin, 0);
  assert.equal(record.processed_bin, 1);
  const status = await batchCli(["status", "--output", ws.output, "--redis", fx.redis.url]);
  assert.match(status.stdout, /first-rung prediction: 0\/1 processed on the predicted rung/);
});
