import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Random } from "../../src/sim/index.js";
import {
  DS,
  finalNames,
  folderState,
  hiddenNames,
  incompleteReason,
  processesIn,
  type Running,
  startProcess,
  waitForText,
  workspace,
} from "./process-fixture.js";

/** Waits for a phase of the run (a line in a log or in the run's output), then a random delay. */
async function killDuring(run: Running, dir: string, phase: string, delayMs: number): Promise<void> {
  const file = phase === "messages" ? undefined : join(dir, phase === "previews" ? "preview.txt" : "process.txt");
  const pattern = { copy: /save outputs started/, previews: /Generating/, messages: /copy logs started/ }[phase];
  if (file && pattern) await waitForText(file, pattern);
  else if (pattern) {
    let seen = "";
    run.child.stdout?.on("data", (d) => {
      seen += d;
    });
    const until = Date.now() + 60_000;
    while (!pattern.test(seen) && Date.now() < until) await new Promise((r) => setTimeout(r, 2));
  }
  await new Promise((r) => setTimeout(r, delayMs));
  // the whole group at once, as a container runtime does: nobody gets to clean up
  try {
    process.kill(-run.pid, "SIGKILL");
  } catch (e) {
    // a fast run can end within the random delay: then there is nothing to kill, and the checks still hold
    if ((e as NodeJS.ErrnoException).code !== "ESRCH") throw e;
  }
  await run.ended;
}

test("SIGKILL of the whole run at random moments never leaves a partial file under a final name", async () => {
  const { dir, input, config } = workspace("atomic");
  const before = folderState(input);
  const random = new Random(20261207);
  const phases = ["copy", "copy", "previews", "messages", "anytime"];
  for (const phase of phases) {
    // the last run's logs, which must not be taken for this run's progress
    for (const log of ["process.txt", "preview.txt"]) rmSync(join(dir, log), { force: true });
    const run = startProcess([DS, "file:in", "file:out", config], dir);
    const delay = phase === "anytime" ? random.uniform() * 6000 : random.uniform() * 40;
    await killDuring(run, dir, phase, delay);
    const until = Date.now() + 5000;
    while (processesIn(dir).length && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(processesIn(dir), [], `nothing left running after the kill (${phase})`);
    for (const name of finalNames(join(dir, "out"))) {
      const reason = incompleteReason(join(dir, "out", name));
      assert.equal(reason, undefined, `${name} after a kill in ${phase} + ${delay.toFixed(0)} ms: ${reason}`);
    }
    for (const name of finalNames(join(dir, "messages"))) {
      assert.match(readFileSync(join(dir, "messages", name), "utf8"), new RegExp(`^${name}\\n`), name);
    }
    assert.deepEqual(folderState(input), before);
  }
  // the next run cleans what the killed ones left and lists exactly the products
  const ok = await startProcess([DS, "file:in", "file:out", config], dir).ended;
  assert.equal(ok.status, 0, ok.stdout.slice(-2000) + ok.stderr);
  assert.deepEqual(hiddenNames(join(dir, "out")), []);
  const trigger = join(dir, "messages", `processed-${DS}.trigger`);
  assert.ok(existsSync(trigger));
  const listed = readFileSync(trigger, "utf8").trimEnd().split("\n").slice(1).sort();
  const products = finalNames(join(dir, "out"))
    .filter((n) => !n.includes("/logs/") && !n.includes("/env/"))
    .sort();
  assert.deepEqual(listed, products);
  for (const name of finalNames(join(dir, "out"))) assert.equal(incompleteReason(join(dir, "out", name)), undefined);
});
