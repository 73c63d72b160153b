/**
 * The preview and messages steps of caldp-process. The messages step copies the four log and metrics files
 * into the output tree and writes the final message from the two steps' exit statuses.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { makeDatasetPreviews } from "../previews/index.js";
import { parseDataset } from "./dataset.js";
import { locations, messageStores } from "./locations.js";
import { DatasetMessages, finalOutcome } from "./messages.js";
import { LOG_FILES, listOutputFiles } from "./outputs.js";
import type { StepOptions } from "./process-step.js";
import { runStage } from "./stage.js";

/** Previews of the calibrated products in the work folder, written to `<products>/previews/`. */
export async function runPreviewStep(options: StepOptions): Promise<void> {
  const { log, cwd } = options;
  const dataset = parseDataset(options.dataset);
  const where = locations(options.inputUri, options.outputUri, dataset, cwd);
  await runStage({ name: "previews", code: "CREATE_PREVIEWS_ERROR", log, env: options.env }, async () => {
    const written = await makeDatasetPreviews({
      dataset: dataset.name,
      inputDir: where.workDir,
      outputDir: join(where.productDir, "previews"),
      instrument: dataset.instrument,
      log,
    });
    log.info(`${written.length} preview files in ${join(where.productDir, "previews")}`);
  });
}

function readIfPresent(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

/**
 * Copies the logs into the output tree (file:) or uploads the products tarball and the logs (s3:, failure →
 * S3_UPLOAD_ERROR with the local files kept), then writes the final message. Returns the message's name.
 */
export async function runMessagesStep(options: StepOptions): Promise<string> {
  const { log, cwd } = options;
  const dataset = parseDataset(options.dataset);
  const where = locations(options.inputUri, options.outputUri, dataset, cwd);
  const outcome = finalOutcome(
    readIfPresent(join(cwd, "process_metrics.txt")),
    readIfPresent(join(cwd, "preview_metrics.txt")),
  );
  const messages = new DatasetMessages(dataset.name, await messageStores(where, cwd), log);
  if (where.s3Output) {
    const { uploadDatasetOutputs } = await import("../io/s3-outputs.js");
    const uploaded = await runStage({ name: "upload outputs", code: "S3_UPLOAD_ERROR", log, env: options.env }, () =>
      uploadDatasetOutputs({
        dataset,
        outputUri: where.s3Output!,
        localOutputDir: where.localOutputRoot,
        logsDir: cwd,
        inputsDir: join(cwd, "inputs"),
        log,
      }),
    );
    return messages.final(outcome, { tarballUri: uploaded.tarballUri ?? "" });
  }
  mkdirSync(join(where.productDir, "logs"), { recursive: true });
  for (const name of LOG_FILES) {
    const source = join(cwd, name);
    if (existsSync(source)) copyFileSync(source, join(where.productDir, "logs", name));
  }
  return messages.final(outcome, { files: listOutputFiles(where.localOutputRoot, dataset) });
}
