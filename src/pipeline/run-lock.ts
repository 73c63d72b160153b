/**
 * The per-dataset lock of a caldp-process run in its output location: `<output>/.<ds>.caldp-lock`, created
 * with O_EXCL and holding the host, pid and start time of the run that owns the dataset's outputs. A second
 * run is refused while the owner lives; a lock whose pid is dead on this host (a run killed by SIGKILL) is
 * taken over with a warning. A lock from another host cannot be checked and is never taken over.
 */
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { CmdlineError } from "./errors.js";

export interface LockOwner {
  host: string;
  pid: number;
  started: string;
}

/** This host's name in locks and scratch folders: CALDP_HOST, else the hostname (as `caldp batch` does). */
export const hostId = (env: NodeJS.ProcessEnv = process.env) => env.CALDP_HOST || hostname();

/** Whether `pid` runs on this host; a zombie (killed, not yet reaped by an init that may never do so) does not. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return !existsSync("/proc/self/stat"); // gone meanwhile, or no /proc to ask (then trust kill())
  }
}

export const lockPath = (outputRoot: string, dataset: string) => join(outputRoot, `.${dataset}.caldp-lock`);

function readOwner(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, "utf8")) as LockOwner;
    return typeof owner.pid === "number" && typeof owner.host === "string" ? owner : undefined;
  } catch {
    return undefined;
  }
}

export class RunLock {
  private constructor(
    readonly path: string,
    readonly owner: LockOwner,
  ) {}

  /**
   * Takes the lock or throws a CmdlineError (2) naming the lock file and its owner. `onTakeover` is told
   * about a stale lock that was removed. File-system failures (the folder is missing or read-only) are
   * thrown as they are, for the caller to report as an output-location failure.
   */
  static acquire(path: string, env: NodeJS.ProcessEnv, onTakeover: (stale: string) => void): RunLock {
    const owner: LockOwner = { host: hostId(env), pid: process.pid, started: new Date().toISOString() };
    for (let attempt = 0; ; attempt++) {
      try {
        const fd = openSync(path, "wx", 0o644);
        try {
          writeSync(fd, `${JSON.stringify(owner)}\n`);
        } finally {
          closeSync(fd);
        }
        return new RunLock(path, owner);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw e;
      }
      const held = readOwner(path);
      if (held && (held.host !== owner.host || isAlive(held.pid))) {
        throw new CmdlineError(
          `dataset is being processed by another run: ${path} is held by pid ${held.pid} on ${held.host} since ${held.started}`,
          { hint: "wait for that run to end; remove the lock file only if that process is certainly gone" },
        );
      }
      const what = held ? `pid ${held.pid} on ${held.host} since ${held.started}, no longer running` : "unreadable";
      onTakeover(`taking over the stale lock ${path} (${what})`);
      rmSync(path, { force: true });
    }
  }

  /** Removes the lock if it is still this run's. */
  release(): void {
    const held = readOwner(this.path);
    if (held && held.pid === this.owner.pid && held.host === this.owner.host) rmSync(this.path, { force: true });
  }
}
