import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CaldpError, InputTarError } from "../../src/core/errors.js";
import { EXIT_CODES, explain } from "../../src/core/exit-codes.js";
import { Logger } from "../../src/core/log.js";
import { runCommand } from "../../src/pipeline/run-command.js";
import { exitStatusFor, runStage } from "../../src/pipeline/stage.js";
import { REPO } from "../helpers/paths.js";

function capture(): { log: Logger; lines: string[]; file: string } {
  const lines: string[] = [];
  const file = join(mkdtempSync(join(tmpdir(), "caldp-stage-")), "process.txt");
  return { log: new Logger(file, (line) => lines.push(line)), lines, file };
}

async function failing(promise: Promise<unknown>): Promise<CaldpError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof CaldpError, `expected a CaldpError, got ${e}`);
    return e;
  }
  assert.fail("the stage did not fail");
}

test("a child killed by SIGKILL: the signal is explained, then the stage's code; console and log agree", async () => {
  const { log, lines, file } = capture();
  const error = await failing(
    runStage({ name: "stage1 calacs.e", code: "STAGE1_ERROR", log, env: {} }, () =>
      runCommand("bash", ["-c", "echo calibrating; kill -KILL $$"], { log }),
    ),
  );
  log.close();
  assert.equal(error.code, 23);
  const signalLine = "EXIT - Killed by UNIX signal SIGKILL[9]: 'Kill, unblockable (POSIX).'";
  const exitLine = explain(23);
  assert.ok(lines.includes("calibrating"), "the child's output is echoed without prefix");
  assert.equal(lines.indexOf(exitLine), lines.indexOf(signalLine) + 1);
  assert.deepEqual(readFileSync(file, "utf8").trimEnd().split("\n"), lines);
});

test("with CALDP_DEBUG=1 the fatal report has the divider, the message, the stacks prefixed ERROR -, the EXIT line", async () => {
  const { log, lines } = capture();
  const env = { CALDP_DEBUG: "1" };
  const error = await failing(
    runStage({ name: "bestrefs", code: 27, log, failureMessage: "Bestrefs failed for j8cb010b0", env }, () => {
      throw new Error("server said no");
    }),
  );
  assert.equal(error.code, 27);
  assert.equal(error.message, "Bestrefs failed for j8cb010b0: Error: server said no");
  const start = lines.indexOf("ERROR - ----------------------------- Fatal Exception -----------------------------");
  assert.ok(start > 0, lines.join("\n"));
  assert.equal(lines[start + 1], "ERROR - BestrefsError: Bestrefs failed for j8cb010b0: Error: server said no");
  // the mapped error's stack, then the original failure with its own
  const causedBy = lines.indexOf("ERROR - Caused by:", start);
  assert.ok(causedBy > start + 1, lines.join("\n"));
  assert.equal(lines[causedBy + 1], "ERROR - Error: server said no");
  assert.match(lines[causedBy + 2], /^ERROR -\s+at .*stage\.test\.ts/);
  const exitAt = lines.indexOf(explain(27));
  assert.ok(exitAt > causedBy + 2);
  assert.ok(lines.slice(start + 1, exitAt).every((l) => l.startsWith("ERROR - ")));
  assert.match(lines.at(-1)!, /^ERROR - bestrefs failed after \d+\.\d{3} s$/);
});

test("without CALDP_DEBUG the fatal report names each cause, with no stack trace", async () => {
  for (const env of [{}, { CALDP_DEBUG: "0" }, { CALDP_DEBUG: "" }]) {
    const { log, lines } = capture();
    const cause = Object.assign(new Error("ECONNRESET: socket hang up"), { code: "ECONNRESET" });
    const error = await failing(
      runStage({ name: "bestrefs", code: 27, log, failureMessage: "Bestrefs failed for j8cb010b0", env }, () => {
        throw new TypeError("cannot sync hst_0001.pmap", { cause });
      }),
    );
    assert.equal(error.code, 27);
    const start = lines.indexOf("ERROR - ----------------------------- Fatal Exception -----------------------------");
    const report = lines.slice(start, lines.indexOf(explain(27)) + 1);
    assert.deepEqual(
      report.slice(1, -2),
      [
        "ERROR - BestrefsError: Bestrefs failed for j8cb010b0: TypeError: cannot sync hst_0001.pmap: caused by Error: ECONNRESET: socket hang up",
        "ERROR - Caused by:",
        "ERROR - TypeError: cannot sync hst_0001.pmap",
        "ERROR - Caused by:",
        "ERROR - Error: ECONNRESET: socket hang up",
      ],
      `${JSON.stringify(env)}\n${lines.join("\n")}`,
    );
    assert.ok(!lines.some((l) => /^ERROR -\s+at /.test(l)), lines.join("\n"));
  }
});

test("the fatal report's first line is the whole chain: what failed, on which file, and why", async () => {
  const { log, lines } = capture();
  const zlib = Object.assign(new Error("unexpected end of file"), { code: "Z_BUF_ERROR" });
  const cause = new InputTarError("Cannot read tarball /data/in/j8cb010b0.tar.gz: unexpected end of file", {
    cause: zlib,
  });
  const eisdir = Object.assign(new Error("EISDIR: illegal operation on a directory, read"), {
    code: "EISDIR",
    path: "/data/in/j8cb01a1q_raw.fits",
  });
  await failing(runStage({ name: "get inputs", code: 21, log, env: {} }, () => Promise.reject(cause)));
  const summary = lines.find((l) => l.includes("Cannot read tarball"));
  assert.equal(
    summary,
    "ERROR - get inputs failed: InputTarError: Cannot read tarball /data/in/j8cb010b0.tar.gz: unexpected end of file",
  );
  const { log: log2, lines: lines2 } = capture();
  await failing(runStage({ name: "stage 1", code: 23, log: log2, env: {} }, () => Promise.reject(eisdir)));
  assert.ok(
    lines2.includes(
      "ERROR - Stage1Error: stage 1 failed: Error: EISDIR: illegal operation on a directory, read (/data/in/j8cb01a1q_raw.fits)",
    ),
    lines2.join("\n"),
  );
});

test("start and end are logged with the elapsed time; the body's value is returned", async () => {
  const { log, lines } = capture();
  const value = await runStage({ name: "copy outputs", code: 1, log, env: {} }, async () => {
    await new Promise((r) => setTimeout(r, 50));
    return 42;
  });
  assert.equal(value, 42);
  assert.equal(lines[0], "INFO - copy outputs started");
  const seconds = Number(/^INFO - copy outputs completed in (\d+\.\d{3}) s$/.exec(lines[1])?.[1]);
  assert.ok(seconds >= 0.045 && seconds < 5, lines[1]);
});

test("a CaldpError from an inner stage passes through the outer one unchanged and is reported once", async () => {
  const { log, lines } = capture();
  const error = await failing(
    runStage({ name: "process", code: 23, log, env: {} }, () =>
      runStage({ name: "untar", code: 21, log, env: {} }, () => {
        throw new Error("truncated");
      }),
    ),
  );
  assert.ok(error instanceof InputTarError);
  assert.equal(lines.filter((l) => l.includes("Fatal Exception")).length, 1);
  assert.equal(lines.filter((l) => l.startsWith("EXIT - ")).length, 1);
});

test("a real failed ArrayBuffer allocation maps to 32 whatever the stage's code", async () => {
  const { log } = capture();
  const error = await failing(runStage({ name: "drizzle", code: 24, log, env: {} }, () => new ArrayBuffer(2 ** 40)));
  assert.equal(error.code, EXIT_CODES.CALDP_MEMORY_ERROR);
});

test("CALDP_SIMULATE_ERROR: every table code fails the stage that owns it; memory codes fail any stage", async () => {
  for (const code of Object.values(EXIT_CODES)) {
    if (code === 0 || code === 33) continue;
    const { log } = capture();
    const env = { CALDP_SIMULATE_ERROR: String(code) };
    const owner = await failing(runStage({ name: "s", code: code >= 31 && code <= 34 ? 23 : code, log, env }, () => 1));
    assert.equal(owner.code, code, `simulated ${code}`);
  }
  const { log, lines } = capture();
  assert.equal(
    await runStage({ name: "other", code: 23, log, env: { CALDP_SIMULATE_ERROR: "27" } }, () => "ran"),
    "ran",
  );
  const sub = await failing(runStage({ name: "s", code: 24, log, env: { CALDP_SIMULATE_ERROR: "31" } }, () => 1));
  assert.equal(sub.code, 31);
  assert.ok(
    lines.some((l) => l.startsWith("MemoryError:")),
    "31 leaves a MemoryError line in the log",
  );
  const bad = await failing(runStage({ name: "s", code: 24, log, env: { CALDP_SIMULATE_ERROR: "x" } }, () => 1));
  assert.equal(bad.code, 1);
});

test("CALDP_SIMULATE_ERROR=33 kills the process with SIGKILL after logging the explanation", () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-oom-"));
  const script = `
    import { Logger } from "${join(REPO, "src/core/log.ts")}";
    import { runStage } from "${join(REPO, "src/pipeline/stage.ts")}";
    const log = new Logger(${JSON.stringify(join(dir, "process.txt"))});
    await runStage({ name: "stage1", code: 23, log }, () => console.log("body ran"));
    console.log("survived");`;
  const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: REPO,
    env: { ...process.env, CALDP_SIMULATE_ERROR: "33" },
    encoding: "utf8",
  });
  assert.equal(child.signal, "SIGKILL", child.stderr);
  assert.doesNotMatch(child.stdout, /body ran|survived/);
  assert.ok(readFileSync(join(dir, "process.txt"), "utf8").includes(explain(33)));
});

test("exitStatusFor: success is 0, an unreported failure is reported and mapped like CALDP's exit_receiver", () => {
  const { log, lines } = capture();
  assert.equal(exitStatusFor(undefined, log), 0);
  assert.equal(exitStatusFor(new TypeError("bug"), log), 1);
  assert.ok(lines.includes(explain(1)));
  assert.equal(exitStatusFor(Object.assign(new Error("spawn ENOMEM"), { code: "ENOMEM" }), log), 34);
  assert.equal(exitStatusFor(new InputTarError("bad tar"), log), 21);
});
