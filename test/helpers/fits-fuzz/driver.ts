import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { loadSeeds } from "./corpus.js";
import { makeInput } from "./mutate.js";

export interface FuzzOptions {
  seed: number;
  count: number;
  /** Include the 2.2 MB real files (slower inputs). */
  allSeeds?: boolean;
  /** An input taking longer than this is a hang: its process is killed. */
  inputTimeoutMs?: number;
  /** Peak RSS of the fuzzing process beyond this is a failure of the input that reached it. */
  rssLimitMb?: number;
  /** V8 heap limit of the fuzzing process. */
  heapLimitMb?: number;
  onProgress?: (done: number) => void;
}

export interface FuzzFailure {
  index: number;
  kind: "exception" | "hang" | "crash" | "memory";
  message: string;
  /** How the input was made: its seed file and mutations. */
  input: string;
}

export interface FuzzSummary {
  inputs: number;
  ok: number;
  fitsErrors: Record<string, number>;
  failures: FuzzFailure[];
  slowest: { index: number; ms: number; input: string };
  peakRssMb: number;
  seconds: number;
  /** Time spent inside the library, summed over inputs. */
  exerciseSeconds: number;
}

const CHILD = join(fileURLToPath(new URL(".", import.meta.url)), "child.ts");
const TSX = import.meta.resolve("tsx");

interface ChildLine {
  start?: number;
  done?: number;
  outcome?: string;
  code?: string;
  message?: string;
  ms?: number;
  maxRssMb?: number;
}

/**
 * Runs `count` mutated inputs through the library in child processes (a heap limit, a per-input time
 * limit enforced by SIGKILL, a peak-RSS limit) and sums up what happened. After a hang, a crash or a
 * memory failure, a new child continues with the next input, so one bad input does not end the run.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const began = performance.now();
  const summary: FuzzSummary = {
    inputs: 0,
    ok: 0,
    fitsErrors: {},
    failures: [],
    slowest: { index: -1, ms: 0, input: "" },
    peakRssMb: 0,
    seconds: 0,
    exerciseSeconds: 0,
  };
  let seeds: ReturnType<typeof loadSeeds> | undefined;
  const describe = (index: number) => {
    seeds ??= loadSeeds({ all: options.allSeeds });
    const input = makeInput(seeds, options.seed, index);
    return `${input.seed}: ${input.steps.join("; ")}`;
  };
  let next = 0;
  while (next < options.count) {
    const result = await runChild(options, next, (line) => {
      if (line.done === undefined) return;
      summary.inputs++;
      options.onProgress?.(summary.inputs);
      summary.peakRssMb = Math.max(summary.peakRssMb, line.maxRssMb ?? 0);
      summary.exerciseSeconds += (line.ms ?? 0) / 1000;
      if ((line.ms ?? 0) > summary.slowest.ms) summary.slowest = { index: line.done, ms: line.ms ?? 0, input: "" };
      if (line.outcome === "ok") summary.ok++;
      else if (line.outcome === "fits") summary.fitsErrors[line.code!] = (summary.fitsErrors[line.code!] ?? 0) + 1;
      else {
        const kind = line.outcome as FuzzFailure["kind"];
        summary.failures.push({ index: line.done, kind, message: line.message ?? "", input: describe(line.done) });
      }
    });
    if (result.unfinished !== undefined) {
      summary.inputs++;
      const { kind, message } = result;
      summary.failures.push({ index: result.unfinished, kind, message, input: describe(result.unfinished) });
    }
    next = (result.unfinished ?? result.lastDone) + 1;
  }
  if (summary.slowest.index >= 0) summary.slowest.input = describe(summary.slowest.index);
  summary.seconds = (performance.now() - began) / 1000;
  return summary;
}

type ChildResult =
  | { lastDone: number; unfinished?: undefined }
  | { lastDone: number; unfinished: number; kind: "hang" | "crash"; message: string };

function runChild(options: FuzzOptions, start: number, onLine: (line: ChildLine) => void): Promise<ChildResult> {
  const timeout = options.inputTimeoutMs ?? 10_000;
  const args = [
    `--max-old-space-size=${options.heapLimitMb ?? 512}`,
    "--import",
    TSX,
    CHILD,
    String(options.seed),
    String(start),
    String(options.count),
    options.allSeeds ? "all" : "small",
    String(options.rssLimitMb ?? 768),
  ];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  let current: number | undefined;
  let lastDone = start - 1;
  let hung = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      hung = true;
      child.kill("SIGKILL");
    }, timeout);
  };
  createInterface({ input: child.stdout }).on("line", (text) => {
    const line = JSON.parse(text) as ChildLine;
    if (line.start !== undefined) {
      current = line.start;
      arm();
    } else if (line.done !== undefined) {
      clearTimeout(timer);
      current = undefined;
      lastDone = line.done;
    }
    onLine(line);
  });
  return new Promise((resolve, reject) => {
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (current === undefined) {
        if (code !== 0 && lastDone === start - 1) reject(new Error(`the fuzz process failed to start: ${stderr}`));
        else resolve({ lastDone });
      } else if (hung) resolve({ lastDone, unfinished: current, kind: "hang", message: `no answer in ${timeout} ms` });
      else {
        const message = `exit ${code ?? signal}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`;
        resolve({ lastDone, unfinished: current, kind: "crash", message });
      }
    });
  });
}
