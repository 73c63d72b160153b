/**
 * The process step of caldp-process (CALDP's `python -m caldp.process`): messages, inputs, best references,
 * calibration stages, and the copy of the products into the output tree. Every block runs through runStage,
 * which maps its failures to the CALDP exit code of that block.
 */
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { type Dataset, parseDataset } from "../core/dataset.js";
import { CmdlineError, errorForCode, GenericError } from "../core/errors.js";
import { lookupExit } from "../core/exit-codes.js";
import type { Logger } from "../core/log.js";
import { prepareFileInputs } from "../io/file-input.js";
import { assignBestrefs } from "./assign-bestrefs.js";
import { calEnvPath, readCalEnv } from "./cal-env.js";
import { type Locations, locations, messageStores } from "./locations.js";
import { deleteEndings, type EngineName, managerFor, type StageContext } from "./managers.js";
import { DatasetMessages } from "./messages.js";
import { copyAtomically, recordWritten } from "./output-writes.js";
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
  /** The run's scratch folder, made by caldp-process (see scratch.ts). */
  scratchDir: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
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

/**
 * Copies the products (and the cal env file into env/) to the output folder, each atomically, and records
 * them in the run's manifest; returns the copied names.
 */
function copyOutputs(where: Locations, dataset: Dataset, log: Logger): string[] {
  const { workDir: dir, productDir: out } = where;
  mkdirSync(out, { recursive: true });
  const names = calibratedFiles(dir, dataset);
  for (const name of names) {
    copyAtomically(join(dir, name), join(out, name));
    recordWritten(where.scratchDir, [`${dataset.name}/${name}`]);
    log.info(`Saving ${join(out, name)}`);
  }
  const env = calEnvPath(dir, dataset.name);
  if (existsSync(env)) {
    mkdirSync(join(out, "env"), { recursive: true });
    copyAtomically(env, join(out, "env", basename(env)));
  }
  return names;
}

/** Codes a block of this run owns (CALDP_SIMULATE_ERROR fires them there) or that fire anywhere. */
function ownedCodes(where: Locations): Set<number> {
  const owned = new Set([0, 21, 23, 24, 27, 28, 31, 32, 33, 34]);
  if (where.inputKind === "s3") owned.add(26);
  if (where.inputKind === "astroquery") owned.add(22);
  if (where.s3Output) owned.add(25);
  return owned;
}

/**
 * CALDP_SIMULATE_ERROR for a code that no block of this run owns (S3 with file: I/O, SVM/MVM, 1, 2): CALDP
 * could not simulate those in such a run; here they fail at the start of processing, so every code of the
 * table can be exercised end to end.
 */
function simulateUnownedCode(env: NodeJS.ProcessEnv, log: Logger, where: Locations): void {
  const code = simulatedErrorCode(env);
  if (code === undefined || ownedCodes(where).has(code)) return;
  const error = lookupExit(code)
    ? errorForCode(code, `Simulating error = ${code}`)
    : new GenericError(`CALDP_SIMULATE_ERROR=${code} is not a code of the CALDP exit-code table`);
  reportFatal(log, error);
  throw error;
}

/** The inputs in the work folder: file: as given (tarball or loose files), s3: tarball, astroquery: from MAST. */
async function getInputs(
  uri: string,
  dataset: Dataset,
  where: Locations,
  cwd: string,
  env: NodeJS.ProcessEnv,
  log: Logger,
) {
  if (where.inputKind === "s3") {
    const { prepareS3Inputs } = await import("../io/s3-input.js");
    return runStage({ name: "get inputs from S3", code: "S3_DOWNLOAD_ERROR", log, env }, () =>
      prepareS3Inputs(uri, dataset, where.workDir, { log }),
    );
  }
  if (where.inputKind === "astroquery") {
    const { prepareAstroqueryInputs } = await import("../io/astroquery-inputs.js");
    return runStage({ name: "get inputs from MAST", code: "ASTROQUERY_ERROR", log, env }, () =>
      prepareAstroqueryInputs(dataset, where.workDir, { baseUrl: env.CALDP_MAST_URL, log }),
    );
  }
  return runStage({ name: "get inputs", code: "INPUT_TAR_FILE_ERROR", log, env }, () =>
    prepareFileInputs(uri, dataset, cwd, where.workDir),
  );
}

export async function runProcessStep(options: StepOptions): Promise<void> {
  const { log, cwd } = options;
  const dataset = parseDataset(options.dataset);
  const where = locations(options.inputUri, options.outputUri, dataset, cwd, options.scratchDir);
  const messages = new DatasetMessages(dataset.name, await messageStores(where, cwd), log);
  await messages.init();
  await messages.processing();
  log.datasetDivider(dataset.name, "Processing started");
  simulateUnownedCode(options.env, log, where);
  const engine = engineOf(options.env);
  const inputs = await getInputs(options.inputUri, dataset, where, cwd, options.env, log);
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
  // For file: output this is the upload of CALDP's S3 output, hence its code: a full disk or a lost mount is
  // worth a retry (the output folder itself was checked writable before the run started).
  await runStage({ name: "save outputs", code: "S3_UPLOAD_ERROR", log }, () => copyOutputs(where, dataset, log));
  log.datasetDivider(dataset.name, "Processing completed");
}
