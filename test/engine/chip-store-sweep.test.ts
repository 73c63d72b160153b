/**
 * Chip stores left by a run that was SIGKILLed (its `finally` never ran) are removed by the next run in the
 * same folder, one line each; the store of a process still running is never touched.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { removeDeadChipStores } from "../../src/engine/chip-store.js";
import { simulateDataset } from "../../src/sim/index.js";
import { TSX } from "../helpers/cli.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { REPO } from "../helpers/paths.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-chip-sweep-"));
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

/** The id of a process that has exited (and been reaped): no process has it now. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

/** A process that stays alive until the test ends. */
function livePid(): number {
  const child = spawn("sleep", ["120"], { stdio: "ignore" });
  children.push(child);
  return child.pid!;
}

function store(parent: string, pid: number, suffix: string, host = HOST): string {
  const path = join(parent, `.caldp-chips-${host}-${pid}-${suffix}`);
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, "j8cb01a1q_blv_tmp_1.fits"), "pixels");
  return path;
}

const HOST = hostname().replace(/[^A-Za-z0-9.-]/g, "_");
const stores = (parent: string) => readdirSync(parent).filter((n) => n.startsWith(".caldp-chips-"));

test("only the stores of dead processes are removed, one log line each", () => {
  const parent = mkdtempSync(join(dir, "unit-"));
  const [dead, live] = [deadPid(), livePid()];
  const gone = store(parent, dead, "a1b2c3");
  const kept = [store(parent, live, "d4e5f6"), store(parent, process.pid, "g7h8i9"), store(parent, 1, "j0k1l2")];
  kept.push(store(parent, dead, "s9t8u7", `other-${HOST}`)); // another host's: its pid says nothing here
  mkdirSync(join(parent, ".caldp-chips-notapid"));
  mkdirSync(join(parent, ".caldp-chips-0-m3n4o5"));
  const lines: string[] = [];
  assert.deepEqual(
    removeDeadChipStores(parent, (l) => lines.push(l)),
    [gone],
  );
  assert.deepEqual(lines, [`chip store: removed ${gone} (process ${dead} is no longer running)`]);
  assert.ok(!existsSync(gone));
  for (const path of kept) assert.ok(existsSync(join(path, "j8cb01a1q_blv_tmp_1.fits")), path);
  assert.ok(existsSync(join(parent, ".caldp-chips-notapid")) && existsSync(join(parent, ".caldp-chips-0-m3n4o5")));
  assert.deepEqual(
    removeDeadChipStores(join(parent, "no-such-folder"), () => {}),
    [],
  );
});

test("caldp calacs SIGKILLed mid-run leaves its store; the next run removes it and keeps a live one", async () => {
  const sim = simulateDataset({ dataset: "j8cb010b0", out: join(dir, "run"), detector: "HRC", seed: 5 });
  const env = { ...process.env, jref: `${sim.referenceDir}/` };
  const cli = join(REPO, "src", "cli", "caldp.ts");
  const killed = spawn(process.execPath, ["--import", TSX, cli, "calacs", sim.asn!], { env, stdio: "ignore" });
  children.push(killed);
  const exited = new Promise((resolve) => killed.once("exit", resolve));
  const prefix = `.caldp-chips-${HOST}-${killed.pid}-`;
  const deadline = Date.now() + 60_000;
  let left = "";
  while (!left && Date.now() < deadline && killed.exitCode === null) {
    const found = stores(sim.out).find((n) => n.startsWith(prefix));
    if (found && readdirSync(join(sim.out, found)).length > 0) left = join(sim.out, found);
    else await sleep(10);
  }
  assert.ok(left, "the run made its chip store before it ended");
  killed.kill("SIGKILL");
  assert.equal(await exited, null);
  assert.equal(killed.signalCode, "SIGKILL");
  assert.ok(existsSync(left), "a SIGKILLed run cannot remove its store");
  const live = livePid();
  const liveStore = store(sim.out, live, "p6q7r8");

  const r = await runCliAsync("caldp", ["calacs", sim.asn!], { env });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.deepEqual(lines, [
    `chip store: removed ${left} (process ${killed.pid} is no longer running)`,
    "j8cb01a1q_flt.fits",
    "j8cb01a2q_flt.fits",
    "j8cb010b1_crj.fits",
  ]);
  assert.ok(!existsSync(left));
  assert.deepEqual(stores(sim.out), [basename(liveStore)], "the live process's store stays, the run's own is gone");
});
