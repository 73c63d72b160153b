/**
 * The job record of a dataset, `control/<ds>/job.json` in the output location (CALCLOUD's job control metadata,
 * §16.3, with CALCLOUD's key names where they exist). It is the batch's memory: Redis holds only the queues,
 * and a batch whose Redis lost everything is rebuilt from these records (reconcile.ts).
 */
import type { DatasetFeatures, Prediction } from "./predict.js";
import type { AttemptEnd, Decision } from "./rules.js";
import type { BatchStore } from "./store.js";

export const JOB_STATES = ["placed", "submitted", "processing", "processed", "error", "terminated"] as const;
export type JobState = (typeof JOB_STATES)[number];
export const FINAL_STATES: readonly JobState[] = ["processed", "error", "terminated"];

export interface AttemptRecord {
  submission: number;
  bin: number;
  /** `<host>:<pid>` of the worker. */
  worker: string;
  host?: string;
  /** Identifies the attempt: only the record's latest attempt may write its end (lease.ts). */
  token?: string;
  /** The child's process group. */
  pgid?: number;
  started_at: string;
  ended_at?: string;
  end?: AttemptEnd;
  decision?: Decision;
  exit_reason?: string;
  wall_seconds?: number;
  max_rss_kb?: number;
  /** Why it failed, from its log (the fatal report's first lines, or the last line the child wrote). */
  cause?: string;
  /** Where its log is kept when it did not succeed: a path (file:) or an s3:// URI. */
  log?: string;
  /** Milliseconds the child ran (spawn to exit), for the orchestration overhead. */
  child_ms?: number;
  /** Milliseconds from the worker taking the job to the record of its end. */
  handled_ms?: number;
}

export interface JobRecord {
  dataset: string;
  state: JobState;
  input: string;
  output: string;
  config: string;
  /** Extra environment for caldp-process (e.g. CALDP_SIMULATE_ERROR), given at submission. */
  env: Record<string, string>;
  /** A trivial child (`sh -c 'exit $CALDP_SIMULATE_ERROR'`) instead of caldp-process: orchestration tests. */
  dry_run: boolean;
  features: DatasetFeatures;
  prediction: Prediction;
  predicted_bin: number;
  memory_bin: number;
  memory_retries: number;
  retries: number;
  terminated: boolean;
  timeout_scale: number;
  kill_time: number;
  /** How many times the dataset was put on a queue; the queue's job id is `<ds>-<submission>`. */
  submission: number;
  job_id: string;
  exit_code?: number | string;
  exit_reason?: string;
  status_reason?: string;
  /** The latest failed attempt's cause and log (AttemptRecord), cleared when an attempt succeeds. */
  cause?: string;
  log?: string;
  wall_seconds?: number;
  max_rss_kb?: number;
  /** Bin of the attempt that processed the dataset (for the prediction hit rate). */
  processed_bin?: number;
  attempts: AttemptRecord[];
  created_at: string;
  updated_at: string;
}

/** Who runs a dataset now: renewed while the child runs, so that a taker-over can tell a dead owner. */
export interface Lease {
  worker: string;
  host: string;
  /** The attempt's token (AttemptRecord.token). */
  token: string;
  /** The child's process group (killed by whoever takes over on the same host) and its start time (ticks). */
  pgid?: number;
  pgid_start?: number;
  submission: number;
  until: number;
}

export const recordKey = (ds: string) => `control/${ds}/job.json`;
export const leaseKey = (ds: string) => `control/${ds}/lease.json`;

export async function readRecord(store: BatchStore, ds: string): Promise<JobRecord | undefined> {
  const text = await store.get(recordKey(ds));
  return text === undefined ? undefined : (JSON.parse(text) as JobRecord);
}

export async function writeRecord(store: BatchStore, record: JobRecord): Promise<void> {
  record.updated_at = new Date().toISOString();
  await store.put(recordKey(record.dataset), `${JSON.stringify(record, null, 1)}\n`);
}

/** Reads, changes and writes a record; undefined if there is none. */
export async function updateRecord(
  store: BatchStore,
  ds: string,
  change: (record: JobRecord) => void,
): Promise<JobRecord | undefined> {
  const record = await readRecord(store, ds);
  if (!record) return undefined;
  change(record);
  await writeRecord(store, record);
  return record;
}

/** Every dataset with a record in the output location. */
export async function listDatasets(store: BatchStore): Promise<string[]> {
  return (await store.list("control/")).map((key) => key.slice("control/".length));
}

export async function readAllRecords(store: BatchStore): Promise<JobRecord[]> {
  const records = await Promise.all((await listDatasets(store)).map((ds) => readRecord(store, ds)));
  return records.filter((r): r is JobRecord => r !== undefined);
}

export async function readLease(store: BatchStore, ds: string): Promise<Lease | undefined> {
  const text = await store.get(leaseKey(ds));
  return text === undefined ? undefined : (JSON.parse(text) as Lease);
}

export const writeLease = (store: BatchStore, ds: string, lease: Lease) =>
  store.put(leaseKey(ds), JSON.stringify(lease));
export const releaseLease = (store: BatchStore, ds: string) => store.remove(leaseKey(ds));

export const isFinal = (record: JobRecord) => FINAL_STATES.includes(record.state);
