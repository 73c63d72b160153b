/**
 * Recording how an attempt ended: the decision (rules.ts), the record's counters and fields, the next state
 * and its message. An attempt that did not succeed also keeps what an operator needs to see why: its log
 * (caldp-process's output, `control/<ds>/attempt-<n>.log` in the output location, since the attempt's
 * folder is removed) and the cause read from it (attempt-log.ts).
 */
import { rmSync } from "node:fs";
import { explain, explainSignal } from "../core/exit-codes.js";
import { signalNumber } from "../core/signals.js";
import { attemptMetrics, finalMessageBody } from "./attempt.js";
import { failureCause, keepAttemptLog } from "./attempt-log.js";
import type { ChildEnd } from "./child.js";
import { messageKey } from "./messages.js";
import type { BatchQueues } from "./queues.js";
import type { AttemptRecord, JobRecord } from "./records.js";
import { countersAfter, decide } from "./rules.js";
import type { BatchStore } from "./store.js";
import { publishThumbnails } from "./thumbnails.js";
import { finish, queueSubmission, reasonBody } from "./transitions.js";

export interface AttemptEndContext {
  store: BatchStore;
  queues: BatchQueues;
  record: JobRecord;
  attempt: AttemptRecord;
  end: ChildEnd;
  /** The attempt's working folder (removed here). */
  cwd: string;
  /** performance.now() when the worker took the job. */
  taken: number;
  workerName: string;
  log: (line: string) => void;
}

export async function recordAttemptEnd(c: AttemptEndContext): Promise<string> {
  const { store, record, attempt, end, cwd } = c;
  const ds = record.dataset;
  const bin = record.memory_bin;
  const metrics = attemptMetrics(cwd);
  const decision = decide(end, {
    memoryBin: bin,
    memoryRetries: record.memory_retries,
    retries: record.retries,
    terminated: false,
  });
  const counters = countersAfter(decision, {
    memoryBin: bin,
    memoryRetries: record.memory_retries,
    retries: record.retries,
    terminated: record.terminated,
  });
  const exitReason = end.signal
    ? explainSignal(signalNumber(end.signal) ?? 0)
    : end.exitCode !== null
      ? explain(end.exitCode)
      : `spawn failed: ${end.spawnError}`;
  Object.assign(attempt, {
    ended_at: new Date().toISOString(),
    end: { ...end, childMs: undefined, peakGroupRssKb: undefined },
    decision,
    exit_reason: exitReason,
    wall_seconds: metrics.wallSeconds ?? end.childMs / 1000,
    max_rss_kb: metrics.maxRssKb ?? end.peakGroupRssKb,
    child_ms: Math.round(end.childMs * 10) / 10,
  });
  Object.assign(record, {
    memory_bin: counters.memoryBin,
    memory_retries: counters.memoryRetries,
    retries: counters.retries,
    exit_code: end.exitCode ?? (end.signal ? `signal ${end.signal}` : "spawn"),
    exit_reason: exitReason,
    status_reason: end.killedFor ? `killed by the worker: ${end.killedFor}` : decision.reason,
    wall_seconds: attempt.wall_seconds,
    max_rss_kb: attempt.max_rss_kb,
    cause: undefined,
    log: undefined,
  });
  if (decision.action !== "processed") {
    attempt.cause = end.killedFor
      ? (failureCause(cwd, true) ?? `killed by the worker: ${end.killedFor}`)
      : (failureCause(cwd) ?? (end.spawnError ? `spawn failed: ${end.spawnError}` : undefined));
    attempt.log = await keepAttemptLog(store, record, cwd).catch((e) => {
      c.log(`${ds}: the attempt's log was not kept: ${(e as Error).message}`);
      return undefined;
    });
    record.cause = attempt.cause;
    record.log = attempt.log;
  }
  const finishAttempt = () => {
    attempt.handled_ms = Math.round((performance.now() - c.taken) * 10) / 10;
  };
  if (decision.action === "processed") {
    record.processed_bin = bin;
    if (record.output.startsWith("s3://")) {
      await publishThumbnails(store, cwd, ds).catch((e) => c.log(`${ds}: thumbnails not copied: ${e.message}`));
    }
    finishAttempt();
    const name = messageKey("processed", ds).slice("messages/".length);
    await finish(store, record, "processed", finalMessageBody(cwd, name) ?? `${name}\n`);
  } else if (decision.action === "rescue") {
    finishAttempt();
    const body = reasonBody({ reason: decision.reason, exit_code: record.exit_code, memory_bin: decision.bin });
    await queueSubmission(store, c.queues, record, "rescue", body);
  } else {
    finishAttempt();
    const body = reasonBody({
      where: `worker ${c.workerName}`,
      exit_code: record.exit_code,
      exit_reason: exitReason,
      reason: decision.reason,
      cause: record.cause,
      log: record.log,
    });
    await finish(store, record, decision.action, body);
  }
  rmSync(cwd, { recursive: true, force: true });
  const rung = decision.action === "rescue" ? ` (bin ${decision.bin})` : "";
  c.log(`${ds}: ${exitReason} → ${decision.action}${rung}${record.cause ? `: ${record.cause}` : ""}`);
  return decision.action;
}
