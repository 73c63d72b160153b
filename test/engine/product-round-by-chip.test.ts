// runProductRoundByChip: a round of image-set tasks run one CCDCHIP at a time on the worker pool, each chip's
// references loaded just before its tasks, each product finished once its last image set is done.
import assert from "node:assert/strict";
import { test } from "node:test";
import { runProductRoundByChip } from "../../src/engine/program.js";
import { taskModule, WorkerPool } from "../../src/engine/worker-pool.js";

const fixture = taskModule<typeof import("./worker-task-fixture.js")>(
  new URL("./worker-task-fixture.js", import.meta.url),
);

test("chips run one after the other, each after its load; products finish after their last chip, results in order", async () => {
  const pool = new WorkerPool(2);
  const events: string[] = [];
  const finished = new Map<string, number[]>();
  // Image set k of a product holds the value 1 + k; a chip's "references" are its factor, 10 × chip.
  const product = (name: string, chips: number[]) => ({
    tasks: chips.map((chip, k) => ({
      chip,
      args: (factor: number) => ({ data: Float32Array.of(1 + k), factor }),
    })),
    finish: (results: { data: Float32Array }[]) => {
      events.push(`finish ${name}`);
      finished.set(
        name,
        results.map((r) => r.data[0]!),
      );
    },
  });
  try {
    await runProductRoundByChip(
      pool,
      fixture("scale"),
      [product("a", [1, 2]), product("b", [2, 1]), product("c", [2]), product("d", [1, 1])],
      async (chip) => {
        events.push(`load ${chip}`);
        return 10 * chip;
      },
    );
  } finally {
    await pool.close();
  }
  assert.equal(events[0], "load 1");
  assert.equal(events.filter((e) => e.startsWith("load")).length, 2, "each chip loaded once");
  const chip2 = events.indexOf("load 2");
  assert.ok(events.indexOf("finish d") < chip2, "a product of chip 1 only is finished before chip 2 starts");
  for (const name of ["a", "b", "c"]) assert.ok(events.indexOf(`finish ${name}`) > chip2, `${name} waits for chip 2`);
  assert.deepEqual(finished.get("a"), [10, 40]);
  assert.deepEqual(finished.get("b"), [20, 20], "image set 0 is chip 2 (1 × 20), image set 1 chip 1 (2 × 10)");
  assert.deepEqual(finished.get("c"), [20]);
  assert.deepEqual(finished.get("d"), [10, 20]);
});
