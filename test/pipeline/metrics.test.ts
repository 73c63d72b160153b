import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Logger } from "../../src/core/log.js";
import { formatElapsed, formatTimeVerbose, type ResourceReport, readMetrics } from "../../src/pipeline/metrics.js";
import { ResourceMeter } from "../../src/pipeline/resource-meter.js";
import { runCommand } from "../../src/pipeline/run-command.js";
import { REPO } from "../helpers/paths.js";
import { skipUnlessInstalled } from "../helpers/skip.js";

const GNU_TIME = "/usr/bin/time";
const haveGnuTime = existsSync(GNU_TIME);
const skipWithoutGnuTime = skipUnlessInstalled(haveGnuTime, "GNU time");

// A step that uses ~150 MB and some CPU, then writes our own metrics and exits with the given status.
function stepScript(ours: string, status: number): string {
  return `
    import { ResourceMeter } from "${join(REPO, "src/pipeline/resource-meter.ts")}";
    import { writeMetricsFile } from "${join(REPO, "src/pipeline/metrics.ts")}";
    const meter = new ResourceMeter("the step");
    const big = Buffer.alloc(150 * 1024 * 1024, 1);
    let s = 0; for (let i = 0; i < 3e7; i++) s += i % 7;
    await new Promise((r) => setTimeout(r, 200));
    writeMetricsFile(${JSON.stringify(ours)}, meter.finish({ exitStatus: ${status} }));
    process.exit(${status} + (big[0] + s) * 0);`;
}

function runUnderGnuTime(status: number): { gnu: string[]; ours: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "caldp-metrics-"));
  const gnuFile = join(dir, "gnu.txt");
  const oursFile = join(dir, "process_metrics.txt");
  const script = join(dir, "step.mts");
  writeFileSync(script, stepScript(oursFile, status));
  const args = ["--verbose", "-o", gnuFile, process.execPath, "--import", "tsx", script];
  const run = spawnSync(GNU_TIME, args, { cwd: REPO, encoding: "utf8" });
  assert.equal(run.status, status, run.stderr);
  const lines = (f: string) => readFileSync(f, "utf8").replace(/\n$/, "").split("\n");
  return { gnu: lines(gnuFile), ours: lines(oursFile) };
}

const keyOf = (line: string) => line.split(": ")[0];
const shapeOf = (line: string) =>
  line
    .split(": ")
    .slice(1)
    .join(": ")
    .replace(/\d+/g, "9")
    .replace(/"[^"]*"/, '"…"');

test("our metrics file has GNU time's 23 lines: same keys, same order, same value formats", {
  skip: skipWithoutGnuTime,
}, () => {
  const { gnu, ours } = runUnderGnuTime(0);
  assert.equal(ours.length, 23);
  assert.deepEqual(ours.map(keyOf), gnu.map(keyOf));
  assert.deepEqual(ours.map(shapeOf), gnu.map(shapeOf));
  assert.equal(ours[4].startsWith("\tElapsed (wall clock) time (h:mm:ss or m:ss): "), true);
  assert.equal(ours[9].startsWith("\tMaximum resident set size (kbytes): "), true);
  const [g, o] = [readMetrics(gnu.join("\n")), readMetrics(ours.join("\n"))];
  assert.ok(o.maxRssKb > 150 * 1024 && o.maxRssKb <= g.maxRssKb * 1.05, `ours ${o.maxRssKb} kB, GNU ${g.maxRssKb} kB`);
  assert.equal(o.exitStatus, 0);
  assert.ok(o.ingestAccepts);
});

test("a failed step gets GNU time's 'Command exited with non-zero status N' first line", {
  skip: skipWithoutGnuTime,
}, () => {
  const { gnu, ours } = runUnderGnuTime(3);
  assert.equal(gnu[0], "Command exited with non-zero status 3");
  assert.equal(ours[0], gnu[0]);
  assert.deepEqual(ours.map(keyOf), gnu.map(keyOf));
  assert.equal(ours.at(-1), "\tExit status: 3");
  const reading = readMetrics(ours.join("\n"));
  assert.equal(reading.exitStatus, 3);
  assert.equal(reading.ingestAccepts, false);
});

test("a watched child's peak memory is measured (compared with GNU time's %M for that child)", {
  skip: skipWithoutGnuTime,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-metrics-"));
  const gnuFile = join(dir, "child.txt");
  const meter = new ResourceMeter("child");
  const log = new Logger(undefined, () => {});
  const hog = "const b = Buffer.alloc(200 * 1024 * 1024, 1); setTimeout(() => console.log(b[0]), 600);";
  await runCommand(GNU_TIME, ["-f", "%M", "-o", gnuFile, process.execPath, "-e", hog], {
    log,
    onSpawn: (child) => meter.watch(child),
  });
  const report = meter.finish({ exitStatus: 0 });
  const gnuKb = Number(readFileSync(gnuFile, "utf8").trim());
  assert.ok(Math.abs(report.maxRssKb - gnuKb) / gnuKb < 0.1, `ours ${report.maxRssKb} kB, GNU ${gnuKb} kB`);
  assert.ok(report.userSeconds + report.systemSeconds > 0.05, "the child's CPU time is counted");
});

const base: ResourceReport = {
  command: "caldp process j8cb010b0",
  userSeconds: 1.239,
  systemSeconds: 0.5,
  elapsedSeconds: 3.5,
  maxRssKb: 1234,
  majorFaults: 0,
  minorFaults: 10,
  voluntarySwitches: 1,
  involuntarySwitches: 2,
  swaps: 0,
  fsInputs: 8,
  fsOutputs: 16,
  socketSent: 0,
  socketReceived: 0,
  signalsDelivered: 0,
  pageSize: 4096,
  exitStatus: 0,
};

test("GNU formats: truncated hundredths, m:ss.hh under an hour and h:mm:ss from one hour, integer CPU percent", () => {
  assert.equal(formatElapsed(65.379), "1:05.37");
  assert.equal(formatElapsed(0.004), "0:00.00");
  assert.equal(formatElapsed(3725.99), "1:02:05");
  const lines = formatTimeVerbose(base).split("\n");
  assert.equal(lines[0], '\tCommand being timed: "caldp process j8cb010b0"');
  assert.equal(lines[1], "\tUser time (seconds): 1.23");
  assert.equal(lines[3], "\tPercent of CPU this job got: 49%");
  assert.equal(formatTimeVerbose({ ...base, elapsedSeconds: 0 }).split("\n")[3], "\tPercent of CPU this job got: ?%");
  assert.equal(lines.at(-1), "");
});

test("a step killed by a signal: GNU's first line, and an exit status that cannot read as success", () => {
  const lines = formatTimeVerbose({ ...base, exitStatus: 0, signal: 9 })
    .trimEnd()
    .split("\n");
  assert.equal(lines[0], "Command terminated by signal 9");
  assert.equal(lines.at(-1), "\tExit status: 137");
});

test("readMetrics reads by index as model_ingest does, including its last-digit and fraction quirks", () => {
  const ok = readMetrics(formatTimeVerbose({ ...base, elapsedSeconds: 3725.5 }));
  assert.deepEqual(ok, { exitStatus: 0, ingestAccepts: true, wallclockSeconds: 3725, maxRssKb: 1234 });
  const svm = readMetrics(formatTimeVerbose({ ...base, exitStatus: 40 }));
  assert.equal(svm.exitStatus, 40);
  assert.equal(svm.ingestAccepts, true, "model_ingest's '0 in status' accepts 40");
  assert.equal(svm.maxRssKb, 0, "the extra first line shifts line 9 to 'Average total size'");
  assert.equal(readMetrics("").exitStatus, undefined);
});
