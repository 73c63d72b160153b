import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync } from "node:fs";
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
  startProcess,
  waitForText,
  workspace,
} from "./process-fixture.js";

test("SIGTERM at random moments (seeded): one final message that says what happened, nothing partial or left", async () => {
  const { dir, input, config } = workspace("anytime");
  const before = folderState(input);
  const random = new Random(7_2026);
  const outcomes: string[] = [];
  for (let i = 0; i < 5; i++) {
    rmSync(join(dir, "process.txt"), { force: true }); // the last run's, which waitForText must not see
    const run = startProcess([DS, "file:in", "file:out", config], dir, { CALDP_KILL_GRACE_SECONDS: "2" });
    // from the moment the steps run (caldp-process handles signals from before its first step on)
    await waitForText(join(dir, "process.txt"), /Processing started/);
    const delay = random.uniform() * 6000;
    const timer = setTimeout(() => process.kill(run.pid, "SIGTERM"), delay);
    const ended = await run.ended;
    clearTimeout(timer);
    const messages = readdirSync(join(dir, "messages"));
    const what = `SIGTERM after ${delay.toFixed(0)} ms: exit ${ended.status}, ${messages.join(" ")}`;
    outcomes.push(what);
    if (ended.status === 0) assert.deepEqual(messages, [`processed-${DS}.trigger`], what);
    else {
      assert.equal(ended.status, 143, `${what}\n${ended.stdout.slice(-1500)}${ended.stderr}`);
      assert.deepEqual(messages, [`error-${DS}`], what);
      assert.match(readFileSync(join(dir, "messages", `error-${DS}`), "utf8"), /SIGTERM\[15\]/, what);
    }
    assert.deepEqual(processesIn(dir), [], what);
    assert.deepEqual(hiddenNames(join(dir, "out")), [], what);
    for (const name of finalNames(join(dir, "out"))) {
      assert.equal(incompleteReason(join(dir, "out", name)), undefined, `${name} (${what})`);
    }
    assert.deepEqual(folderState(input), before, what);
  }
  assert.ok(
    outcomes.some((o) => o.includes("exit 143")),
    `at least one run was stopped: ${outcomes.join("; ")}`,
  );
});
