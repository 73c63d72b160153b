/**
 * Runs caldp-process's steps as child processes, each the leader of its own process group, measured into
 * `time --verbose` metrics. A termination signal received by caldp-process is forwarded to the running
 * step's group, which gets `CALDP_KILL_GRACE_SECONDS` (default 10) to end before SIGKILL. Each step holds a
 * pipe from caldp-process on its stdin and kills its group when the pipe closes, so a caldp-process killed by
 * SIGKILL takes its steps and their programs with it. Whatever is left of a group when its leader ends is
 * killed too: no child outlives its step.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GenericError } from "../core/errors.js";
import { EXIT_CODES, explainSignal } from "../core/exit-codes.js";
import { signalNumber } from "../core/signals.js";
import { writeMetricsFile } from "./metrics.js";
import { ResourceMeter } from "./resource-meter.js";

export type StepName = "process" | "preview" | "messages";

export interface StepResult {
  status: number;
  /** The last lines the child wrote to stderr (for memory-failure detection). */
  stderrTail: string;
}

/** The hidden entry point that runs one step in its own process (same extension as this module: .ts or .js). */
function stepEntry(): string {
  const here = fileURLToPath(import.meta.url);
  return join(here, "..", "..", "cli", `caldp-step${here.endsWith(".ts") ? ".ts" : ".js"}`);
}

export function killGraceMs(env: NodeJS.ProcessEnv): number {
  const raw = env.CALDP_KILL_GRACE_SECONDS?.trim();
  if (!raw) return 10_000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new GenericError(`CALDP_KILL_GRACE_SECONDS must be a number of seconds ≥ 0, got '${raw}'`);
  }
  return seconds * 1000;
}

/** Signals a whole process group; a group that is gone is not an error. */
export function killGroup(pgid: number, signal: NodeJS.Signals = "SIGKILL"): void {
  // -0 or -1 would signal our own group or every process we may signal: never
  if (!Number.isInteger(pgid) || pgid <= 1) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is gone
  }
}

/** Resolves when no process of the group is left, or at `deadline` (ms since the epoch). */
async function groupGone(pgid: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A step killed by SIGKILL is taken as a memory kill (33); a V8 heap exhaustion is CALDP_MEMORY_ERROR (32). */
function statusForChild(status: number, signum: number | undefined, stderrTail: string): number {
  if (/JavaScript heap out of memory|Allocation failed/.test(stderrTail)) return EXIT_CODES.CALDP_MEMORY_ERROR;
  if (signum === undefined) return status;
  process.stdout.write(`${explainSignal(signum)}\n`);
  return signum === 9 ? EXIT_CODES.CONTAINER_MEMORY_ERROR : EXIT_CODES.GENERIC_ERROR;
}

/** The signals that stop a run: forwarded to the running step, then the run ends as 128 + n. */
export const STOP_SIGNALS = ["SIGTERM", "SIGINT", "SIGHUP"] as const;

export class StepRunner {
  /** The first termination signal caldp-process received, if any. */
  stopSignal: NodeJS.Signals | undefined;
  private running: ChildProcess | undefined;
  private graceTimer: NodeJS.Timeout | undefined;
  private graceDeadline = 0;
  private readonly handler = (signal: NodeJS.Signals) => this.stop(signal);

  constructor(private readonly graceMs: number) {}

  /** Handles SIGTERM, SIGINT and SIGHUP from now on (until `release`). */
  listen(): void {
    for (const s of STOP_SIGNALS) process.on(s, this.handler);
  }

  release(): void {
    for (const s of STOP_SIGNALS) process.off(s, this.handler);
    clearTimeout(this.graceTimer);
  }

  /** Forwards `signal` to the running step's group and arms the SIGKILL after the grace time. */
  stop(signal: NodeJS.Signals): void {
    this.stopSignal ??= signal;
    process.stdout.write(`caldp-process: received ${signal}; stopping the run\n`);
    const pid = this.running?.pid;
    if (pid === undefined) return;
    killGroup(pid, signal);
    if (this.graceTimer) return;
    this.graceDeadline = Date.now() + this.graceMs;
    this.graceTimer = setTimeout(() => killGroup(pid, "SIGKILL"), this.graceMs);
  }

  /** Runs one step as a child process, measured into `metricsFile` when given. */
  async run(step: StepName, args: string[], cwd: string, env: NodeJS.ProcessEnv, metricsFile?: string) {
    const command = [process.execPath, ...process.execArgv, stepEntry(), step, ...args];
    const meter = new ResourceMeter(`caldp ${step} ${args.join(" ")}`);
    const child = spawn(command[0], command.slice(1), { cwd, env, detached: true, stdio: ["pipe", "inherit", "pipe"] });
    this.running = child;
    meter.watch(child);
    let tail = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      process.stderr.write(chunk);
      tail = (tail + chunk.toString("utf8")).slice(-8192);
    });
    child.stdin?.on("error", () => undefined);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (c, s) => resolve([c, s]));
    }).finally(async () => {
      this.running = undefined;
      // after a stop, programs of the group that outlive the step get the rest of the grace time
      if (this.graceTimer && child.pid !== undefined) await groupGone(child.pid, this.graceDeadline);
      clearTimeout(this.graceTimer);
      this.graceTimer = undefined;
      if (child.pid !== undefined) killGroup(child.pid, "SIGKILL");
      child.stdin?.destroy();
    });
    const signum = signal === null ? undefined : signalNumber(signal);
    const status = code ?? 128 + (signum ?? 0);
    if (metricsFile) writeMetricsFile(metricsFile, meter.finish({ exitStatus: status, signal: signum }));
    return { status: statusForChild(status, signum, tail), stderrTail: tail } satisfies StepResult;
  }
}
