import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import {
  alive,
  batchCli,
  batchWorkspace,
  messagesOf,
  readRecordFile,
  startWorker,
  useRedis,
  waitFor,
  waitForEnd,
} from "./harness.js";

// Two "hosts" on one machine: workers with different CALDP_HOST ids, which never kill each other's children.
const fx = useRedis();
const { skip, workers } = fx;

// each test on its own rung, so that one test's workers never take the other's job
async function submitDryRun(ws: { input: string; output: string }, ds: string, rung: string): Promise<void> {
  const args = ["submit", ds, "--input", ws.input, "--output", ws.output, "--redis", fx.redis.url, "--dry-run"];
  const r = await batchCli([...args, "--memory-bin", rung]);
  assert.equal(r.status, 0, r.stderr);
}

/** The worker of host-a, whose children sleep (its environment, not the record's: host-b's do not). */
const hostA = (output: string, rung: string, seconds: number) =>
  startWorker(fx.redis.url, output, rung, [], { CALDP_HOST: "host-a", CALDP_DRY_RUN_SLEEP: String(seconds) });
const hostB = (output: string, rung: string) => startWorker(fx.redis.url, output, rung, [], { CALDP_HOST: "host-b" });

const runningOn = (output: string, ds: string, pid: number | undefined) =>
  waitFor(`${ds} running on host-a`, () => {
    const attempt = readRecordFile(output, ds)?.attempts.at(-1);
    return attempt?.pgid !== undefined && attempt.worker === `host-a:${pid}` ? attempt.pgid : undefined;
  });

test("a worker killed on host-a takes its child with it; host-b takes the dataset over", { skip }, async () => {
  const ws = batchWorkspace([]);
  const a = hostA(ws.output, "8g", 60);
  workers.push(a);
  await submitDryRun(ws, "j8ha01a1q", "8g");
  const pgid = await runningOn(ws.output, "j8ha01a1q", a.child.pid);
  assert.ok(alive(pgid));
  a.child.kill("SIGKILL");
  // nobody else runs yet: the child's guard notices its worker is gone
  await waitFor("host-a's orphaned child to end", () => !alive(pgid), 5000);

  const b = hostB(ws.output, "8g");
  workers.push(b);
  const [record] = await waitForEnd(ws.output, ["j8ha01a1q"], 30000);
  assert.equal(record.state, "processed");
  assert.deepEqual(
    record.attempts.map((t) => t.host),
    ["host-a", "host-b"],
  );
  assert.match(record.attempts[0].exit_reason ?? "", /^worker host-a:\d+ lost; taken over by host-b:\d+$/);
  assert.match(b.log(), /j8ha01a1q: taking over from host-a:\d+\n/);
});

test("a frozen worker's attempt, taken over by another host, is refused when it wakes", { skip }, async () => {
  const ws = batchWorkspace([]);
  const a = hostA(ws.output, "16g", 4);
  workers.push(a);
  await submitDryRun(ws, "j8hf01a1q", "16g");
  await runningOn(ws.output, "j8hf01a1q", a.child.pid);
  a.child.kill("SIGSTOP");
  let record: ReturnType<typeof readRecordFile>;
  try {
    // host-a stops renewing its lease and its bullmq lock: host-b gets the job once both expire
    workers.push(hostB(ws.output, "16g"));
    [record] = await waitForEnd(ws.output, ["j8hf01a1q"], 30000);
    // host-a's child (sleep 4) has ended meanwhile; its worker sees that when it wakes
    await sleep(Math.max(0, Date.parse(record.attempts[0].started_at) + 4500 - Date.now()));
  } finally {
    a.child.kill("SIGCONT");
  }
  await waitFor("host-a to refuse its attempt's end", () => /its end is not recorded/.test(a.log()), 15000);
  const after = readRecordFile(ws.output, "j8hf01a1q")!;
  assert.deepEqual(after, record);
  assert.deepEqual(
    after.attempts.map((t) => [t.host, t.decision?.action]),
    [
      ["host-a", undefined],
      ["host-b", "processed"],
    ],
  );
  assert.deepEqual(messagesOf(ws.output, "j8hf01a1q"), ["processed-j8hf01a1q.trigger"]);
});
