import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { readMetrics } from "../../src/pipeline/metrics.js";
import {
  DS,
  folderState,
  hiddenNames,
  processesIn,
  standIns,
  startProcess,
  waitForText,
  workspace,
} from "./process-fixture.js";

const read = (path: string) => readFileSync(path, "utf8");
/** A process that exists and is not a zombie (this container's init may not reap orphans at once). */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
};

/** What every stopped run must leave: the error message naming the signal, logs, no orphans, input intact. */
function checkStopped(dir: string, signal: string, signum: number, inputBefore: Record<string, string>) {
  assert.deepEqual(readdirSync(join(dir, "messages")), [`error-${DS}`]);
  assert.match(
    read(join(dir, "messages", `error-${DS}`)),
    new RegExp(`Killed by UNIX signal ${signal}\\[${signum}\\]`),
  );
  const metrics = read(join(dir, "process_metrics.txt"));
  assert.match(metrics, /^Command terminated by signal (\d+)/);
  assert.ok([128 + signum, 137].includes(readMetrics(metrics).exitStatus!), metrics.slice(-40));
  for (const name of ["process.txt", "process_metrics.txt"]) {
    assert.ok(existsSync(join(dir, "out", DS, "logs", name)), `logs/${name} copied`);
  }
  assert.ok(!existsSync(join(dir, "preview_metrics.txt")), "no preview step after the signal");
  assert.ok(!existsSync(join(dir, "out", DS, "previews")), "no previews after the signal");
  assert.deepEqual(hiddenNames(join(dir, "out")), [], "no scratch folder, lock or temporary file left");
  assert.deepEqual(folderState(join(dir, "in")), inputBefore, "the input folder is only read");
}

for (const [signal, signum] of [
  ["SIGTERM", 15],
  ["SIGINT", 2],
  ["SIGHUP", 1],
] as const) {
  test(`${signal} during calibration: forwarded, the run ends with ${128 + signum} and an error- message`, async () => {
    const { dir, input, config } = workspace(`sig${signum}`);
    const before = folderState(input);
    const run = startProcess([DS, "file:in", "file:out", config], dir);
    await waitForText(join(dir, "process.txt"), /ACSCCD:/);
    const sent = Date.now();
    process.kill(run.pid, signal);
    const ended = await run.ended;
    const seconds = (Date.now() - sent) / 1000;
    assert.equal(ended.status, 128 + signum, ended.stdout.slice(-2000) + ended.stderr);
    assert.ok(seconds < 8, `ended ${seconds.toFixed(1)} s after the signal`);
    assert.match(ended.stdout, new RegExp(`EXIT - Killed by UNIX signal ${signal}\\[${signum}\\]`));
    assert.match(read(join(dir, "process.txt")), new RegExp(`caldp-step process: stopped by ${signal}`));
    assert.deepEqual(processesIn(dir), [], "no step or program left running");
    checkStopped(dir, signal, signum, before);
    assert.ok(!readdirSync(join(dir, "out", DS)).some((n) => n.endsWith(".fits")), "no product after the stop");
  });
}

test("a program that ignores SIGTERM is killed after CALDP_KILL_GRACE_SECONDS with its whole group", async () => {
  const { dir, input, config } = workspace("grace", "CALDP_ENGINE=hstcal\nCALDP_KILL_GRACE_SECONDS=1\n");
  const path = standIns(dir, { "calacs.e": `trap '' TERM\necho $$ > ${dir}/calacs.pid\nsleep 60 & wait` });
  const before = folderState(input);
  const run = startProcess([DS, "file:in", "file:out", config], dir, { PATH: path });
  await waitForText(join(dir, "calacs.pid"), /\d+/);
  const program = Number(read(join(dir, "calacs.pid")));
  const sent = Date.now();
  process.kill(run.pid, "SIGTERM");
  const ended = await run.ended;
  const seconds = (Date.now() - sent) / 1000;
  assert.equal(ended.status, 143, ended.stdout.slice(-2000));
  assert.ok(seconds >= 1 && seconds < 8, `ended ${seconds.toFixed(1)} s after SIGTERM (grace 1 s)`);
  assert.ok(!alive(program), "the stand-in calacs.e that ignored SIGTERM is dead");
  assert.deepEqual(processesIn(dir), [], "nothing left running (the stand-in's sleep included)");
  checkStopped(dir, "SIGTERM", 15, before);
});

test("caldp-process killed by SIGKILL: its step and programs die too; the next run clears the stale state", async () => {
  const { dir, input, config } = workspace("sigkill");
  const path = standIns(dir, { "calacs.e": `echo $$ > ${dir}/calacs.pid\nsleep 60 & wait` });
  const before = folderState(input);
  const run = startProcess([DS, "file:in", "file:out", config], dir, { PATH: path, CALDP_ENGINE: "hstcal" });
  await waitForText(join(dir, "calacs.pid"), /\d+/);
  const program = Number(read(join(dir, "calacs.pid")));
  process.kill(run.pid, "SIGKILL");
  assert.equal((await run.ended).signal, "SIGKILL");
  const until = Date.now() + 5000;
  while (processesIn(dir).length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(processesIn(dir), [], "step and stand-in died with caldp-process");
  assert.ok(!alive(program));
  assert.deepEqual(readdirSync(join(dir, "messages")), [`processing-${DS}`], "the state a SIGKILL leaves");
  assert.ok(hiddenNames(join(dir, "out")).some((n) => n === `.${DS}.caldp-lock`));
  assert.deepEqual(folderState(input), before);

  // the next run (native engine) takes over the dead run's lock, clears its scratch folder and its messages
  const next = startProcess([DS, "file:in", "file:out", config], dir);
  const ended = await next.ended;
  assert.equal(ended.status, 0, ended.stdout.slice(-2000) + ended.stderr);
  assert.match(
    ended.stdout,
    new RegExp(`WARNING - taking over the stale lock .*\\.${DS}\\.caldp-lock \\(pid ${run.pid} `),
  );
  assert.match(ended.stdout, /WARNING - removed .*\.caldp-scratch-j8cb010b0-.* \(left by a killed run\)/);
  assert.deepEqual(readdirSync(join(dir, "messages")), [`processed-${DS}.trigger`]);
  assert.deepEqual(hiddenNames(join(dir, "out")), []);
  assert.deepEqual(folderState(input), before);
});

test("a second SIGTERM during the messages step: still one error- message, exit 143, nothing left running", async () => {
  const { dir, input, config } = workspace("sigtwice");
  const before = folderState(input);
  const run = startProcess([DS, "file:in", "file:out", config], dir);
  let stdout = "";
  run.child.stdout?.on("data", (d) => {
    stdout += d;
  });
  await waitForText(join(dir, "process.txt"), /ACSCCD:/);
  process.kill(run.pid, "SIGTERM");
  const until = Date.now() + 30_000;
  while (!/received SIGTERM/.test(stdout) || !/caldp-step process: stopped/.test(read(join(dir, "process.txt")))) {
    assert.ok(Date.now() < until, "the first SIGTERM was handled");
    await new Promise((r) => setTimeout(r, 5));
  }
  await new Promise((r) => setTimeout(r, 300)); // the messages step is starting
  process.kill(run.pid, "SIGTERM");
  const ended = await run.ended;
  assert.equal(ended.status, 143, ended.stdout.slice(-2000) + ended.stderr);
  assert.deepEqual(readdirSync(join(dir, "messages")), [`error-${DS}`]);
  assert.match(read(join(dir, "messages", `error-${DS}`)), /SIGTERM\[15\]/);
  assert.deepEqual(processesIn(dir), []);
  assert.deepEqual(hiddenNames(join(dir, "out")), []);
  assert.deepEqual(folderState(input), before);
});
