// scripts/run-tests.mjs --node <line>: the suite's second runtime (npm run test:node24) really runs the tests on
// that Node.js line, fetched by scripts/fetch-node.sh into the cache outside the repository.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { REPO } from "../helpers/paths.js";

function runTests(...args: string[]) {
  // without NODE_TEST_CONTEXT, which would make the inner runner report to this one instead of printing
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  return spawnSync(process.execPath, ["scripts/run-tests.mjs", ...args], {
    cwd: REPO,
    encoding: "utf8",
    timeout: 180_000,
    env: { ...env, CALDP_TEST_SECOND_RUNTIME: "" },
  });
}

test("--node 24 runs the selected test files on Node.js 24, from the cache outside the repository", () => {
  const r = runTests("--node", "24", "test/architecture/layers");
  assert.equal(r.status, 0, r.stdout.slice(-2000) + r.stderr);
  const [first] = r.stdout.split("\n");
  const match = /^# tests on Node\.js (v24\.\d+\.\d+) \((.+)\)$/.exec(first);
  assert.ok(match, first);
  assert.ok(!match[2].startsWith(REPO), `${match[2]} is outside the repository`);
  assert.equal(spawnSync(match[2], ["--version"], { encoding: "utf8" }).stdout.trim(), match[1]);
  assert.match(r.stdout, /^# pass [1-9]\d*$/m);
  assert.match(r.stdout, /^# fail 0$/m);
});

test("--node without a major version, or a filter matching nothing, fails naming the problem", () => {
  const bad = runTests("--node", "lts");
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, "run-tests: --node needs a major version, e.g. --node 24\n");
  const none = runTests("no-such-test-file");
  assert.equal(none.status, 1);
  assert.equal(none.stderr, "no test files match no-such-test-file\n");
});
