/** The command of one attempt and what it left in its working folder (metrics, the final message). */
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { readMetrics } from "../pipeline/metrics.js";
import { datasetInput } from "./features.js";
import type { JobRecord } from "./records.js";

/** caldp-process's entry beside this module (.ts under tsx, .js when built). */
function caldpProcessEntry(): string {
  const here = fileURLToPath(import.meta.url);
  return join(dirname(here), "..", "cli", `caldp-process${here.endsWith(".ts") ? ".ts" : ".js"}`);
}

/**
 * The dry-run child: optionally ignores SIGTERM (CALDP_DRY_RUN_IGNORE_TERM, as a child slow to stop would),
 * optionally sleeps (CALDP_DRY_RUN_SLEEP seconds), then exits with CALDP_SIMULATE_ERROR.
 */
const DRY_RUN_SCRIPT = [
  `if [ -n "$CALDP_DRY_RUN_IGNORE_TERM" ]; then trap '' TERM; fi`,
  'if [ -n "$CALDP_DRY_RUN_SLEEP" ]; then sleep "$CALDP_DRY_RUN_SLEEP"; fi',
  'exit "$((CALDP_SIMULATE_ERROR + 0))"',
].join("; ");

/**
 * The output URI as caldp-process should get it: a `file:` output relative to the attempt's folder, because
 * process-step.ts joins the output path onto the working folder (an absolute path ends up inside it); an s3:
 * output as CALCLOUD gives it, `s3://<bucket>/outputs/<ds>`.
 */
function outputFrom(cwd: string, output: string, ds: string): string {
  // s3: CALCLOUD's job command names the dataset's outputs folder (caldp-process ignores the prefix)
  if (!output.startsWith("file:")) return `${output}/outputs/${ds}`;
  return `file:${relative(cwd, output.slice("file:".length)) || "."}`;
}

export function attemptCommand(record: JobRecord, cwd: string, heapMiB: number): { command: string; args: string[] } {
  if (record.dry_run) return { command: "/bin/sh", args: ["-c", DRY_RUN_SCRIPT] };
  const input = datasetInput(record.input, record.dataset);
  return {
    command: process.execPath,
    args: [
      ...process.execArgv.filter((a) => !a.startsWith("--max-old-space-size")),
      `--max-old-space-size=${heapMiB}`,
      caldpProcessEntry(),
      record.dataset,
      input,
      outputFrom(cwd, record.output, record.dataset),
      record.config,
    ],
  };
}

const readText = (path: string) => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
};

/** Wall clock (process + previews, as model_ingest sums them) and the larger peak of the two steps. */
export function attemptMetrics(cwd: string): { wallSeconds?: number; maxRssKb?: number } {
  const readings = ["process_metrics.txt", "preview_metrics.txt"]
    .map((name) => readText(join(cwd, name)))
    .filter((t): t is string => t !== undefined)
    .map(readMetrics);
  if (readings.length === 0) return {};
  const wall = readings.map((r) => r.wallclockSeconds).filter(Number.isFinite);
  const rss = readings.map((r) => r.maxRssKb).filter(Number.isFinite);
  return {
    wallSeconds: wall.length ? wall.reduce((a, b) => a + b, 0) : undefined,
    maxRssKb: rss.length ? Math.max(...rss) : undefined,
  };
}

/** The body caldp-process gave its final message (the product list), for the batch's copy of it. */
export const finalMessageBody = (cwd: string, name: string) => readText(join(cwd, "messages", name));
