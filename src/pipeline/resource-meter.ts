import type { ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { ResourceReport } from "./metrics.js";

// Linux reports utime/stime of /proc/<pid>/stat in USER_HZ ticks, which is 100 on every mainstream arch.
const TICKS_PER_SECOND = 100;
const SAMPLE_MS = 100;

interface ChildTotals {
  minorFaults: number;
  majorFaults: number;
  userSeconds: number;
  systemSeconds: number;
}

/** cminflt, cmajflt, cutime, cstime of this process: what its waited-for children used. */
function waitedChildren(): ChildTotals {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // f[0] is field 3 (state) of proc(5): field n is f[n - 3].
    return {
      minorFaults: Number(f[8]),
      majorFaults: Number(f[10]),
      userSeconds: Number(f[13]) / TICKS_PER_SECOND,
      systemSeconds: Number(f[14]) / TICKS_PER_SECOND,
    };
  } catch {
    return { minorFaults: 0, majorFaults: 0, userSeconds: 0, systemSeconds: 0 };
  }
}

/** Peak resident set (VmHWM, kB) of a live process, or 0 if it is gone. */
function peakRssKb(pid: number): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** The pid and its live descendants. */
function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    try {
      for (const task of readdirSync(`/proc/${tree[i]}/task`)) {
        const children = readFileSync(`/proc/${tree[i]}/task/${task}/children`, "utf8").trim();
        if (children) tree.push(...children.split(" ").map(Number));
      }
    } catch {
      // the process ended between two reads
    }
  }
  return tree;
}

function pageSize(): number {
  try {
    const m = /^KernelPageSize:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/smaps", "utf8").slice(0, 4096));
    return m ? Number(m[1]) * 1024 : 4096;
  } catch {
    return 4096;
  }
}

/**
 * Measures one caldp step the way `time --verbose` measured the Python step: CPU, faults and I/O of this
 * process (process.resourceUsage) plus those of the children it waited for (/proc/self/stat), wall clock,
 * and the peak RSS of this process or of any watched child tree, whichever is larger. Children's peak RSS
 * has no kernel counter readable from Node, so it is sampled from /proc every 100 ms (a peak reached in
 * the last 100 ms of a child's life can be missed); context switches and I/O counts are this process's own.
 */
export class ResourceMeter {
  private readonly started = performance.now();
  private readonly selfAtStart = process.resourceUsage();
  private readonly childrenAtStart = waitedChildren();
  private childPeakKb = 0;
  private readonly watched = new Set<number>();
  private readonly timer: NodeJS.Timeout;

  constructor(readonly command: string) {
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
    this.timer.unref();
  }

  /** Follows a child (and its descendants) for peak memory until it exits. */
  watch(child: ChildProcess): void {
    if (child.pid === undefined) return;
    const pid = child.pid;
    this.watched.add(pid);
    this.sample();
    child.once("exit", () => this.watched.delete(pid));
  }

  finish(ended: { exitStatus: number; signal?: number }): ResourceReport {
    this.sample();
    clearInterval(this.timer);
    const self = process.resourceUsage();
    const children = waitedChildren();
    const delta = (key: keyof NodeJS.ResourceUsage) => self[key] - this.selfAtStart[key];
    const childDelta = (key: keyof ChildTotals) => children[key] - this.childrenAtStart[key];
    return {
      command: this.command,
      userSeconds: delta("userCPUTime") / 1e6 + childDelta("userSeconds"),
      systemSeconds: delta("systemCPUTime") / 1e6 + childDelta("systemSeconds"),
      elapsedSeconds: (performance.now() - this.started) / 1000,
      maxRssKb: Math.max(self.maxRSS, this.childPeakKb),
      majorFaults: delta("majorPageFault") + childDelta("majorFaults"),
      minorFaults: delta("minorPageFault") + childDelta("minorFaults"),
      voluntarySwitches: delta("voluntaryContextSwitches"),
      involuntarySwitches: delta("involuntaryContextSwitches"),
      swaps: delta("swappedOut"),
      fsInputs: delta("fsRead"),
      fsOutputs: delta("fsWrite"),
      socketSent: delta("ipcSent"),
      socketReceived: delta("ipcReceived"),
      signalsDelivered: delta("signalsCount"),
      pageSize: pageSize(),
      exitStatus: ended.exitStatus,
      signal: ended.signal,
    };
  }

  private sample(): void {
    for (const pid of this.watched) {
      for (const p of processTree(pid)) this.childPeakKb = Math.max(this.childPeakKb, peakRssKb(p));
    }
  }
}
