// Operators' logs and terminals get one-line errors and fatal reports naming each cause; the JavaScript stack
// traces only with CALDP_DEBUG=1 (caldp, caldp-process, and what nothing caught).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runCliAsync } from "../helpers/cli-async.js";
import { REPO } from "../helpers/paths.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-stack-traces-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const STACK_LINE = /^(ERROR - )?\s+at /m;
const NO_DEBUG = { CALDP_DEBUG: "" };

test("caldp-process: the fatal report in process.txt names the causes; stack lines only with CALDP_DEBUG=1", async () => {
  for (const [name, env] of [
    ["plain", NO_DEBUG],
    ["debug", { CALDP_DEBUG: "1" }],
  ] as const) {
    const cwd = mkdtempSync(join(dir, `${name}-`));
    const r = await runCliAsync("caldp-process", ["j8cb010b0", "file:missing", "file:out"], { cwd, env });
    assert.equal(r.status, 21, r.stdout + r.stderr);
    const report = readFileSync(join(cwd, "process.txt"), "utf8");
    assert.match(report, /^ERROR - Caused by:\nERROR - InputError: Input directory .*missing .* does not exist$/m);
    assert.match(r.stderr, /^caldp-process: process failed: InputTarError: Input directory .*missing/m);
    if (name === "plain") {
      assert.doesNotMatch(report, STACK_LINE, report);
      assert.doesNotMatch(r.stdout + r.stderr, STACK_LINE);
    } else {
      assert.match(report, /^ERROR - +at .*file-input\.ts/m, report);
    }
  }
});

test("caldp: a failed command is one line; CALDP_DEBUG=1 adds its stack", async () => {
  const plain = await runCliAsync("caldp", ["previews", "--thumb-size", "0", "x.fits"], { cwd: dir, env: NO_DEBUG });
  assert.equal(plain.status, 1);
  assert.equal(plain.stderr, "caldp: --thumb-size must be a positive integer\n");
  const debug = await runCliAsync("caldp", ["previews", "--thumb-size", "0", "x.fits"], {
    cwd: dir,
    env: { CALDP_DEBUG: "1" },
  });
  assert.equal(debug.status, 1);
  assert.match(debug.stderr, /^caldp: --thumb-size must be a positive integer\nError: --thumb-size .*\n\s+at /);
});

/** A real process that installs the handler, then fails where nothing catches it. */
function crash(how: "throw" | "reject", env: NodeJS.ProcessEnv) {
  const module = join(REPO, "src", "cli", "error-output.ts");
  const fail =
    how === "throw"
      ? `setTimeout(() => { throw new TypeError("boom", { cause: new Error("EPIPE: broken pipe") }); })`
      : `Promise.reject(new RangeError("Invalid array length"))`;
  const script = `const m = await import(${JSON.stringify(module)}); m.exitOnUncaught("caldp"); ${fail};`;
  return spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: REPO,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
}

test("an exception or rejection nothing caught: one line with its class and causes, status 1", () => {
  const thrown = crash("throw", NO_DEBUG);
  assert.equal(thrown.status, 1);
  assert.equal(thrown.stderr, "caldp: TypeError: boom: caused by Error: EPIPE: broken pipe\n");
  const rejected = crash("reject", NO_DEBUG);
  assert.equal(rejected.status, 1);
  assert.equal(rejected.stderr, "caldp: RangeError: Invalid array length\n");
  const debug = crash("throw", { CALDP_DEBUG: "1" });
  assert.equal(debug.status, 1);
  assert.match(debug.stderr, /^caldp: TypeError: boom: caused by Error: EPIPE: broken pipe\nTypeError: boom\n\s+at /);
});
