/** `caldp batch status`: counts per state from the job records, the queues per rung, and progress. */
import { explain } from "../pipeline/exit-codes.js";
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
  explanation?: string;
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
  return {
    outputs,
    total: records.length,
    counts,
    predictionHits: processed.filter((r) => r.processed_bin === r.predicted_bin).length,
    predictionChecked: processed.length,
    queues: queues ? await queues.counts() : undefined,
    rows: records.map(toRow).sort((a, b) => a.dataset.localeCompare(b.dataset)),
  };
}

function bar(done: number, total: number, width = 40): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
}

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
  if (s.predictionChecked) {
    lines.push(`first-rung prediction: ${s.predictionHits}/${s.predictionChecked} processed on the predicted rung`);
  }
  return `${lines.join("\n")}\n`;
}
