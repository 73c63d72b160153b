import assert from "node:assert/strict";
import { test } from "node:test";
import { predict } from "../../src/batch/predict.js";
import { countersAfter, decide, killTimeSeconds, type RetryCounters } from "../../src/batch/rules.js";
import { binForPeakKb, rungOf } from "../../src/batch/rungs.js";

const fresh: RetryCounters = { memoryBin: 0, memoryRetries: 0, retries: 0, terminated: false };
const exit = (code: number) => ({ exitCode: code, signal: null });

test("success is processed; other CALDP codes are errors without retry", () => {
  assert.equal(decide(exit(0), fresh).action, "processed");
  for (const code of [1, 2, 21, 22, 23, 24, 27, 28, 40, 41])
    assert.equal(decide(exit(code), fresh).action, "error", `${code}`);
});

test("memory codes 31–34, an unexplained SIGKILL and the worker's memory limit climb the ladder", () => {
  for (const code of [31, 32, 33, 34])
    assert.deepEqual(decide(exit(code), fresh), {
      action: "rescue",
      kind: "memory",
      bin: 1,
      reason: "memory error: climbing to bin 1",
    });
  assert.equal(decide({ exitCode: null, signal: "SIGKILL" }, fresh).action, "rescue");
  assert.equal(decide({ exitCode: null, signal: "SIGKILL", killedFor: "memory-limit" }, fresh).action, "rescue");
  const top = { ...fresh, memoryBin: 3, memoryRetries: 3 };
  assert.equal(decide(exit(32), top).action, "error");
  assert.equal(decide(exit(32), { ...fresh, memoryBin: 1, memoryRetries: 4 }).action, "error");
  const after = countersAfter(decide(exit(32), fresh), fresh);
  assert.deepEqual(after, { memoryBin: 1, memoryRetries: 1, retries: 0, terminated: false });
});

test("transient failures stay on their rung, at most 4 times", () => {
  let counters = { ...fresh, memoryBin: 2 };
  for (let i = 0; i < 4; i++) {
    const d = decide(exit(26), counters);
    assert.equal(d.action, "rescue");
    assert.equal(d.action === "rescue" && d.bin, 2);
    counters = countersAfter(d, counters);
  }
  assert.equal(counters.retries, 4);
  assert.equal(decide(exit(25), counters).action, "error");
  assert.equal(decide({ exitCode: null, signal: null, spawnError: "EAGAIN" }, fresh).action, "rescue");
  assert.equal(decide({ exitCode: null, signal: "SIGTERM" }, fresh).action, "rescue");
});

test("cancel wins over everything; a timeout is an error; a terminated dataset is not retried", () => {
  assert.equal(decide({ exitCode: null, signal: "SIGKILL", killedFor: "cancel" }, fresh).action, "terminated");
  assert.equal(decide(exit(32), { ...fresh, terminated: true }).action, "terminated");
  assert.deepEqual(decide({ exitCode: null, signal: "SIGKILL", killedFor: "timeout" }, fresh), {
    action: "error",
    reason: "Job attempt duration exceeded timeout",
  });
});

test("kill time: CALCLOUD's formula, 60 s floor and 48 h cap", () => {
  assert.equal(killTimeSeconds(100, 1200, 5), 1200);
  assert.equal(killTimeSeconds(1000, 1200, 5), 6000);
  assert.equal(killTimeSeconds(1, 1, 0), 60);
  assert.equal(killTimeSeconds(1e9, 0, 0, 1.25), 216000);
});

test("rungs and the prediction: size when there is no history, the recorded peak of similar runs when there is", () => {
  assert.equal(rungOf("02g").memoryMiB, 1792);
  assert.equal(rungOf(3).name, "64g");
  assert.equal(binForPeakKb(1_791_000), 0);
  assert.equal(binForPeakKb(7_168_000), 2);
  const features = { instrument: "acs", detector: "HRC", nFiles: 1, totalMb: 2.2 };
  assert.equal(predict(features, []).bin, 0);
  assert.equal(predict({ ...features, totalMb: 1000 }, []).bin, 2);
  const history = [{ ...features, totalMb: 3, maxRssKb: 9_000_000, wallSeconds: 40 }];
  const p = predict(features, history);
  assert.equal(p.bin, 2);
  assert.equal(p.basis, "history");
  assert.equal(predict({ ...features, detector: "WFC" }, history).basis, "size");
});
