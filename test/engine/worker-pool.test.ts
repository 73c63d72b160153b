import assert from "node:assert/strict";
import { test } from "node:test";
import { CalibrationError } from "../../src/calib/common/errors.js";
import { runTasks, taskModule, WorkerPool } from "../../src/engine/worker-pool.js";
import { FitsError } from "../../src/fits/index.js";

const fixture = taskModule<typeof import("./worker-task-fixture.js")>(
  new URL("./worker-task-fixture.ts", import.meta.url),
);
const scale = fixture("scale");

test("tasks run in worker threads; typed arrays go there and back by transfer; results keep task order", async () => {
  const inputs = [1, 2, 3, 4, 5].map((k) => Float32Array.from({ length: 1000 }, (_, i) => i * k));
  const results = await runTasks(
    scale,
    inputs.map((data, k) => ({ data, factor: k + 1 })),
    2,
  );
  assert.equal(inputs[0].length, 0, "the input buffer was transferred, not copied");
  results.forEach((r, k) => {
    assert.equal(r.data[10], 10 * (k + 1) * (k + 1));
    assert.notEqual(r.thread, 0, "ran off the main thread");
  });
  assert.equal(new Set(results.map((r) => r.thread)).size, 2, "two workers shared the tasks");
});

test("a task that throws rejects with its error's name, message and code, and the task's name", async () => {
  await assert.rejects(runTasks(fixture("fail"), [{ message: "no good" }]), (e: Error & { code?: string }) => {
    return e.message === "no good" && e.name === "RangeError" && e.code === "E_TEST" && "task" in e;
  });
  const missing = { module: new URL("./worker-task-fixture.ts", import.meta.url), fn: "nope" };
  await assert.rejects(runTasks(missing, [{}]), /exports no function nope/);
});

test("a CalibrationError or FitsError thrown in a worker comes back as its own class with its code and step", async () => {
  await assert.rejects(
    runTasks(fixture("failCalibration"), [{ message: "DARKFILE is needed", step: "DARKCORR" }]),
    (e: unknown) => {
      assert.ok(e instanceof CalibrationError, `a CalibrationError, got ${e}`);
      assert.equal(e.code, "CAL_FILE_MISSING");
      assert.equal(e.step, "DARKCORR");
      assert.equal(e.message, "DARKFILE is needed");
      assert.equal((e as Error & { task?: string }).task, "failCalibration");
      return true;
    },
  );
  await assert.rejects(runTasks(fixture("failFits"), [{ file: "x_raw.fits" }]), (e: unknown) => {
    assert.ok(e instanceof FitsError, `a FitsError, got ${e}`);
    assert.equal(e.code, "MISSING_KEYWORD");
    assert.deepEqual(e.location, { file: "x_raw.fits", hdu: 0, keyword: "EXPTIME" });
    assert.equal(e.message, "x_raw.fits: HDU 0: keyword EXPTIME: EXPTIME is missing");
    return true;
  });
});

test("a pool keeps its threads for several rounds; each() hands results over as they arrive", async () => {
  const pool = new WorkerPool(2);
  try {
    const first = await pool.run(
      scale,
      [1, 2].map((k) => ({ data: Float32Array.of(k), factor: 1 })),
    );
    const seen: number[] = [];
    await pool.each(
      scale,
      [1, 2, 3, 4].map((k) => ({ data: Float32Array.of(k), factor: 10 })),
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
    const everyone = await pool.onEveryWorker(fixture("whoAmI"), {});
    assert.deepEqual(
      [...everyone].sort(),
      [...new Set(first.map((f) => f.thread))].sort(),
      "onEveryWorker runs once on each thread",
    );
    await assert.rejects(pool.run(fixture("fail"), [{ message: "stop" }]), /stop/);
  } finally {
    await pool.close();
  }
});

test("a typed array given to two tasks rejects the second with a clear error instead of hanging", {
  timeout: 20000,
}, async () => {
  const data = Float32Array.of(1, 2, 3);
  await assert.rejects(
    runTasks(scale, [
      { data, factor: 2 },
      { data, factor: 3 },
    ]),
    /scale: an argument's memory was already moved to another task/,
  );
});

test("a pool starts its threads at its first task: none for a program that gives it none", async () => {
  const pool = new WorkerPool(2);
  try {
    assert.equal(pool.size, 2);
    assert.deepEqual(await pool.onEveryWorker(fixture("whoAmI"), {}), [], "no thread before the first task");
    await pool.run(scale, [{ data: new Float32Array(4), factor: 2 }]);
    const threads = await pool.onEveryWorker(fixture("whoAmI"), {});
    assert.equal(new Set(threads).size, 2, "both threads started with the first task");
    assert.ok(threads.every((t) => t !== 0));
  } finally {
    await pool.close();
  }
  await new WorkerPool(3).close();
});
