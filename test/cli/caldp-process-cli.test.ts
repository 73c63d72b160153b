import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../helpers/cli.js";
import { REPO } from "../helpers/paths.js";

const version = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).version;

test("caldp-process --help and -h print the positional forms and the configs, exit 0, and touch nothing", () => {
  const cwd = mkdtempSync(join(tmpdir(), "caldp-process-help-"));
  for (const flag of ["--help", "-h"]) {
    const result = runCli("caldp-process", [flag], { cwd });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^usage: caldp-process <dataset> \[input\] \[output\] \[config\]$/m);
    for (const config of ["caldp-config-onsite", "caldp-config-offsite", "caldp-config-aws"])
      assert.ok(result.stdout.includes(config), `${flag}: ${config}`);
    assert.equal(result.stderr, "");
  }
  assert.deepEqual(readdirSync(cwd), [], "no messages/, logs or lock written");
});

test("caldp-process --version prints the package version", () => {
  const result = runCli("caldp-process", ["--version"]);
  assert.equal(result.status, 0);
  assert.equal(result.stdout, `${version}\n`);
});

test("caldp-process: an unknown option exits 2 naming it; a bad dataset name is still 2", () => {
  const cwd = mkdtempSync(join(tmpdir(), "caldp-process-opt-"));
  const option = runCli("caldp-process", ["j8cb010b0", "--verbose"], { cwd });
  assert.equal(option.status, 2);
  assert.equal(option.stderr, "caldp-process: unknown option '--verbose' (see caldp-process --help)\n");
  assert.deepEqual(readdirSync(cwd), []);
  const none = runCli("caldp-process", [], { cwd });
  assert.equal(none.status, 2);
  assert.match(none.stderr, /^usage: caldp-process/);
});

test("caldp process --help shows the same arguments", () => {
  const result = runCli("caldp", ["process", "--help"]);
  assert.equal(result.status, 0);
  assert.match(result.stdout, /<dataset> \[input\] \[output\] \[config\]/);
});
