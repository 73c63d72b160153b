/**
 * Retry and ladder decisions (contract §16.5, CALCLOUD's BatchEvents), as pure functions of how an attempt
 * ended and the counters in the job record. First matching rule wins:
 * operator cancel → terminated; success → processed; memory → next rung; transient → same rung; else error.
 */
import { isMemoryError } from "../core/exit-codes.js";
import { TOP_BIN } from "./rungs.js";

export const MAX_MEMORY_RETRIES = 4;
export const MAX_TRANSIENT_RETRIES = 4;

/** Why the worker itself stopped the child, if it did ("shutdown": the worker is stopping and hands the job back). */
export type KillCause = "timeout" | "cancel" | "memory-limit" | "shutdown";

/** How one attempt ended, as the worker saw it. */
export interface AttemptEnd {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  killedFor?: KillCause;
  /** The child could not be started (spawn error). */
  spawnError?: string;
}

export interface RetryCounters {
  memoryBin: number;
  memoryRetries: number;
  retries: number;
  terminated: boolean;
}

export type Decision =
  | { action: "processed"; reason: string }
  | { action: "terminated"; reason: string }
  | { action: "error"; reason: string }
  | { action: "rescue"; kind: "memory" | "transient"; bin: number; reason: string };

/**
 * Exit codes retried on the same rung. CALCLOUD retried only container-runtime failures (CannotInspectContainer,
 * DockerTimeoutError) and sent 25/26 to error; here there is no container runtime, and an S3 transfer that still
 * fails after caldp-process's own retries is the infrastructure failure most likely to pass (anchors §3 item 2).
 */
export const TRANSIENT_EXIT_CODES: readonly number[] = [25, 26];

/** Signals that mean the child was stopped from outside (shutdown, a lost session), not that it failed. */
const TRANSIENT_SIGNALS: readonly string[] = ["SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT"];

export function isMemoryEnd(end: AttemptEnd): boolean {
  if (end.killedFor === "memory-limit") return true;
  // A SIGKILL nobody in the batch sent is the kernel's OOM killer (a container OOM kill, "OutOfMemoryError").
  if (end.signal === "SIGKILL" && end.killedFor === undefined) return true;
  return end.exitCode !== null && isMemoryError(end.exitCode);
}

export function isTransientEnd(end: AttemptEnd): boolean {
  if (end.spawnError !== undefined) return true;
  if (end.signal !== null && end.killedFor === undefined && TRANSIENT_SIGNALS.includes(end.signal)) return true;
  return end.exitCode !== null && TRANSIENT_EXIT_CODES.includes(end.exitCode);
}

export function decide(end: AttemptEnd, counters: RetryCounters): Decision {
  if (end.killedFor === "cancel" || counters.terminated) return { action: "terminated", reason: "Operator cancelled" };
  if (end.exitCode === 0 && end.signal === null && end.spawnError === undefined) {
    return { action: "processed", reason: "exit 0" };
  }
  if (end.killedFor === "timeout") return { action: "error", reason: "Job attempt duration exceeded timeout" };
  if (isMemoryEnd(end)) {
    const next = counters.memoryBin + 1;
    if (counters.memoryRetries >= MAX_MEMORY_RETRIES) return { action: "error", reason: "memory retries exhausted" };
    if (next > TOP_BIN) return { action: "error", reason: "memory error on the top rung: all bins tried" };
    return { action: "rescue", kind: "memory", bin: next, reason: `memory error: climbing to bin ${next}` };
  }
  if (isTransientEnd(end)) {
    if (counters.retries >= MAX_TRANSIENT_RETRIES) return { action: "error", reason: "transient retries exhausted" };
    return { action: "rescue", kind: "transient", bin: counters.memoryBin, reason: "transient failure: same rung" };
  }
  return { action: "error", reason: "no automatic retry for this failure" };
}

/** Counters after a decision (what the record keeps, so that retries survive Redis). */
export function countersAfter(decision: Decision, counters: RetryCounters): RetryCounters {
  if (decision.action === "terminated") return { ...counters, terminated: true };
  if (decision.action !== "rescue") return counters;
  return decision.kind === "memory"
    ? { ...counters, memoryBin: decision.bin, memoryRetries: counters.memoryRetries + 1 }
    : { ...counters, retries: counters.retries + 1 };
}

/** CALCLOUD's kill time: min(max(predicted × (1 + std), recorded), 48 h) × timeout_scale, at least 60 s. */
export function killTimeSeconds(predictedSeconds: number, recordedSeconds: number, std: number, scale = 1): number {
  const seconds = Math.min(Math.max(predictedSeconds * (1 + std), recordedSeconds), 48 * 3600);
  return Math.max(Math.trunc(seconds * scale), 60);
}
