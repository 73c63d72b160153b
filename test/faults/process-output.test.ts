import assert from "node:assert/strict";
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { DS, folderState, hiddenNames, standIns, startProcess, waitForText, workspace } from "./process-fixture.js";

const read = (path: string) => readFileSync(path, "utf8");
const messagesIn = (dir: string) => readdirSync(join(dir, "messages")).sort();

test("a second run of a dataset while the first runs: refused with 2 naming the lock; the first run unharmed", async () => {
  const { dir, input, config } = workspace("lock", "CALDP_ENGINE=hstcal\n");
  // a stand-in calacs.e that waits for the test's go-ahead, so that the first run is certainly in progress
  const path = standIns(dir, {
    "calacs.e": `echo started > ${dir}/calacs.started\nwhile [ ! -e ${dir}/go ]; do sleep 0.05; done`,
    runastrodriz: "exit 0",
  });
  const before = folderState(input);
  const first = startProcess([DS, "file:in", "file:out", config], dir, { PATH: path });
  await waitForText(join(dir, "calacs.started"), /started/);
  const firstLog = read(join(dir, "process.txt"));
  const second = await startProcess([DS, "file:in", "file:out", config], dir, { PATH: path }).ended;
  assert.equal(second.status, 2, second.stdout + second.stderr);
  const lines = second.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 2, second.stderr);
  assert.match(
    lines[0],
    new RegExp(
      `dataset is being processed by another run: .*out/\\.${DS}\\.caldp-lock is held by pid ${first.pid} on `,
    ),
  );
  assert.equal(lines[1], "EXIT - CMDLINE_ERROR[2]: The program command line invocation was incorrect.");
  assert.deepEqual(messagesIn(dir), [`processing-${DS}`], "the first run's message untouched");
  assert.equal(read(join(dir, "process.txt")), firstLog, "the first run's log untouched");
  writeFileSync(join(dir, "go"), "");
  const ended = await first.ended;
  assert.equal(ended.status, 0, ended.stdout.slice(-2000) + ended.stderr);
  assert.deepEqual(messagesIn(dir), [`processed-${DS}.trigger`]);
  assert.deepEqual(hiddenNames(join(dir, "out")), []);
  assert.deepEqual(folderState(input), before);
});

test("a lock of another host, freshly refreshed, is not taken over (its pid cannot be checked here)", async () => {
  const { dir, config } = workspace("lock-host");
  mkdirSync(join(dir, "out"));
  const lock = join(dir, "out", `.${DS}.caldp-lock`);
  writeFileSync(lock, JSON.stringify({ host: `not-${hostname()}`, pid: 1, started: "2026-01-01T00:00:00Z" }));
  const r = await startProcess([DS, "file:in", "file:out", config], dir).ended;
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, new RegExp(`held by pid 1 on not-${hostname()} since 2026-01-01T00:00:00Z`));
  assert.ok(read(lock).includes("not-"), "the lock is left to its owner");
});

test("the trigger lists exactly this run's products; stale ones are named in the log; failed then ok leaves one message", async () => {
  const { dir, input, config } = workspace("trigger");
  const product = join(dir, "out", DS);
  mkdirSync(join(product, "previews"), { recursive: true });
  writeFileSync(join(product, "j8cb01zzq_flt.fits"), "stale product of another run");
  writeFileSync(join(product, "previews", "j8cb01zzq_flt.jpg"), "stale preview");
  writeFileSync(join(product, `.j8cb01a1q_flt.fits.999-abc.tmp`), "partial copy of a killed run");
  const before = folderState(input);

  const failed = await startProcess([DS, "file:in", "file:out", config], dir, { CALDP_SIMULATE_ERROR: "23" }).ended;
  assert.equal(failed.status, 23, failed.stdout.slice(-1000));
  assert.deepEqual(messagesIn(dir), [`error-${DS}`]);
  assert.match(failed.stdout, /WARNING - removed .*\.j8cb01a1q_flt\.fits\.999-abc\.tmp \(left by a killed run\)/);
  assert.ok(!read(join(dir, "messages", `error-${DS}`)).includes("j8cb01zzq"), "no stale product in the message");

  const ok = await startProcess([DS, "file:in", "file:out", config], dir).ended;
  assert.equal(ok.status, 0, ok.stdout.slice(-2000) + ok.stderr);
  assert.deepEqual(messagesIn(dir), [`processed-${DS}.trigger`], "the earlier error- is gone");
  const listed = read(join(dir, "messages", `processed-${DS}.trigger`))
    .trimEnd()
    .split("\n");
  assert.equal(listed[0], `processed-${DS}.trigger`);
  assert.ok(!listed.some((l) => l.includes("j8cb01zzq")), listed.join("\n"));
  assert.match(ok.stdout, /Not written by this run, not listed in the message: j8cb010b0\/j8cb01zzq_flt\.fits/);
  const finals = (readdirSync(product, { recursive: true }) as string[])
    .filter((p) => /\.(fits|tra|jpg)$/.test(p) && !p.includes("zzq"))
    .map((p) => `${DS}/${p}`)
    .sort();
  assert.deepEqual(listed.slice(1).sort(), finals, "every product of this run is listed");
  assert.deepEqual(hiddenNames(join(dir, "out")), []);
  assert.deepEqual(folderState(input), before);
});

test("an output path that is a file, or under one: 2 with one line naming the path, an error- message", async () => {
  const { dir, input, config } = workspace("outfile");
  writeFileSync(join(dir, "out"), "a file, not a folder");
  const before = folderState(input);
  for (const output of ["file:out", "file:out/deeper"]) {
    const r = await startProcess([DS, "file:in", output, config], dir).ended;
    assert.equal(r.status, 2, r.stdout + r.stderr);
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 2, r.stderr);
    assert.match(
      lines[0],
      new RegExp(`^caldp-process: OutputLocationError: output folder ${dir}/out.* cannot be used: `),
    );
    assert.match(lines[0], /ENOTDIR|EEXIST|not a directory/);
    assert.deepEqual(messagesIn(dir), [`error-${DS}`]);
    assert.match(read(join(dir, "messages", `error-${DS}`)), /cannot be used/);
  }
  // the product folder's name taken by a file
  mkdirSync(join(dir, "out2"));
  writeFileSync(join(dir, "out2", DS), "");
  const r = await startProcess([DS, "file:in", "file:out2", config], dir).ended;
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, new RegExp(`product folder ${dir}/out2/${DS} cannot be used: .*is not a directory`));
  assert.deepEqual(folderState(input), before);
});

test("an output folder that cannot be written: 2 naming it, an error- message in the working folder", async () => {
  const { dir, input, config } = workspace("outro");
  let output: string;
  if (process.getuid?.() === 0) {
    output = "/sys/fs"; // root writes through permissions, not into sysfs
  } else {
    output = join(dir, "readonly");
    mkdirSync(output);
    chmodSync(output, 0o555);
  }
  const before = folderState(input);
  const r = await startProcess([DS, "file:in", `file:${output}`, config], dir).ended;
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, new RegExp(`^caldp-process: OutputLocationError: output folder ${output} cannot be used: `));
  assert.match(r.stderr, /EACCES|EPERM|EROFS|ENOENT/);
  assert.deepEqual(messagesIn(dir), [`error-${DS}`]);
  assert.deepEqual(folderState(input), before);
});

test("the product folder replaced by a file during the run: 25 naming it, error- message, no processing- left", async () => {
  const { dir, input, config } = workspace("outgone");
  const before = folderState(input);
  const run = startProcess([DS, "file:in", "file:out", config], dir);
  await waitForText(join(dir, "process.txt"), /bestrefs completed/);
  rmSync(join(dir, "out", DS), { recursive: true, force: true });
  writeFileSync(join(dir, "out", DS), "not a folder any more");
  const r = await run.ended;
  assert.equal(r.status, 25, r.stdout.slice(-2000) + r.stderr);
  assert.match(
    r.stderr,
    new RegExp(
      `process failed: S3UploadError: save outputs failed: Error: EEXIST: file already exists, mkdir '${dir}/out/${DS}'`,
    ),
  );
  assert.deepEqual(messagesIn(dir), [`error-${DS}`]);
  assert.match(read(join(dir, "messages", `error-${DS}`)), new RegExp(`${dir}/out/${DS}`));
  assert.deepEqual(hiddenNames(join(dir, "out")), [], "scratch and lock removed");
  assert.deepEqual(folderState(input), before);
});
