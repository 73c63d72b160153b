// runChild's stop: SIGTERM to the child's group, SIGKILL after the grace, nothing of the group left.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runChild } from "../../src/batch/child.js";
import { alive, waitFor } from "./harness.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-child-stop-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function start(script: string, stop: AbortSignal, stopGraceMs: number) {
  let pgid = 0;
  const end = runChild({
    command: "/bin/sh",
    args: ["-c", script],
    cwd: dir,
    env: process.env,
    killTimeMs: 60_000,
    memoryLimitMiB: 4096,
    cancelled: async () => false,
    onStart: (group) => {
      pgid = group;
    },
    stop,
    stopGraceMs,
  });
  return { end, pgid: () => pgid };
}

/** Starts `script`, stops it once it runs; how it ended, how long the stop took, and its process group. */
async function startThenStop(script: string, stopGraceMs: number) {
  const stop = new AbortController();
  const child = start(script, stop.signal, stopGraceMs);
  await waitFor("the child to start", () => child.pgid() > 0, 5000);
  const t0 = performance.now();
  stop.abort();
  const end = await child.end;
  return { end, ms: performance.now() - t0, pgid: child.pgid() };
}

test("a child that ends on SIGTERM is not SIGKILLed first: it exits by SIGTERM within the grace", async () => {
  // the shell's trap proves the child saw SIGTERM (exit 42), not the guard's SIGKILL
  const { end, ms, pgid } = await startThenStop("trap 'exit 42' TERM; sleep 30 & wait", 5000);
  assert.equal(end.killedFor, "shutdown");
  assert.equal(end.exitCode, 42, `the child's own exit status, not a kill: ${JSON.stringify(end)}`);
  assert.ok(ms < 3000, `ended ${ms.toFixed(0)} ms after SIGTERM`);
  await waitFor("the group to be gone", () => !alive(pgid), 3000);
});

test("a child that ignores SIGTERM is SIGKILLed after the grace, with its whole group", async () => {
  const { end, ms, pgid } = await startThenStop("trap '' TERM; sleep 30 & sleep 30; wait", 1000);
  assert.equal(end.killedFor, "shutdown");
  assert.equal(end.signal, "SIGKILL", JSON.stringify(end));
  assert.ok(ms >= 900 && ms < 4000, `SIGKILL ${ms.toFixed(0)} ms after SIGTERM, grace 1000 ms`);
  await waitFor("the group to be gone", () => !alive(pgid), 3000);
});
