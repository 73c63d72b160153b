/** `caldp batch rescue|cancel|clean <dataset|all>`: the operator's requests (contract §16.6). */
import { deleteAllMessages, putMessage } from "./messages.js";
import type { BatchQueues } from "./queues.js";
import { isFinal, type JobRecord, listDatasets, readLease, readRecord } from "./records.js";
import { openOutputStore } from "./store.js";
import { finish, queueSubmission, reasonBody } from "./transitions.js";

export interface RescueOverrides {
  timeoutScale?: number;
  memoryBin?: number;
}

async function targets(output: string, which: string, select: (r: JobRecord) => boolean): Promise<JobRecord[]> {
  const store = openOutputStore(output);
  const names = which === "all" ? await listDatasets(store) : [which];
  const records = await Promise.all(names.map((ds) => readRecord(store, ds)));
  return records.filter((r): r is JobRecord => r !== undefined && select(r));
}

/** Resubmits ended-badly datasets (error or terminated); the counters are kept, as CALCLOUD's rescue does. */
export async function rescue(queues: BatchQueues, output: string, which: string, overrides: RescueOverrides = {}) {
  const store = openOutputStore(output);
  const records = await targets(output, which, (r) => r.state === "error" || r.state === "terminated");
  for (const record of records) {
    record.terminated = false;
    if (overrides.memoryBin !== undefined) record.memory_bin = overrides.memoryBin;
    if (overrides.timeoutScale !== undefined) {
      record.kill_time = Math.max(60, Math.trunc((record.kill_time / record.timeout_scale) * overrides.timeoutScale));
      record.timeout_scale = overrides.timeoutScale;
    }
    try {
      await queueSubmission(store, queues, record, "rescue", reasonBody({ by: "operator" }));
    } catch (e) {
      const unreachable = queues.unreachable(e);
      if (!unreachable || record.state !== "submitted") throw e;
      const rest = records.slice(records.indexOf(record) + 1).map((r) => r.dataset);
      throw new Error(
        `${record.dataset} is rescued in ${store.uri} but not queued (${unreachable.message}): a worker's ` +
          `reconcile will queue it once Redis answers${rest.length ? `; not rescued: ${rest.join(" ")}` : ""}`,
      );
    }
  }
  return records.map((r) => r.dataset);
}

/**
 * Cancels datasets in flight. A job still waiting on its queue is removed and the dataset terminated here; a
 * running one is stopped by its worker, which watches for cancel-<ds>.
 */
export async function cancel(queues: BatchQueues, output: string, which: string) {
  const store = openOutputStore(output);
  const records = await targets(output, which, (r) => !isFinal(r));
  const result = { terminated: [] as string[], signalled: [] as string[] };
  for (const record of records) {
    await putMessage(store, "cancel", record.dataset, "cancel: operator\n");
    const job = await queues.findJob(record.dataset, record.submission, record.memory_bin);
    let removed = false;
    if (job && !(await job.isActive())) {
      removed = await job.remove().then(
        () => true,
        () => false,
      );
    }
    const lease = await readLease(store, record.dataset);
    const running = lease !== undefined && lease.until > Date.now();
    if ((removed || !job) && !running) {
      await finish(
        store,
        record,
        "terminated",
        reasonBody({ where: "caldp batch cancel", reason: "Operator cancelled" }),
      );
      result.terminated.push(record.dataset);
    } else result.signalled.push(record.dataset);
  }
  return result;
}

/** Removes every trace of datasets: queue jobs, messages, job record, outputs. */
export async function clean(queues: BatchQueues, output: string, which: string) {
  const store = openOutputStore(output);
  const records = await targets(output, which, () => true);
  for (const record of records) {
    const job = await queues.findJob(record.dataset, record.submission, record.memory_bin);
    await job?.remove().catch(() => undefined);
    await deleteAllMessages(store, record.dataset);
    await store.removeTree(`control/${record.dataset}`);
    await store.removeTree(store.productsPrefix(record.dataset));
  }
  return records.map((r) => r.dataset);
}
