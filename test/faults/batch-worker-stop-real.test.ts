// Issue 13, case 4 (batch worker) with a real caldp-process child: SIGTERM to the worker mid-calibration
// ends the child's whole process group (caldp-process and its step), hands the dataset back, and another
// worker then processes it exactly once with a complete set of products.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
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

test("SIGTERM mid-calibration: group gone, no attempt folder left, handed back, processed once by another worker", {
  skip,
}, async (t) => {
  const ds = "j8ta01a1q";
  const ws = batchWorkspace([ds]);
  const workDir = join(ws.dir, "work");
  const first = startWorker(fx.redis.url, ws.output, "2g", ["--stop-grace-seconds", "5", "--work-dir", workDir]);
  workers.push(first);
  const common = ["--input", ws.input, "--output", ws.output, "--config", ws.config, "--redis", fx.redis.url];
  const submitted = await batchCli(["submit", ds, ...common]);
  assert.equal(submitted.status, 0, submitted.stderr);
  const pgid = await runningGroup(ws.output, ds, "caldp-process to start");
  // wait until caldp-process has started a step (its own child, whatever process group it is in)
  const step = await waitFor("caldp-process's step process", () => descendants(pgid).find(isStep), 20_000);
  const { code, ms } = await signalAndTime(first, "SIGTERM", 15_000);
  t.diagnostic(`SIGTERM → worker exit: ${ms.toFixed(0)} ms`);
  assert.equal(code, 0, first.log());
  await waitFor("the child's process group to be gone", () => !alive(pgid), 3000);
  await waitFor("the step process to be gone", () => !pidAlive(step), 8000);
  assert.deepEqual(readdirSync(workDir), [], "the attempt's folder is removed");
  const handed = readRecordFile(ws.output, ds)!;
  assert.equal(handed.state, "submitted");
  assert.match(handed.attempts[0].exit_reason ?? "", /stopped by SIGTERM: handed back/);

  // the second worker keeps its default work folder (named by its pid) in its own TMPDIR
  const tmp = join(ws.dir, "tmp");
  mkdirSync(tmp);
  const second = startWorker(fx.redis.url, ws.output, "2g", [], { TMPDIR: tmp });
  workers.push(second);
  const [record] = await waitForEnd(ws.output, [ds], 90_000);
  assert.equal(record.state, "processed", `${record.exit_reason}: ${record.cause}`);
  assert.equal(record.attempts.length, 2);
  assert.equal(record.attempts.filter((a) => a.decision?.action === "processed").length, 1);
  assert.deepEqual(messagesOf(ws.output, ds), [`processed-${ds}.trigger`]);
  const products = join(ws.output.slice("file:".length), ds);
  assert.ok(existsSync(join(products, `${ds}_flt.fits`)), readdirSync(products).join(" "));
  await second.stop();
  assert.deepEqual(
    readdirSync(tmp).filter((n) => n.startsWith("caldp-batch-")),
    [],
    "a stopped worker removes its default work folder",
  );
});

/** The pid and parent pid of every process (from /proc). */
function processTable(): { pid: number; ppid: number }[] {
  const table: { pid: number; ppid: number }[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      table.push({ pid: Number(pid), ppid: Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) });
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

/** Every process below `root`. */
function descendants(root: number): number[] {
  const table = processTable();
  const found: number[] = [];
  for (let frontier = [root]; frontier.length; ) {
    frontier = table.filter((p) => frontier.includes(p.ppid)).map((p) => p.pid);
    found.push(...frontier);
  }
  return found;
}

function isStep(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("caldp-step");
  } catch {
    return false;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
