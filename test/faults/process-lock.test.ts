import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CaldpError } from "../../src/core/errors.js";
import { hostId, isAlive, lockPath, RunLock } from "../../src/pipeline/run-lock.js";
import { createScratch, removeStaleScratch } from "../../src/pipeline/scratch.js";

const env = { CALDP_HOST: "test-host" };
/** The pid of a process that has ended and been reaped. */
const deadPid = () => spawnSync("/bin/true").pid!;

test("the lock holds host, pid and start; a live owner is refused with 2 naming the file and the owner", () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-lock-"));
  const path = lockPath(dir, "j8cb010b0");
  assert.equal(path, join(dir, ".j8cb010b0.caldp-lock"));
  const lock = RunLock.acquire(path, env, assert.fail);
  const owner = JSON.parse(readFileSync(path, "utf8"));
  assert.equal(owner.host, "test-host");
  assert.equal(owner.pid, process.pid);
  assert.ok(Math.abs(Date.parse(owner.started) - Date.now()) < 60_000);
  assert.throws(
    () => RunLock.acquire(path, env, assert.fail),
    (e) =>
      e instanceof CaldpError &&
      e.code === 2 &&
      e.message.includes(path) &&
      e.message.includes(`pid ${process.pid} on test-host`),
  );
  lock.release();
  assert.ok(!existsSync(path));
});

test("a stale lock (dead pid, unreadable) is taken over with a warning; release leaves another run's lock", () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-lock-"));
  const path = lockPath(dir, "j8cb010b0");
  const dead = deadPid();
  writeFileSync(path, JSON.stringify({ host: "test-host", pid: dead, started: "2026-12-01T00:00:00Z" }));
  const warnings: string[] = [];
  const lock = RunLock.acquire(path, env, (w) => warnings.push(w));
  assert.deepEqual(warnings, [
    `taking over the stale lock ${path} (pid ${dead} on test-host since 2026-12-01T00:00:00Z, no longer running)`,
  ]);
  lock.release();
  writeFileSync(path, "");
  assert.throws(() => RunLock.acquire(path, env, assert.fail), /is being created/, "another run is writing it");
  utimesSync(path, new Date(Date.now() - 10_000), new Date(Date.now() - 10_000));
  RunLock.acquire(path, env, (w) => warnings.push(w)).release();
  assert.match(warnings[1], /\(unreadable\)$/);
  writeFileSync(path, JSON.stringify({ host: "test-host", pid: 1, started: "x" }));
  lock.release();
  assert.ok(existsSync(path), "a lock that is no longer ours is left alone");
});

test("this host's lock whose pid now belongs to another process (not refreshing it) is taken over", () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-lock-"));
  const path = lockPath(dir, "j8cb010b0");
  // pid 1 is alive but is not a caldp-process run: after a reboot or container restart a lock can name it
  writeFileSync(path, JSON.stringify({ host: "test-host", pid: 1, started: "2026-12-01T00:00:00Z" }));
  assert.throws(() => RunLock.acquire(path, env, assert.fail), /refreshed 0\.\d s ago/, "a fresh lock stands");
  utimesSync(path, new Date(Date.now() - 11_000), new Date(Date.now() - 11_000));
  const warnings: string[] = [];
  RunLock.acquire(path, env, (w) => warnings.push(w)).release();
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /pid 1 on test-host since 2026-12-01T00:00:00Z, not refreshed for 1\d s\)$/);
});

test("another host's lock stands while its owner refreshes it, and is taken over once it stops", async () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-lock-"));
  const path = lockPath(dir, "j8cb010b0");
  const fast = { ...env, CALDP_LOCK_STALE_SECONDS: "1.5" };
  const theirs = RunLock.acquire(path, { ...fast, CALDP_HOST: "host-a" }, assert.fail);
  const written = statSync(path).mtimeMs;
  await new Promise((r) => setTimeout(r, 2000));
  assert.ok(statSync(path).mtimeMs > written, "the owner refreshes the lock (every 0.5 s here)");
  assert.throws(
    () => RunLock.acquire(path, fast, assert.fail),
    /is held by pid \d+ on host-a since .*, refreshed \d\.\d s ago/,
  );
  // host-a's run is gone (here: it stops refreshing); 1.5 s later the lock is stale
  clearInterval((theirs as unknown as { heartbeat: NodeJS.Timeout }).heartbeat);
  await new Promise((r) => setTimeout(r, 1700));
  const warnings: string[] = [];
  const ours = RunLock.acquire(path, fast, (w) => warnings.push(w));
  assert.match(warnings[0], /taking over the stale lock .* \(pid \d+ on host-a since .*, not refreshed for \d+ s\)/);
  assert.equal(JSON.parse(readFileSync(path, "utf8")).host, "test-host");
  theirs.release();
  assert.ok(existsSync(path), "host-a's release leaves our lock");
  ours.release();
});

test("a zombie (killed, never reaped) is not alive", async () => {
  // `sleep 0` becomes a zombie: its parent exec'd into a sleep that never waits for it
  const sh = spawn("/bin/sh", ["-c", "sleep 0 & echo $!; exec sleep 3"], { stdio: ["ignore", "pipe", "ignore"] });
  const pid = Number(await new Promise<string>((resolve) => sh.stdout.once("data", (d) => resolve(String(d)))));
  const until = Date.now() + 3000;
  const state = () => readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1][0];
  while (state() !== "Z" && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  assert.equal(state(), "Z");
  assert.equal(isAlive(pid), false);
  assert.equal(isAlive(process.pid), true);
  sh.kill("SIGKILL");
});

test("stale scratch folders: only those of this dataset whose run is dead on this host are removed", () => {
  const root = mkdtempSync(join(tmpdir(), "caldp-scratch-"));
  const host = hostId(env);
  const dead = deadPid();
  const names = [
    `.caldp-scratch-j8cb010b0-${host}-${dead}`,
    `.caldp-scratch-j8cb010b0-${host}-${process.pid}`,
    `.caldp-scratch-j8cb010b0-other-host-${dead}`,
    `.caldp-scratch-j8cb010b1-${host}-${dead}`,
  ];
  for (const name of names) mkdirSync(join(root, name, "j8cb010b0"), { recursive: true });
  assert.deepEqual(removeStaleScratch(root, env, "j8cb010b0"), [join(root, names[0])]);
  assert.deepEqual(readdirSync(root).sort(), names.slice(1).sort());
  const mine = createScratch(root, env, "j8cb010b0");
  assert.equal(mine, join(root, names[1]));
  assert.deepEqual(readdirSync(mine), [], "this run's name is emptied");
  const home = mkdtempSync(join(tmpdir(), "caldp-home-"));
  assert.equal(
    createScratch(home, { ...env, CALDP_HOME: home }, "j8cb010b0"),
    join(home, `caldp-scratch-j8cb010b0-${host}-${process.pid}`),
  );
});
