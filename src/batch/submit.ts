/**
 * `caldp batch submit`: for each dataset, CALCLOUD's placed → plan → submit (§16.2): a fresh job record
 * (placing resets the retry counters), the first rung from the prediction, the kill time, then the queue.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { datasetFeatures } from "./features.js";
import { predict, type RecordedRun } from "./predict.js";
import type { BatchQueues } from "./queues.js";
import { isFinal, type JobRecord, readAllRecords, readRecord } from "./records.js";
import { killTimeSeconds } from "./rules.js";
import { openOutputStore } from "./store.js";
import { placeRecord, queueRecord } from "./transitions.js";

export interface SubmitOptions {
  datasets: string[];
  input: string;
  output: string;
  config: string;
  env?: Record<string, string>;
  dryRun?: boolean;
  /** Fixed kill time in seconds instead of the predicted one. */
  killTime?: number;
  timeoutScale?: number;
  /** Fixed first rung (CALCLOUD's `memory_bin` override). */
  memoryBin?: number;
}

export interface SubmitResult {
  submitted: JobRecord[];
  /** Datasets left alone because they are still in flight. */
  skipped: string[];
}

/** Dataset names from arguments; an argument naming a file contributes its lines (blank lines and # skipped). */
export function expandDatasetArgs(args: string[]): string[] {
  return args.flatMap((arg) =>
    existsSync(arg) && statSync(arg).isFile()
      ? readFileSync(arg, "utf8")
          .split("\n")
          .map((l) => l.replace(/#.*/, "").trim())
          .filter(Boolean)
      : [arg],
  );
}

/** Peaks and wall times of the processed datasets of an output location: the prediction's history. */
export function recordedRuns(records: readonly JobRecord[]): RecordedRun[] {
  return records
    .filter((r) => r.state === "processed" && r.max_rss_kb !== undefined && r.wall_seconds !== undefined && !r.dry_run)
    .map((r) => ({ ...r.features, maxRssKb: r.max_rss_kb!, wallSeconds: r.wall_seconds! }));
}

export async function submit(queues: BatchQueues, options: SubmitOptions): Promise<SubmitResult> {
  const store = openOutputStore(options.output);
  const output = store.uri;
  let remembered = false;
  const history = recordedRuns(await readAllRecords(store));
  const result: SubmitResult = { submitted: [], skipped: [] };
  for (const dataset of options.datasets) {
    const existing = await readRecord(store, dataset);
    if (existing && !isFinal(existing)) {
      result.skipped.push(dataset);
      continue;
    }
    const features = await datasetFeatures(store, options.input, dataset);
    const prediction = predict(features, history);
    const bin = options.memoryBin ?? prediction.bin;
    const now = new Date().toISOString();
    const record: JobRecord = {
      dataset,
      state: "placed",
      input: options.input,
      output,
      config: options.config,
      env: options.env ?? {},
      dry_run: options.dryRun ?? false,
      features,
      prediction,
      predicted_bin: bin,
      memory_bin: bin,
      memory_retries: 0,
      retries: 0,
      terminated: false,
      timeout_scale: options.timeoutScale ?? 1,
      kill_time:
        options.killTime ??
        killTimeSeconds(prediction.clockSeconds, prediction.clockSeconds, prediction.clockStd, options.timeoutScale),
      submission: 0,
      job_id: "undefined",
      attempts: [],
      created_at: now,
      updated_at: now,
    };
    await placeRecord(store, record, "placed");
    try {
      if (!remembered) await queues.rememberOutput(output);
      remembered = true;
      await queueRecord(store, queues, record);
    } catch (e) {
      const rest = options.datasets.slice(options.datasets.indexOf(dataset) + 1);
      throw new Error(
        `${dataset} is placed in ${output} but not queued (${queues.describe(e)}): a worker's reconcile will ` +
          `queue it once Redis answers${rest.length ? `; not submitted: ${rest.join(" ")}` : ""}`,
      );
    }
    result.submitted.push(record);
  }
  return result;
}
