import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { test } from "node:test";
import { makeTarGz } from "../../src/io/tar.js";
import { DS, folderState, hiddenNames, startProcess, workspace } from "./process-fixture.js";

const read = (path: string) => readFileSync(path, "utf8");

test("a FIFO among the inputs: 21 naming it at once, never opened; nothing else changed", async () => {
  const { dir, input, config } = workspace("fifo");
  execFileSync("mkfifo", [join(input, "j8cb01a9q_raw.fits")]);
  const before = folderState(input);
  const started = Date.now();
  const r = await startProcess([DS, "file:in", "file:out", config], dir).ended;
  assert.equal(r.status, 21, r.stdout.slice(-2000) + r.stderr);
  assert.ok(Date.now() - started < 20_000, "no hang");
  assert.match(r.stderr, /Input .*in\/j8cb01a9q_raw\.fits is a FIFO, not a regular file; refused without reading it/);
  assert.deepEqual(readdirSync(join(dir, "messages")), [`error-${DS}`]);
  assert.deepEqual(folderState(input), before);
  assert.deepEqual(hiddenNames(join(dir, "out")), []);
});

test("a truncated tarball: the one-line error and the fatal report say 'Cannot read tarball <path>' and why", async () => {
  const { dir, config } = workspace("badtar");
  const input = join(dir, "tarred");
  mkdirSync(input);
  const names = readdirSync(join(dir, "in")).filter((n) => n.endsWith(".fits"));
  const staging = join(dir, "staging");
  mkdirSync(staging);
  for (const name of names) renameSync(join(dir, "in", name), join(staging, name));
  const tarball = await makeTarGz(staging, names, join(input, `${DS}.tar.gz`));
  writeFileSync(tarball, readFileSync(tarball).subarray(0, 20_000));
  const before = folderState(input);
  const r = await startProcess([DS, "file:tarred", "file:out", config], dir).ended;
  assert.equal(r.status, 21, r.stdout.slice(-2000) + r.stderr);
  const line = r.stderr.split("\n").find((l) => l.startsWith("caldp-process: process failed: "));
  assert.ok(line, r.stderr);
  assert.match(
    line,
    new RegExp(`InputTarError: Cannot read tarball ${tarball}: .*(unexpected end|TAR_BAD_ARCHIVE|truncated)`, "i"),
  );
  const report = read(join(dir, "process.txt"));
  assert.match(report, new RegExp(`ERROR - get inputs failed: InputTarError: Cannot read tarball ${tarball}`));
  assert.match(report, /ERROR - Caused by:/);
  assert.deepEqual(folderState(input), before);
  assert.equal(basename(tarball), `${DS}.tar.gz`);
});

test("CALDP_HOME holds the scratch folder; a stale one of a dead run is removed; inputs only read on failure", async () => {
  const { dir, input, config } = workspace("home");
  const home = join(dir, "home");
  const stale = join(home, `caldp-scratch-${DS}-${execFileSync("hostname").toString().trim()}-999999`);
  mkdirSync(join(stale, DS), { recursive: true });
  writeFileSync(join(stale, DS, "j8cb01a1q_raw.fits"), "left by a killed run");
  const before = folderState(input);
  const r = await startProcess([DS, "file:in", "file:out", config], dir, {
    CALDP_HOME: home,
    CALDP_KEEP_SCRATCH: "1",
    CALDP_SIMULATE_ERROR: "23",
  }).ended;
  assert.equal(r.status, 23, r.stdout.slice(-2000) + r.stderr);
  assert.match(r.stdout, new RegExp(`WARNING - removed ${stale} \\(left by a killed run\\)`));
  const kept = readdirSync(home);
  assert.equal(kept.length, 1, kept.join(" "));
  assert.match(kept[0], new RegExp(`^caldp-scratch-${DS}-.+-\\d+$`));
  assert.ok(readdirSync(join(home, kept[0], DS)).includes("j8cb01a1q_raw.fits"), "kept for inspection");
  assert.deepEqual(hiddenNames(join(dir, "out")), [], "nothing but the products next to the output");
  assert.deepEqual(folderState(input), before);

  const ok = await startProcess([DS, "file:in", "file:out", config], dir, { CALDP_HOME: home }).ended;
  assert.equal(ok.status, 0, ok.stdout.slice(-2000) + ok.stderr);
  assert.deepEqual(readdirSync(home), [], "the kept scratch of the dead run and this run's are gone");
  assert.deepEqual(folderState(input), before);
});

test("output none (the input folder): only the product folder is added there; the inputs are unchanged", async () => {
  const { dir, input, config } = workspace("none");
  const before = folderState(input);
  const r = await startProcess([DS, "file:in", "none", config], dir).ended;
  assert.equal(r.status, 0, r.stdout.slice(-2000) + r.stderr);
  const after = folderState(input);
  const added = Object.keys(after).filter((p) => !(p in before));
  assert.ok(added.length > 0 && added.every((p) => p.startsWith(`${DS}/`)), added.join(" "));
  for (const [path, state] of Object.entries(before)) assert.equal(after[path], state, path);
  assert.deepEqual(hiddenNames(input), [], "no scratch folder or lock left in the input folder");
  assert.match(read(join(dir, "messages", `processed-${DS}.trigger`)), /j8cb010b0\/j8cb010b1_crj\.fits/);
});
