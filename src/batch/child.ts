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
 *
 * Orphans: the group is detached from the worker, so a worker that dies (SIGKILL, a crash) would leave its child
 * running, and on another host nobody can kill it. A small sh guard leads the group instead: it runs the
 * command, waits for it and exits with its status (re-raising the signal that killed it), while a watcher
 * reads the pipe the worker holds open on its stdin; when the worker dies the pipe closes and the watcher
 * kills the whole group.
 *
 * Shutdown: when the worker stops (`stop` aborted), the group gets SIGTERM, so that caldp-process can end its
 * step and write what it has, then SIGKILL after `stopGraceMs`. The guard traps the signal and keeps waiting
 * for the command (else it would exit at once and the worker would take that for the end and SIGKILL the
 * group); its watcher ignores it, so a worker that dies during the grace still takes the group with it.
 */
import { spawn } from "node:child_process";
import { closeSync, openSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { killGroup } from "../pipeline/step-runner.js";
import { CHILD_OUTPUT } from "./attempt-log.js";
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
  /** Aborted when the worker stops: SIGTERM to the group, SIGKILL after stopGraceMs. */
  stop?: AbortSignal;
  stopGraceMs?: number;
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

export { killGroup };

const GUARD = [
  "exec 3<&0",
  '"$@" 3<&- </dev/null &',
  "child=$!",
  "{ trap '' TERM INT HUP; read -r _ <&3; kill -KILL 0; } &",
  // a trapped signal interrupts wait (status > 128) while the command still runs: wait again
  "trap : TERM INT HUP",
  "while :; do",
  '  wait "$child"',
  "  status=$?",
  '  kill -0 "$child" 2>/dev/null || break',
  "done",
  "trap - TERM INT HUP",
  'if [ "$status" -gt 128 ]; then kill -"$((status - 128))" "$$"; fi',
  'exit "$status"',
].join("\n");

export function runChild(spec: ChildSpec): Promise<ChildEnd> {
  const started = performance.now();
  const log = openSync(join(spec.cwd, CHILD_OUTPUT), "a");
  return new Promise((resolve) => {
    const child = spawn("/bin/sh", ["-c", GUARD, "caldp-batch-guard", spec.command, ...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ["pipe", log, log],
    });
    closeSync(log);
    let killedFor: KillCause | undefined;
    let peak = 0;
    const stop = (cause: KillCause) => {
      killedFor ??= cause;
      if (child.pid !== undefined) killGroup(child.pid);
    };
    const onStop = () => {
      killedFor ??= "shutdown";
      if (child.pid === undefined) return;
      killGroup(child.pid, "SIGTERM");
      timers.push(setTimeout(() => child.pid !== undefined && killGroup(child.pid), spec.stopGraceMs ?? 10_000));
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
    if (spec.stop?.aborted) onStop();
    else spec.stop?.addEventListener("abort", onStop, { once: true });
    const finish = (end: AttemptEnd) => {
      spec.stop?.removeEventListener("abort", onStop);
      for (const t of timers) clearTimeout(t);
      if (child.pid !== undefined) killGroup(child.pid);
      child.stdin?.destroy();
      resolve({
        ...end,
        killedFor: end.killedFor ?? killedFor,
        childMs: performance.now() - started,
        peakGroupRssKb: peak,
      });
    };
    child.once("error", (e) => finish({ exitCode: null, signal: null, spawnError: e.message }));
    child.once("spawn", () => child.pid !== undefined && spec.onStart?.(child.pid));
    child.once("exit", (exitCode, signal) =>
      // the guard's sh could not run the command (126: not executable, 127: not found)
      exitCode === 126 || exitCode === 127
        ? finish({ exitCode: null, signal: null, spawnError: `${spec.command}: sh exit ${exitCode}` })
        : finish({ exitCode, signal }),
    );
  });
}
