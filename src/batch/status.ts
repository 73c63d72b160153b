/** `caldp batch status`: counts per state from the job records, the queues per rung, and progress. */
import { explain, lookupExit } from "../core/exit-codes.js";
import type { BatchQueues } from "./queues.js";
import { JOB_STATES, type JobRecord, type JobState, readAllRecords } from "./records.js";
import { rungOf } from "./rungs.js";
import { openOutputStore } from "./store.js";

export interface DatasetRow {
  dataset: string;
  state: JobState;
  instrument: string;
  detector: string;
  rung: string;
  predictedRung: string;
  attempts: number;
  exitCode?: number | string;
  /** CALDP's name of the exit code (STAGE1_ERROR, …). */
  exitName?: string;
  explanation?: string;
  /** Why the latest failed attempt failed, from its log. */
  cause?: string;
  /** The latest failed attempt's log: a path (file:) or an s3:// URI. */
  log?: string;
  statusReason?: string;
  wallSeconds?: number;
  maxRssKb?: number;
  updatedAt: string;
  output: string;
}

export interface BatchSummary {
  outputs: string[];
  total: number;
  counts: Record<JobState, number>;
  /** Processed datasets whose first rung was the one they were processed on, of all processed. */
  predictionHits: number;
  predictionChecked: number;
  queues?: Record<string, Record<string, number>>;
  rows: DatasetRow[];
  /** The rows that ended in error or were terminated. */
  failed: DatasetRow[];
}

export function toRow(r: JobRecord): DatasetRow {
  return {
    dataset: r.dataset,
    state: r.state,
    instrument: r.features.instrument,
    detector: r.features.detector,
    rung: rungOf(r.memory_bin).name,
    predictedRung: rungOf(r.predicted_bin).name,
    attempts: r.attempts.length,
    exitCode: r.exit_code,
    exitName: typeof r.exit_code === "number" ? lookupExit(r.exit_code)?.name : undefined,
    cause: r.cause,
    log: r.log,
    explanation: typeof r.exit_code === "number" ? explain(r.exit_code) : r.exit_reason,
    statusReason: r.status_reason,
    wallSeconds: r.wall_seconds,
    maxRssKb: r.max_rss_kb,
    updatedAt: r.updated_at,
    output: r.output,
  };
}

export async function summarize(outputs: string[], queues?: BatchQueues): Promise<BatchSummary> {
  const records = (await Promise.all(outputs.map((o) => readAllRecords(openOutputStore(o))))).flat();
  const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
  for (const r of records) counts[r.state] += 1;
  const processed = records.filter((r) => r.state === "processed" && r.processed_bin !== undefined);
  const rows = records.map(toRow).sort((a, b) => a.dataset.localeCompare(b.dataset));
  return {
    outputs,
    total: records.length,
    counts,
    predictionHits: processed.filter((r) => r.processed_bin === r.predicted_bin).length,
    predictionChecked: processed.length,
    queues: queues ? await queues.counts() : undefined,
    rows,
    failed: rows.filter((r) => r.state === "error" || r.state === "terminated"),
  };
}

function bar(done: number, total: number, width = 40): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
}

/** Failed datasets listed in the text summary (all of them in --json). */
const FAILED_SHOWN = 20;

export function renderSummary(s: BatchSummary): string {
  const ended = s.counts.processed + s.counts.error + s.counts.terminated;
  const lines = [
    `outputs: ${s.outputs.join(", ") || "(none)"}`,
    `${bar(ended, s.total)} ${ended}/${s.total} ended (${s.total ? Math.round((100 * ended) / s.total) : 0} %)`,
  ];
  for (const state of JOB_STATES)
    lines.push(`  ${state.padEnd(11)} ${String(s.counts[state]).padStart(6)} ${bar(s.counts[state], s.total, 20)}`);
  if (s.queues) {
    lines.push("queues:");
    for (const [rung, c] of Object.entries(s.queues)) {
      lines.push(
        `  ${rung.padEnd(4)} waiting ${c.waiting} active ${c.active} delayed ${c.delayed} done ${c.completed} failed ${c.failed}`,
      );
    }
  }
  if (s.failed.length) {
    lines.push(`failed (${s.failed.length}):`);
    for (const r of s.failed.slice(0, FAILED_SHOWN)) {
      const code = r.exitCode === undefined ? "" : ` exit ${r.exitCode}${r.exitName ? ` ${r.exitName}` : ""}`;
      lines.push(
        `  ${r.dataset} ${r.state}${code}: ${r.cause ?? r.statusReason ?? r.explanation ?? "no cause recorded"}`,
      );
      if (r.log) lines.push(`    log: ${r.log}`);
    }
    if (s.failed.length > FAILED_SHOWN) lines.push(`  … and ${s.failed.length - FAILED_SHOWN} more (all in --json)`);
  }
  if (s.predictionChecked) {
    lines.push(`first-rung prediction: ${s.predictionHits}/${s.predictionChecked} processed on the predicted rung`);
  }
  return `${lines.join("\n")}\n`;
}
