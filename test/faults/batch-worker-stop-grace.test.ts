// Issue 13, case 4 (batch worker): a child slow to stop (it ignores SIGTERM) is SIGKILLed after
// --stop-grace-seconds and the job handed back; a second signal ends the worker at once, and the guard
// then kills the child, whose dataset another worker takes over when the lease expires.
import assert from "node:assert/strict";
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

async function submitSlow(ds: string, output: string, input: string, sleep: number, rung: string) {
  const args = ["submit", ds, "--input", input, "--output", output, "--redis", fx.redis.url, "--dry-run"];
  args.push("--memory-bin", rung);
  args.push("--env", `CALDP_DRY_RUN_SLEEP=${sleep}`, "--env", "CALDP_DRY_RUN_IGNORE_TERM=1");
  const r = await batchCli(args);
  assert.equal(r.status, 0, r.stderr);
  return runningGroup(output, ds);
}

test("a child that ignores SIGTERM is SIGKILLed after the grace; the worker exits just after, the job handed back", {
  skip,
}, async (t) => {
  const ws = batchWorkspace([]);
  const ds = "j8ga01a1q";
  const worker = startWorker(fx.redis.url, ws.output, "2g", ["--stop-grace-seconds", "2"]);
  workers.push(worker);
  const pgid = await submitSlow(ds, ws.output, ws.input, 60, "2g");
  const { code, ms } = await signalAndTime(worker, "SIGTERM", 8000);
  assert.equal(code, 0, worker.log());
  t.diagnostic(`SIGTERM → exit: ${ms.toFixed(0)} ms (grace 2000 ms)`);
  assert.ok(ms >= 1900 && ms < 8000, `${ms.toFixed(0)} ms`);
  await waitFor("the child's group to be gone", () => !alive(pgid), 3000);
  const record = readRecordFile(ws.output, ds)!;
  assert.equal(record.state, "submitted");
  assert.equal(record.attempts[0].end?.signal, "SIGKILL");
  assert.equal(record.attempts[0].end?.killedFor, "shutdown");
});

test("a second SIGTERM ends the worker at once (143); its child dies with it and the dataset is taken over", {
  skip,
}, async (t) => {
  const ws = batchWorkspace([]);
  const ds = "j8gb01a1q";
  const worker = startWorker(fx.redis.url, ws.output, "8g", ["--stop-grace-seconds", "60"]);
  workers.push(worker);
  // long enough that the child is still running when the second signal comes, on a loaded machine too
  const pgid = await submitSlow(ds, ws.output, ws.input, 10, "8g");
  const exited = new Promise<number | null>((resolve) => worker.child.once("exit", resolve));
  worker.child.kill("SIGTERM");
  await waitFor("the stop to begin", () => /SIGTERM: stopping; handing back/.test(worker.log()), 5000);
  const t0 = performance.now();
  worker.child.kill("SIGTERM");
  assert.equal(await exited, 143, worker.log());
  t.diagnostic(`second SIGTERM → exit: ${(performance.now() - t0).toFixed(0)} ms`);
  assert.match(worker.log(), /second SIGTERM: exiting now/);
  await waitFor("the guard to kill the child's group", () => !alive(pgid), 3000);

  workers.push(startWorker(fx.redis.url, ws.output, "8g"));
  const [record] = await waitForEnd(ws.output, [ds], 60_000);
  assert.equal(record.state, "processed", record.exit_reason);
  assert.match(record.attempts[0].exit_reason ?? "", /lost; taken over by/);
  assert.equal(record.attempts.filter((a) => a.decision?.action === "processed").length, 1);
  assert.deepEqual(messagesOf(ws.output, ds), [`processed-${ds}.trigger`]);
});
