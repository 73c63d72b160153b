/** Shared setup of the batch tests: Redis, simulated inputs, worker processes, the batch CLI, waiting. */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { JobRecord } from "../../src/batch/records.js";
import { simulateDataset } from "../../src/sim/index.js";
import { TSX } from "../helpers/cli.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { REPO } from "../helpers/paths.js";
import { hasRedisServer, RedisServer } from "../helpers/redis.js";
import { skipUnlessInstalled } from "../helpers/skip.js";

export const BATCH_MAIN = join(REPO, "src", "cli", "caldp-batch.ts");

const workspaces: string[] = [];

/** Removes the folders batchWorkspace made (after the test file's workers have stopped). */
export function removeWorkspaces(): void {
  for (const dir of workspaces.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A batch folder: simulated HRC single exposures in in/<ds>/, a config on their CRDS cache, out/. */
export function batchWorkspace(datasets: string[]): { dir: string; input: string; output: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), "caldp-batch-test-"));
  workspaces.push(dir);
  let crds = "";
  for (const ds of datasets) {
    const sim = simulateDataset({ dataset: ds, out: join(dir, "in", ds), detector: "HRC", seed: 3 });
    crds ||= sim.crds.root;
  }
  mkdirSync(join(dir, "in"), { recursive: true });
  const config = join(dir, "sim.cfg");
  writeFileSync(config, `CRDS_PATH=${crds}\nCRDS_READONLY_CACHE=1\n`);
  return { dir, input: `file:${join(dir, "in")}/{dataset}`, output: `file:${join(dir, "out")}`, config };
}

/** `caldp batch <args>` as a subprocess. */
export function batchCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return runCliAsync("caldp-batch", ["batch", ...args], { env });
}

export interface WorkerProcess {
  child: ChildProcess;
  log: () => string;
  stop(): Promise<void>;
}

/** A worker process with short leases and locks, so that takeovers happen within seconds. */
export function startWorker(
  redis: string,
  output: string,
  rung: string,
  extra: string[] = [],
  env: NodeJS.ProcessEnv = {},
): WorkerProcess {
  const args = ["--import", TSX, BATCH_MAIN, "batch", "worker", "--rung", rung, "--redis", redis, "--output", output];
  args.push("--lease-seconds", "3", "--lock-seconds", "2", "--reconcile-seconds", "1", ...extra);
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  let text = "";
  child.stdout?.on("data", (d) => {
    text += d;
  });
  child.stderr?.on("data", (d) => {
    text += d;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    log: () => text,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await Promise.race([exited, sleep(10000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

export function readRecordFile(output: string, ds: string): JobRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(output.slice("file:".length), "control", ds, "job.json"), "utf8"));
  } catch {
    return undefined;
  }
}

export function messagesOf(output: string, ds: string): string[] {
  try {
    return readdirSync(join(output.slice("file:".length), "messages")).filter((m) =>
      m.replace(/\.trigger$/, "").endsWith(`-${ds}`),
    );
  } catch {
    return [];
  }
}

/** Whether a process group still has a member. */
export function alive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 60000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** The running attempt's process group, once the worker has started the child. */
export function runningGroup(output: string, ds: string, what = `${ds}'s child to start`): Promise<number> {
  return waitFor(what, () => readRecordFile(output, ds)?.attempts.at(-1)?.pgid, 30_000);
}

/** Sends `signal` to the worker; its exit status and how long it took, failing if it outlives `boundMs` + 5 s. */
export async function signalAndTime(worker: WorkerProcess, signal: NodeJS.Signals, boundMs: number) {
  const t0 = performance.now();
  const exited = new Promise<number | null>((resolve) => worker.child.once("exit", (code) => resolve(code)));
  worker.child.kill(signal);
  const code = await Promise.race([exited, sleep(boundMs + 5000).then(() => "alive" as const)]);
  const ms = performance.now() - t0;
  if (code === "alive") throw new Error(`the worker ignored ${signal} (${ms.toFixed(0)} ms):\n${worker.log()}`);
  return { code, ms };
}

/** The final message of a record's state, `processed-<ds>.trigger`, `error-<ds>`, `terminated-<ds>`. */
export const finalMessage = (r: JobRecord) => `${r.state}-${r.dataset}${r.state === "processed" ? ".trigger" : ""}`;

/** Waits until every dataset's record is processed, error or terminated, and its message written (it follows). */
export function waitForEnd(output: string, datasets: string[], timeoutMs = 90000): Promise<JobRecord[]> {
  return waitFor(
    `${datasets.join(" ")} to end`,
    () => {
      const records = datasets.map((ds) => readRecordFile(output, ds));
      const ended = records.every(
        (r) =>
          r &&
          ["processed", "error", "terminated"].includes(r.state) &&
          messagesOf(output, r.dataset).includes(finalMessage(r)),
      );
      return ended ? (records as JobRecord[]) : undefined;
    },
    timeoutMs,
  );
}

export interface BatchFixture {
  /** Why the file's tests are skipped (redis-server missing outside CI), or false. */
  skip: string | false;
  /** The Redis server of the test file (set once `before` ran). */
  redis: RedisServer;
  /** Worker processes to stop at the end. */
  workers: WorkerProcess[];
}

/** One Redis for the test file, started before its tests and stopped (with the workers) after them. */
export function useRedis(): BatchFixture {
  const fixture = {
    skip: skipUnlessInstalled(hasRedisServer(), "redis-server"),
    workers: [],
  } as unknown as BatchFixture;
  before(async () => {
    if (!fixture.skip) fixture.redis = await RedisServer.start();
  });
  after(async () => {
    await Promise.all(fixture.workers.map((w) => w.stop()));
    await fixture.redis?.stop();
    removeWorkspaces();
  });
  return fixture;
}
