import assert from "node:assert/strict";
import { test } from "node:test";
import { runTasks, WorkerPool } from "../../src/engine/worker-pool.js";

const fixture = new URL("./worker-task-fixture.ts", import.meta.url);

test("tasks run in worker threads; typed arrays go there and back by transfer; results keep task order", async () => {
  const inputs = [1, 2, 3, 4, 5].map((k) => Float32Array.from({ length: 1000 }, (_, i) => i * k));
  const results = await runTasks<{ data: Float32Array; thread: number }>(
    inputs.map((data, k) => ({ module: fixture, fn: "scale", args: { data, factor: k + 1 } })),
    2,
  );
  assert.equal(inputs[0].length, 0, "the input buffer was transferred, not copied");
  results.forEach((r, k) => {
    assert.equal(r.data[10], 10 * (k + 1) * (k + 1));
    assert.notEqual(r.thread, 0, "ran off the main thread");
  });
  assert.equal(new Set(results.map((r) => r.thread)).size, 2, "two workers shared the tasks");
});

test("a task that throws rejects with its error's name, message and code", async () => {
  await assert.rejects(
    runTasks([{ module: fixture, fn: "fail", args: { message: "no good" } }]),
    (e: Error & { code?: string }) => {
      return e.message === "no good" && e.name === "RangeError" && e.code === "E_TEST";
    },
  );
  await assert.rejects(runTasks([{ module: fixture, fn: "nope", args: {} }]), /exports no function nope/);
});

test("a pool keeps its threads for several rounds; each() hands results over as they arrive", async () => {
  const pool = new WorkerPool(2);
  try {
    const first = await pool.run<{ thread: number }>(
      [1, 2].map((k) => ({ module: fixture, fn: "scale", args: { data: Float32Array.of(k), factor: 1 } })),
    );
    const seen: number[] = [];
    await pool.each<{ data: Float32Array; thread: number }>(
      [1, 2, 3, 4].map((k) => ({ module: fixture, fn: "scale", args: { data: Float32Array.of(k), factor: 10 } })),
      (result, index) => {
        assert.equal(result.data[0], 10 * (index + 1));
        seen.push(index);
        assert.ok(
          first.some((f) => f.thread === result.thread),
          "the same threads as the first round",
        );
      },
    );
    assert.deepEqual(seen.sort(), [0, 1, 2, 3]);
    await assert.rejects(pool.run([{ module: fixture, fn: "fail", args: { message: "stop" } }]), /stop/);
  } finally {
    await pool.close();
  }
});

test("a typed array given to two tasks rejects the second with a clear error instead of hanging", {
  timeout: 20000,
}, async () => {
  const data = Float32Array.of(1, 2, 3);
  await assert.rejects(
    runTasks([
      { module: fixture, fn: "scale", args: { data, factor: 2 } },
      { module: fixture, fn: "scale", args: { data, factor: 3 } },
    ]),
    /scale: an argument's memory was already moved to another task/,
  );
});
