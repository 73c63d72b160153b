#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's built-in runner (Node 20's --test does not expand globs).
// Extra arguments are substrings that select test files, e.g. `npm test -- fits crds`.
// `--node 24` runs them on that Node.js line instead of this one, with the binary scripts/fetch-node.sh caches
// (the second runtime of `npm run check`); the tests then see CALDP_TEST_SECOND_RUNTIME=1.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith(".test.ts")) found.push(path);
  }
  return found;
}

function nodeOfLine(line) {
  const fetched = spawnSync("bash", [join("scripts", "fetch-node.sh"), line], { encoding: "utf8" });
  if (fetched.status !== 0) {
    console.error(`run-tests: cannot get Node.js ${line}: ${fetched.stderr.trim() || `exit ${fetched.status}`}`);
    process.exit(1);
  }
  return fetched.stdout.trim();
}

const args = process.argv.slice(2);
const nodeAt = args.indexOf("--node");
const line = nodeAt >= 0 ? args.splice(nodeAt, 2)[1] : undefined;
if (nodeAt >= 0 && !/^\d+$/.test(line ?? "")) {
  console.error("run-tests: --node needs a major version, e.g. --node 24");
  process.exit(1);
}
const node = line === undefined ? process.execPath : nodeOfLine(line);
// every temporary folder of the run (the tests', their children's, tsx's cache) goes under one folder, removed at the end
// (world-writable and sticky as /tmp: some tests run children as an unprivileged user, and tsx caches there per user)
const runTmp = mkdtempSync(join(tmpdir(), "caldp-tests-"));
chmodSync(runTmp, 0o1777);
const env = { ...process.env, TMPDIR: runTmp, ...(line === undefined ? {} : { CALDP_TEST_SECOND_RUNTIME: "1" }) };

const files = findTests("test").filter((f) => args.length === 0 || args.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error(`no test files match ${args.join(" ")}`);
  rmSync(runTmp, { recursive: true, force: true });
  process.exit(1);
}
if (line !== undefined) {
  const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
  console.log(`# tests on Node.js ${version} (${node})`);
}
const reporter = process.stdout.isTTY ? "spec" : "tap";
const result = spawnSync(
  node,
  ["--import", "tsx", "--test", `--test-reporter=${reporter}`, "--test-concurrency=2", ...files],
  { stdio: "inherit", env },
);
rmSync(runTmp, { recursive: true, force: true });
process.exit(result.status ?? 1);
