/**
 * A stopping worker hands its datasets back instead of finishing them: a container stop gives ~30 s before
 * SIGKILL, far less than a calibration may need, and a job that is merely abandoned comes back only when its
 * bullmq lock expires (never, while Redis is away). The dataset is queued again as its next submission
 * (record `submitted`, `submit-` message, a new job id), so any other worker takes it at once; the old job,
 * should Redis deliver it again, is skipped for its old submission. If Redis does not answer, the record
 * alone says `submitted` and the workers' reconcile queues it once Redis is back: nothing is left stuck.
 * A hand-back does not count as a retry: the dataset did not fail.
 */
import type { BatchQueues } from "./queues.js";
import { type AttemptRecord, type JobRecord, readLease, releaseLease } from "./records.js";
import type { BatchStore } from "./store.js";
import { queueRecord } from "./transitions.js";

export interface HandBack {
  store: BatchStore;
  queues: BatchQueues;
  record: JobRecord;
  /** The attempt the stop interrupted, if its child had started. */
  attempt?: AttemptRecord;
  /** e.g. `worker host:123 stopped by SIGTERM`. */
  why: string;
  /** Lets other workers take the dataset at once (the lease would otherwise keep them waiting). */
  releaseLease: () => Promise<void>;
  log: (line: string) => void;
}

export async function handBack(h: HandBack): Promise<string> {
  const { record } = h;
  if (h.attempt) {
    h.attempt.ended_at = new Date().toISOString();
    h.attempt.exit_reason = `${h.why}: handed back`;
  }
  await h.releaseLease().catch(() => undefined);
  try {
    await queueRecord(h.store, h.queues, record);
    h.log(`${record.dataset}: ${h.why}: handed back (submission ${record.submission} queued)`);
  } catch (e) {
    if (!h.queues.unreachable(e)) throw e;
    h.log(
      `${record.dataset}: ${h.why}: handed back, not queued (${h.queues.describe(e)}): ` +
        "a worker's reconcile queues it once Redis answers",
    );
  }
  return "handed back";
}

/** Removes the dataset's lease if it is still the one with this token. */
export async function releaseIfHeld(store: BatchStore, ds: string, token: string): Promise<void> {
  const held = await readLease(store, ds).catch(() => undefined);
  if (held?.token === token) await releaseLease(store, ds);
}

/** Whether every promise settled within `ms`. */
export async function withinMs(promises: (Promise<unknown> | undefined)[], ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const all = Promise.allSettled(promises).then(() => true as const);
  const settled = await Promise.race([all, timeout]);
  clearTimeout(timer);
  return settled;
}
