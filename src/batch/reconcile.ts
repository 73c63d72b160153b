/**
 * Rebuilds the queues from the job records: every dataset the records say is placed, submitted or processing
 * goes back on its rung's queue under its job id, unless the queue has it. Safe to run any time from any
 * number of processes: adding an existing job id does nothing, and a job whose dataset is still running
 * elsewhere waits for that worker's lease (worker.ts).
 */
import type { BatchQueues } from "./queues.js";
import { isFinal, readAllRecords } from "./records.js";
import type { BatchStore } from "./store.js";

export async function reconcile(store: BatchStore, queues: BatchQueues): Promise<string[]> {
  const requeued: string[] = [];
  for (const record of await readAllRecords(store)) {
    if (isFinal(record) || record.submission === 0) continue;
    const job = await queues.findJob(record.dataset, record.submission, record.memory_bin);
    if (job && !(await job.isFailed())) continue;
    if (job) await job.remove();
    await queues.enqueue(
      { dataset: record.dataset, output: record.output, submission: record.submission },
      record.memory_bin,
    );
    requeued.push(record.dataset);
  }
  return requeued;
}
