/**
 * caldp-process <dataset> [input=file:.] [output=file:.] [config=caldp-config-onsite]: the three steps of
 * CALDP's script, each a child process measured like `time --verbose` (process, previews), then the
 * messages, and the final exit status (contract §12.4, with the original's defects fixed: the whole exit
 * status counts, a messages failure is not masked, a previews failure returns its own code).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "./config.js";
import { parseDataset } from "./dataset.js";
import { CaldpError } from "./errors.js";
import { EXIT_CODES, explain, explainSignal, isMemoryError } from "./exit-codes.js";
import { writeMetricsFile } from "./metrics.js";
import { ResourceMeter } from "./resource-meter.js";
import { signalNumber } from "./signals.js";

export const USAGE = "usage: caldp-process <dataset> [input=file:.] [output=file:.] [config=caldp-config-onsite]";

/** The hidden entry point that runs one step in its own process (same extension as this module: .ts or .js). */
function stepEntry(): string {
  const here = fileURLToPath(import.meta.url);
  return join(here, "..", "..", "cli", `caldp-step${here.endsWith(".ts") ? ".ts" : ".js"}`);
}

export interface StepResult {
  status: number;
  /** The last lines the child wrote to stderr (for memory-failure detection). */
  stderrTail: string;
}

/** Runs one step as a child process, measured into `metricsFile` when given. */
async function runChildStep(
  step: "process" | "preview" | "messages",
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  metricsFile?: string,
): Promise<StepResult> {
  const command = [process.execPath, ...process.execArgv, stepEntry(), step, ...args];
  const meter = new ResourceMeter(`caldp ${step} ${args.join(" ")}`);
  const child = spawn(command[0], command.slice(1), { cwd, env, stdio: ["ignore", "inherit", "pipe"] });
  meter.watch(child);
  let tail = "";
  child.stderr.on("data", (chunk: Buffer) => {
    process.stderr.write(chunk);
    tail = (tail + chunk.toString("utf8")).slice(-8192);
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (c, s) => resolve([c, s]));
  });
  const signum = signal === null ? undefined : signalNumber(signal);
  const status = code ?? 128 + (signum ?? 0);
  if (metricsFile) writeMetricsFile(metricsFile, meter.finish({ exitStatus: status, signal: signum }));
  return { status: statusForChild(status, signum, tail), stderrTail: tail };
}

/** A step killed by SIGKILL is taken as a memory kill (33); a V8 heap exhaustion is CALDP_MEMORY_ERROR (32). */
function statusForChild(status: number, signum: number | undefined, stderrTail: string): number {
  if (/JavaScript heap out of memory|Allocation failed/.test(stderrTail)) return EXIT_CODES.CALDP_MEMORY_ERROR;
  if (signum === undefined) return status;
  process.stdout.write(`${explainSignal(signum)}\n`);
  return signum === 9 ? EXIT_CODES.CONTAINER_MEMORY_ERROR : EXIT_CODES.GENERIC_ERROR;
}

/**
 * CALDP's `grep MemoryError process.txt`, without the EXIT lines: their explanations say "Python MemoryError"
 * themselves, so the original turned every 32 into 31.
 */
function mentionsMemoryError(path: string): boolean {
  try {
    return readFileSync(path, "utf8")
      .split("\n")
      .some((line) => !line.startsWith("EXIT - ") && line.includes("MemoryError"));
  } catch {
    return false;
  }
}

export async function caldpProcess(argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  if (argv.length < 1 || argv.length > 4) {
    process.stderr.write(`${USAGE}\n`);
    return EXIT_CODES.CMDLINE_ERROR;
  }
  const [dataset, input = "file:.", output = "file:.", config = "caldp-config-onsite"] = argv;
  let childEnv: NodeJS.ProcessEnv;
  try {
    parseDataset(dataset);
    childEnv = { ...env, ...loadConfig(config, env) };
  } catch (e) {
    if (!(e instanceof CaldpError)) throw e;
    process.stderr.write(`caldp-process: ${e.message}\n${explain(e.code)}\n`);
    return e.code;
  }
  const args = [input, output, dataset];
  const processed = await runChildStep("process", args, cwd, childEnv, join(cwd, "process_metrics.txt"));
  const previews = await runChildStep("preview", args, cwd, childEnv, join(cwd, "preview_metrics.txt"));
  const messages = await runChildStep("messages", args, cwd, childEnv);
  let status = EXIT_CODES.SUCCESS as number;
  if (processed.status !== 0) {
    const memory = isMemoryError(processed.status) || !mentionsMemoryError(join(cwd, "process.txt"));
    status = memory ? processed.status : EXIT_CODES.SUBPROCESS_MEMORY_ERROR;
  } else if (previews.status !== 0) status = previews.status;
  else if (messages.status !== 0) status = messages.status;
  process.stdout.write(`${explain(status)}\n`);
  return status;
}
