/**
 * One attempt's child process: caldp-process (or the dry-run stand-in) in its own process group, with the
 * rung's memory limit and the kill time enforced, and an operator cancel honoured.
 *
 * Memory: the rung's limit applies to the resident memory of the whole process group (caldp-process and its
 * step processes), sampled every 200 ms from /proc; over the limit, the group gets SIGKILL, as a container
 * runtime's OOM kill would, and the attempt counts as a memory failure. Node's own heap gets the same ceiling
 * (`--max-old-space-size`), so a heap that outgrows it fails as CALDP_MEMORY_ERROR (32) instead. `prlimit --as`
 * was tried and rejected: V8 reserves far more address space than it uses (WebAssembly alone needs ~10 GiB),
 * so an address-space limit of 2 GiB stops Node from starting at all. A cgroup would be exact but needs root.
 */
import { spawn } from "node:child_process";
import { openSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { AttemptEnd, KillCause } from "./rules.js";

export interface ChildSpec {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  killTimeMs: number;
  memoryLimitMiB: number;
  /** True once an operator asked to cancel this dataset. */
  cancelled: () => Promise<boolean>;
  onStart?: (pgid: number) => void;
}

export interface ChildEnd extends AttemptEnd {
  childMs: number;
  peakGroupRssKb: number;
}

const PAGE_KB = 4;

/** Resident kB of a process and its descendants (/proc/<pid>/task/<pid>/children). */
export function treeRssKb(pid: number): number {
  let total = 0;
  try {
    total = Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]) * PAGE_KB;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      for (const child of children ? children.split(" ") : []) total += treeRssKb(Number(child));
    }
  } catch {
    // the process ended between two reads
  }
  return total;
}

export function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    // already gone
  }
}

export function runChild(spec: ChildSpec): Promise<ChildEnd> {
  const started = performance.now();
  const log = openSync(join(spec.cwd, "batch-child.txt"), "a");
  return new Promise((resolve) => {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ["ignore", log, log],
    });
    let killedFor: KillCause | undefined;
    let peak = 0;
    const stop = (cause: KillCause) => {
      killedFor ??= cause;
      if (child.pid !== undefined) killGroup(child.pid);
    };
    const timers = [
      setTimeout(() => stop("timeout"), spec.killTimeMs),
      setInterval(() => {
        if (child.pid === undefined) return;
        peak = Math.max(peak, treeRssKb(child.pid));
        if (peak > spec.memoryLimitMiB * 1024) stop("memory-limit");
      }, 200),
      setInterval(() => {
        spec.cancelled().then(
          (yes) => yes && stop("cancel"),
          () => undefined,
        );
      }, 500),
    ];
    const finish = (end: AttemptEnd) => {
      for (const t of timers) clearTimeout(t);
      if (child.pid !== undefined) killGroup(child.pid);
      resolve({
        ...end,
        killedFor: end.killedFor ?? killedFor,
        childMs: performance.now() - started,
        peakGroupRssKb: peak,
      });
    };
    child.once("error", (e) => finish({ exitCode: null, signal: null, spawnError: e.message }));
    child.once("spawn", () => child.pid !== undefined && spec.onStart?.(child.pid));
    child.once("exit", (exitCode, signal) => finish({ exitCode, signal }));
  });
}
