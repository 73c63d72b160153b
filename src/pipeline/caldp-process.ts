/**
 * caldp-process <dataset> [input=file:.] [output=file:.] [config=caldp-config-onsite]: the three steps of
 * CALDP's script, each a child process measured like `time --verbose` (process, previews), then the
 * messages, and the final exit status (contract §12.4, with the original's defects fixed: the whole exit
 * status counts, a messages failure is not masked, a previews failure returns its own code).
 *
 * Around them: the output location is checked and the dataset locked there first (run-setup.ts); the steps
 * calibrate in a scratch folder, removed at the end (kept after a failure with CALDP_KEEP_SCRATCH=1); a
 * SIGTERM, SIGINT or SIGHUP stops the running step (step-runner.ts), skips the remaining calibration and
 * preview steps, still copies the logs and writes an `error-` message naming the signal, and the run exits
 * 128 + the signal's number.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type Dataset, parseDataset } from "../core/dataset.js";
import { CaldpError } from "../core/errors.js";
import { EXIT_CODES, explain, explainSignal, isMemoryError } from "../core/exit-codes.js";
import { Logger } from "../core/log.js";
import { signalNumber } from "../core/signals.js";
import { fileUriDir } from "../io/file-input.js";
import { LocalStore } from "../io/object-store.js";
import { loadConfig } from "./config.js";
import { codedErrorFor } from "./error-exits.js";
import { outputLocation } from "./locations.js";
import { describeChain } from "./map-failure.js";
import { DatasetMessages, messageNames } from "./messages.js";
import { OutputLocationError, prepareRun, type RunSetup } from "./run-setup.js";
import { keepScratchOnFailure } from "./scratch.js";
import { killGraceMs, STOP_SIGNALS, StepRunner } from "./step-runner.js";

export const USAGE = "usage: caldp-process <dataset> [input=file:.] [output=file:.] [config=caldp-config-onsite]";

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

/** The error- message in the working folder when no step could write the final one (the messages step failed). */
async function writeLocalError(dataset: Dataset, cwd: string, reason: string): Promise<void> {
  const names = messageNames(dataset.name);
  const dir = join(cwd, "messages");
  if (existsSync(join(dir, names.error)) || existsSync(join(dir, names.processed))) return;
  const quiet = new Logger(undefined, () => undefined);
  await new DatasetMessages(dataset.name, [new LocalStore(cwd)], quiet).final("error", { files: [] }, reason);
}

function fail(error: CaldpError): number {
  process.stderr.write(`caldp-process: ${describeChain(error)}\n${explain(error.code)}\n`);
  return error.code;
}

export async function caldpProcess(argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  if (argv.length < 1 || argv.length > 4) {
    process.stderr.write(`${USAGE}\n`);
    return EXIT_CODES.CMDLINE_ERROR;
  }
  const [name, input = "file:.", output = "file:.", config = "caldp-config-onsite"] = argv;
  let childEnv: NodeJS.ProcessEnv;
  let dataset: Dataset;
  let setup: RunSetup;
  let runner: StepRunner | undefined;
  try {
    dataset = parseDataset(name);
    childEnv = { ...env, ...loadConfig(config, env) };
    runner = new StepRunner(killGraceMs(childEnv));
    const where = outputLocation(input, output, dataset, cwd);
    runner.listen();
    const inputDir = input.startsWith("file:") ? fileUriDir(input, cwd) : undefined;
    const warn = (line: string) => process.stdout.write(`WARNING - ${line}\n`);
    setup = prepareRun(dataset, where, cwd, childEnv, inputDir, warn);
  } catch (e) {
    runner?.release();
    const coded = e instanceof CaldpError ? e : codedErrorFor(e);
    if (!coded) throw e;
    if (coded instanceof OutputLocationError) await writeLocalError(parseDataset(name), cwd, describeChain(coded));
    return fail(coded);
  }
  let status: number = EXIT_CODES.GENERIC_ERROR;
  try {
    status = await runSteps(runner, dataset, [input, output, dataset.name, setup.scratchDir], cwd, childEnv);
    return status;
  } finally {
    ignoreLateSignals();
    runner.release();
    if (status === 0 || !keepScratchOnFailure(childEnv)) rmSync(setup.scratchDir, { recursive: true, force: true });
    setup.lock.release();
  }
}

/**
 * From here the outcome is decided and its message written: a signal during the clean-up must not end the process
 * with Node's default 128 + n beside a message that says otherwise (the clean-up is short; SIGKILL still ends it).
 */
function ignoreLateSignals(): void {
  for (const s of STOP_SIGNALS) process.on(s, () => {});
}

async function runSteps(
  runner: StepRunner,
  dataset: Dataset,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const skipped = { status: EXIT_CODES.GENERIC_ERROR as number, stderrTail: "" };
  const processed = runner.stopSignal
    ? skipped
    : await runner.run("process", args, cwd, env, join(cwd, "process_metrics.txt"));
  const previews = runner.stopSignal
    ? undefined
    : await runner.run("preview", args, cwd, env, join(cwd, "preview_metrics.txt"));
  const stopped = runner.stopSignal;
  const messagesEnv = stopped ? { ...env, CALDP_STOP_SIGNAL: stopped } : env;
  const messages = await runner.run("messages", args, cwd, messagesEnv);
  let status = EXIT_CODES.SUCCESS as number;
  if (processed.status !== 0) {
    const memory = isMemoryError(processed.status) || !mentionsMemoryError(join(cwd, "process.txt"));
    status = memory ? processed.status : EXIT_CODES.SUBPROCESS_MEMORY_ERROR;
  } else if (previews && previews.status !== 0) status = previews.status;
  else if (messages.status !== 0) status = messages.status;
  const signal = runner.stopSignal;
  const signum = signal ? (signalNumber(signal) ?? 0) : 0;
  if (messages.status !== 0 || signal) {
    const reason = signal ? explainSignal(signum) : `the messages step failed with status ${messages.status}`;
    await writeLocalError(dataset, cwd, reason);
  }
  if (signal) {
    process.stdout.write(`${explainSignal(signum)}\n`);
    return 128 + signum;
  }
  process.stdout.write(`${explain(status)}\n`);
  return status;
}
