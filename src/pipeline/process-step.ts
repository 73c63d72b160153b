/**
 * The process step of caldp-process (CALDP's `python -m caldp.process`): messages, inputs, best references,
 * calibration stages, and the copy of the products into the output tree. Every block runs through runStage,
 * which maps its failures to the CALDP exit code of that block.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { prepareFileInputs } from "../io/file-input.js";
import { LocalStore } from "../io/object-store.js";
import { assignBestrefs } from "./assign-bestrefs.js";
import { calEnvPath, readCalEnv } from "./cal-env.js";
import { type Dataset, parseDataset } from "./dataset.js";
import { CmdlineError, errorForCode, GenericError } from "./errors.js";
import { lookupExit } from "./exit-codes.js";
import type { Logger } from "./log.js";
import { deleteEndings, type EngineName, managerFor, type StageContext } from "./managers.js";
import { DatasetMessages } from "./messages.js";
import { retry } from "./retry.js";
import { simulatedErrorCode } from "./simulate.js";
import { reportFatal, runStage } from "./stage.js";
import { trackVersions } from "./versions.js";

export interface StepOptions {
  dataset: string;
  inputUri: string;
  outputUri: string;
  /** Folder where logs, metrics and messages/ are written (CALDP's cwd). */
  cwd: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
}

/** The output folder of a `file:` output URI: `<dir>/<ds>`. */
export function outputDir(outputUri: string, dataset: Dataset, cwd: string): string {
  if (!outputUri.startsWith("file:")) {
    throw new CmdlineError(`output '${outputUri}' is not supported yet: use file:<dir> (s3:// comes with remote I/O)`);
  }
  return join(cwd, outputUri.slice("file:".length) || ".", dataset.name);
}

function engineOf(env: NodeJS.ProcessEnv): EngineName {
  const engine = (env.CALDP_ENGINE ?? "native").toLowerCase();
  if (engine !== "native" && engine !== "hstcal") {
    throw new CmdlineError(`CALDP_ENGINE='${env.CALDP_ENGINE}' is not one of native, hstcal`);
  }
  return engine;
}

/** The input files after calibration: CALDP's output globs `<ds5>*.fits`, `<ds5>*.tra`. */
function calibratedFiles(dir: string, dataset: Dataset): string[] {
  return readdirSync(dir)
    .filter((n) => n.startsWith(dataset.ds5) && (n.endsWith(".fits") || n.endsWith(".tra")))
    .sort();
}

/** Copies the products (and the cal env file into env/) to the output folder; returns the copied names. */
function copyOutputs(dir: string, out: string, dataset: Dataset, log: Logger): string[] {
  mkdirSync(out, { recursive: true });
  const names = calibratedFiles(dir, dataset);
  for (const name of names) {
    copyFileSync(join(dir, name), join(out, name));
    log.info(`Saving ${join(out, name)}`);
  }
  const env = calEnvPath(dir, dataset.name);
  if (existsSync(env)) {
    mkdirSync(join(out, "env"), { recursive: true });
    copyFileSync(env, join(out, "env", basename(env)));
  }
  return names;
}

/** CALDP's path_finder: an output starting with "none" becomes the file: input (the inputs folder otherwise). */
export function resolveOutputUri(outputUri: string, inputUri: string, dataset: string): string {
  if (!/^none/i.test(outputUri)) return outputUri;
  return inputUri.startsWith("file:") ? inputUri : `file:inputs/${dataset}`;
}

/** Codes that a block of a file:-input ipst run owns (CALDP_SIMULATE_ERROR fires them there) or that fire anywhere. */
const OWNED_HERE = new Set([0, 21, 23, 24, 27, 28, 31, 32, 33, 34]);

/**
 * CALDP_SIMULATE_ERROR for a code that no block of this run owns (S3, astroquery, SVM/MVM, 1, 2): CALDP
 * could not simulate those in such a run; here they fail at the start of processing, so every code of the
 * table can be exercised end to end.
 */
function simulateUnownedCode(env: NodeJS.ProcessEnv, log: Logger): void {
  const code = simulatedErrorCode(env);
  if (code === undefined || OWNED_HERE.has(code)) return;
  const error = lookupExit(code)
    ? errorForCode(code, `Simulating error = ${code}`)
    : new GenericError(`CALDP_SIMULATE_ERROR=${code} is not a code of the CALDP exit-code table`);
  reportFatal(log, error);
  throw error;
}

export async function runProcessStep(options: StepOptions): Promise<void> {
  const { log, cwd } = options;
  const dataset = parseDataset(options.dataset);
  const messages = new DatasetMessages(dataset.name, [new LocalStore(cwd)], log);
  await messages.init();
  await messages.processing();
  log.datasetDivider(dataset.name, "Processing started");
  simulateUnownedCode(options.env, log);
  const engine = engineOf(options.env);
  const out = outputDir(resolveOutputUri(options.outputUri, options.inputUri, dataset.name), dataset, cwd);
  if (!options.inputUri.startsWith("file:")) {
    throw new CmdlineError(
      `input '${options.inputUri}' is not supported yet: use file:<dir> (s3:// and astroquery: come with remote I/O)`,
    );
  }
  const inputs = await runStage({ name: "get inputs", code: "INPUT_TAR_FILE_ERROR", log }, () =>
    prepareFileInputs(options.inputUri, dataset, cwd),
  );
  const env = { ...options.env, ...readCalEnv(inputs.dir, dataset.name, log) };
  const manager = managerFor(dataset);
  const ctx: StageContext = { dataset, dir: inputs.dir, files: inputs.files, log, env };
  const raw = manager.rawFiles(inputs.files);
  await runStage({ name: "version keywords", code: "STAGE1_ERROR", log }, () => trackVersions(raw, env));
  await runStage({ name: "bestrefs", code: "BESTREFS_ERROR", log }, () =>
    retry(() => assignBestrefs(raw, env, log), {
      onRetry: (error, tried, wait) =>
        log.warning(`bestrefs failed (try ${tried}): ${String(error)}; retrying in ${wait.toFixed(1)} s`),
    }),
  );
  manager.prepare?.(ctx);
  await runStage({ name: `stage 1 (${engine})`, code: "STAGE1_ERROR", log }, () => manager.stage1(ctx, engine));
  await runStage({ name: `stage 2 (${engine})`, code: "STAGE2_ERROR", log }, () => manager.stage2(ctx, engine));
  deleteEndings(inputs.dir, readdirSync(inputs.dir), manager.deleteEndings, log);
  copyOutputs(inputs.dir, out, dataset, log);
  log.datasetDivider(dataset.name, "Processing completed");
}
