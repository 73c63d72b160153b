/**
 * Rebuilds the queues from the job records. A dataset the records say is submitted or processing goes back on
 * its rung's queue under its job id, unless the queue has it; one left `placed` (its submit or rescue stopped
 * before the queue: a crash, Redis unreachable) is queued as its next submission once it is older than
 * `placedGraceMs`, so that a submit still on its way is not raced. Safe to run any time from any number of
 * processes: adding an existing job id does nothing, and a job whose dataset is still running elsewhere waits
 * for that worker's lease (worker.ts).
 */
import type { BatchQueues } from "./queues.js";
import { isFinal, readAllRecords, readRecord } from "./records.js";
import type { BatchStore } from "./store.js";
import { queueRecord } from "./transitions.js";

export const DEFAULT_PLACED_GRACE_MS = 10_000;

export async function reconcile(
  store: BatchStore,
  queues: BatchQueues,
  placedGraceMs = DEFAULT_PLACED_GRACE_MS,
): Promise<string[]> {
  const requeued: string[] = [];
  for (const listed of await readAllRecords(store)) {
    if (isFinal(listed)) continue;
    if (listed.state === "placed") {
      if (Date.now() - Date.parse(listed.updated_at) < placedGraceMs) continue;
      const record = await readRecord(store, listed.dataset);
      if (record?.state !== "placed" || record.updated_at !== listed.updated_at) continue;
      await queueRecord(store, queues, record);
      requeued.push(record.dataset);
      continue;
    }
    const job = await queues.findJob(listed.dataset, listed.submission, listed.memory_bin);
    if (job && !(await job.isFailed())) continue;
    if (job) await job.remove();
    await queues.enqueue(
      { dataset: listed.dataset, output: listed.output, submission: listed.submission },
      listed.memory_bin,
    );
    requeued.push(listed.dataset);
  }
  return requeued;
}
