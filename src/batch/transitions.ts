/** State changes of a dataset that touch the record, the messages and the queue together, in a safe order. */
import { moveTo } from "./messages.js";
import { type BatchQueues, jobId } from "./queues.js";
import { type JobRecord, type JobState, writeRecord } from "./records.js";
import type { BatchStore } from "./store.js";

/**
 * Puts the dataset on its rung's queue as a new submission: placed (the record says so, then the placed- or
 * rescue- message), then queued (queueRecord). The record is written before the queue is touched (CALCLOUD:
 * "retry count used in planning"), so a crash or a lost Redis in between leaves a `placed` or `submitted`
 * record that reconcile() queues.
 */
export async function queueSubmission(
  store: BatchStore,
  queues: BatchQueues,
  record: JobRecord,
  via: "placed" | "rescue",
  body = "",
): Promise<void> {
  await placeRecord(store, record, via, body);
  await queueRecord(store, queues, record);
}

export async function placeRecord(store: BatchStore, record: JobRecord, via: "placed" | "rescue", body = "") {
  record.state = "placed";
  await writeRecord(store, record);
  await moveTo(store, via, record.dataset, body);
}

/** A placed record's next submission: the record (`submitted`, its job id), the submit- message, the job. */
export async function queueRecord(store: BatchStore, queues: BatchQueues, record: JobRecord): Promise<void> {
  record.submission += 1;
  record.state = "submitted";
  record.job_id = jobId(record.dataset, record.submission);
  await writeRecord(store, record);
  // submit- before the queue: a quick job can end before add() returns, and its final message must stay.
  await moveTo(store, "submit", record.dataset);
  await queues.enqueue(
    { dataset: record.dataset, output: record.output, submission: record.submission },
    record.memory_bin,
  );
}

/** Ends a dataset: the record first (the truth), then the message. */
export async function finish(
  store: BatchStore,
  record: JobRecord,
  state: Extract<JobState, "processed" | "error" | "terminated">,
  body = "",
): Promise<void> {
  record.state = state;
  if (state === "terminated") record.terminated = true;
  await writeRecord(store, record);
  await moveTo(store, state, record.dataset, body);
}

/** The body of an error- or terminated- message: YAML, as CALCLOUD's payloads. */
export function reasonBody(fields: Record<string, string | number | undefined>): string {
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}\n`)
    .join("");
}
