/**
 * The per-dataset lock of a caldp-process run in its output location: `<output>/.<ds>.caldp-lock`, created
 * with O_EXCL and holding the host, pid and start time of the run that owns the dataset's outputs. A second
 * run is refused while the owner lives and refreshes it; a lock whose pid is dead on this host (a run killed by
 * SIGKILL) is taken over with a warning; so is one that its owner stopped refreshing (see staleAfterMs): of
 * another host, or of this host whose pid now belongs to another process.
 */
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { CmdlineError } from "../core/errors.js";

export interface LockOwner {
  host: string;
  pid: number;
  started: string;
}

/** This host's name in locks, scratch folders and batch leases: CALDP_HOST, else the hostname (two containers may share one). */
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

/**
 * A lock of another host cannot be checked by pid: its owner refreshes its mtime every few seconds, and one
 * not refreshed for CALDP_LOCK_STALE_SECONDS (default 10, under `caldp batch`'s 15 s lease, so that a dataset
 * taken over from a dead worker's host is not refused) belongs to a run that is gone.
 */
function staleAfterMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.CALDP_LOCK_STALE_SECONDS);
  return env.CALDP_LOCK_STALE_SECONDS && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 10_000;
}

function ageMs(path: string): number {
  try {
    // never negative: a file's mtime can be a few ms ahead of Date.now() (it read "refreshed -0.0 s ago")
    return Math.max(0, Date.now() - statSync(path).mtimeMs);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Why the lock at `path` still stands, or undefined if it is stale. */
function standing(path: string, held: LockOwner | undefined, host: string, staleMs: number): string | undefined {
  const age = ageMs(path);
  if (!held) return age < 2000 ? "being created" : undefined;
  const who = `held by pid ${held.pid} on ${held.host} since ${held.started}`;
  // on this host a dead pid frees the lock at once; a live one must also be refreshing it, or the pid was
  // reused by another process (after a reboot or a container restart) and the lock would never be freed
  if (held.host === host && !isAlive(held.pid)) return undefined;
  return age < staleMs ? `${who}, refreshed ${(age / 1000).toFixed(1)} s ago` : undefined;
}

export class RunLock {
  private readonly heartbeat: NodeJS.Timeout;

  private constructor(
    readonly path: string,
    readonly owner: LockOwner,
    refreshMs: number,
  ) {
    this.heartbeat = setInterval(() => this.refresh(), refreshMs);
    this.heartbeat.unref();
  }

  /**
   * Takes the lock or throws a CmdlineError (2) naming the lock file and its owner. `onTakeover` is told
   * about a stale lock that was removed. File-system failures (the folder is missing or read-only) are
   * thrown as they are, for the caller to report as an output-location failure.
   */
  static acquire(path: string, env: NodeJS.ProcessEnv, onTakeover: (stale: string) => void): RunLock {
    const owner: LockOwner = { host: hostId(env), pid: process.pid, started: new Date().toISOString() };
    const staleMs = staleAfterMs(env);
    for (let attempt = 0; ; attempt++) {
      try {
        const fd = openSync(path, "wx", 0o644);
        try {
          writeSync(fd, `${JSON.stringify(owner)}\n`);
        } finally {
          closeSync(fd);
        }
        return new RunLock(path, owner, Math.min(2000, staleMs / 3));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw e;
      }
      const held = readOwner(path);
      const reason = standing(path, held, owner.host, staleMs);
      if (reason) {
        throw new CmdlineError(`dataset is being processed by another run: ${path} is ${reason}`, {
          hint: "wait for that run to end; remove the lock file only if that process is certainly gone",
        });
      }
      const age = `${(ageMs(path) / 1000).toFixed(0)} s`;
      const what = !held
        ? "unreadable"
        : held.host === owner.host && !isAlive(held.pid)
          ? `pid ${held.pid} on ${held.host} since ${held.started}, no longer running`
          : `pid ${held.pid} on ${held.host} since ${held.started}, not refreshed for ${age}`;
      onTakeover(`taking over the stale lock ${path} (${what})`);
      rmSync(path, { force: true });
    }
  }

  private isOurs(): boolean {
    const held = readOwner(this.path);
    return held !== undefined && held.pid === this.owner.pid && held.host === this.owner.host;
  }

  private refresh(): void {
    try {
      if (this.isOurs()) utimesSync(this.path, new Date(), new Date());
    } catch {
      // the output folder went away: the run will fail on its own
    }
  }

  /** Stops refreshing and removes the lock if it is still this run's. */
  release(): void {
    clearInterval(this.heartbeat);
    if (this.isOurs()) rmSync(this.path, { force: true });
  }
}
