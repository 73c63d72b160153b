/**
 * The preview and messages steps of caldp-process. The messages step copies the four log and metrics files
 * into the output tree and writes the final message from the two steps' exit statuses.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parseDataset } from "../core/dataset.js";
import { explainSignal, signalNumber } from "../core/signals.js";
import { makeDatasetPreviews } from "../previews/index.js";
import { locations, messageStores } from "./locations.js";
import { describeChain } from "./map-failure.js";
import { DatasetMessages, finalOutcome } from "./messages.js";
import { copyAtomically, readWritten, recordWritten } from "./output-writes.js";
import { LOG_FILES, listOutputFiles } from "./outputs.js";
import type { StepOptions } from "./process-step.js";
import { runStage } from "./stage.js";

/** Previews of the calibrated products in the work folder, written to `<products>/previews/`. */
export async function runPreviewStep(options: StepOptions): Promise<void> {
  const { log, cwd } = options;
  const dataset = parseDataset(options.dataset);
  const where = locations(options.inputUri, options.outputUri, dataset, cwd, options.scratchDir);
  await runStage({ name: "previews", code: "CREATE_PREVIEWS_ERROR", log, env: options.env }, async () => {
    const written = await makeDatasetPreviews({
      dataset: dataset.name,
      inputDir: where.workDir,
      outputDir: join(where.productDir, "previews"),
      instrument: dataset.instrument,
      log,
    });
    recordWritten(
      where.scratchDir,
      written.map((p) => `${dataset.name}/previews/${basename(p)}`),
    );
    log.info(`${written.length} preview files in ${join(where.productDir, "previews")}`);
  });
}

function readIfPresent(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

/**
 * The products of this run as the final message lists them: the output folder's products that this run
 * wrote. Others (left by an earlier run) are named in the log, not listed.
 */
function thisRunsProducts(options: StepOptions, outputRoot: string): string[] {
  const written = readWritten(options.scratchDir);
  const found = listOutputFiles(outputRoot, parseDataset(options.dataset));
  const stale = found.filter((f) => !written.has(f));
  if (stale.length) options.log.warning(`Not written by this run, not listed in the message: ${stale.join(" ")}`);
  return found.filter((f) => written.has(f));
}

/** The signal that stopped the run (told by caldp-process), for the log and the error message. */
function stopSignalLine(env: NodeJS.ProcessEnv): string | undefined {
  const signal = env.CALDP_STOP_SIGNAL;
  const signum = signal ? signalNumber(signal) : undefined;
  return signum === undefined ? undefined : explainSignal(signum);
}

/**
 * Copies the logs into the output tree (file:) or uploads the products tarball and the logs (s3:, failure →
 * S3_UPLOAD_ERROR with the local files kept), then writes the final message. Returns the message's name.
 * An output folder that cannot take the logs makes the run an error (S3_UPLOAD_ERROR, the file: equivalent of
 * a failed upload), but the final message is still written in the working folder.
 */
export async function runMessagesStep(options: StepOptions): Promise<string> {
  const { log, cwd } = options;
  const dataset = parseDataset(options.dataset);
  const where = locations(options.inputUri, options.outputUri, dataset, cwd, options.scratchDir);
  const stopped = stopSignalLine(options.env);
  if (stopped) log.error(`Run stopped: ${stopped}`);
  let outcome = finalOutcome(
    readIfPresent(join(cwd, "process_metrics.txt")),
    readIfPresent(join(cwd, "preview_metrics.txt")),
  );
  if (stopped) outcome = "error";
  const messages = new DatasetMessages(dataset.name, await messageStores(where, cwd), log);
  if (where.s3Output) {
    const { uploadDatasetOutputs } = await import("./s3-outputs.js");
    const uploaded = await runStage({ name: "upload outputs", code: "S3_UPLOAD_ERROR", log, env: options.env }, () =>
      uploadDatasetOutputs({
        dataset,
        outputUri: where.s3Output!,
        localOutputDir: where.localOutputRoot,
        logsDir: cwd,
        inputsDir: where.scratchDir,
        log,
      }),
    );
    return messages.final(outcome, { tarballUri: uploaded.tarballUri ?? "" });
  }
  let failure: unknown;
  try {
    // no CALDP_SIMULATE_ERROR here ({}): a simulated memory failure belongs to the steps that run it
    await runStage({ name: "copy logs", code: "S3_UPLOAD_ERROR", log, env: {} }, () => {
      mkdirSync(join(where.productDir, "logs"), { recursive: true });
      for (const name of LOG_FILES) {
        const source = join(cwd, name);
        if (existsSync(source)) copyAtomically(source, join(where.productDir, "logs", name));
      }
    });
  } catch (error) {
    failure = error;
    outcome = "error";
  }
  const name = await messages.final(
    outcome,
    { files: failure ? [] : thisRunsProducts(options, where.localOutputRoot) },
    stopped ?? (failure ? describeChain(failure) : undefined),
  );
  if (failure) throw failure;
  return name;
}
