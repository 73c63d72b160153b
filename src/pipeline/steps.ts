/**
 * The preview and messages steps of caldp-process. The messages step copies the four log and metrics files
 * into the output tree and writes the final message from the two steps' exit statuses.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileUriDir } from "../io/file-input.js";
import { LocalStore } from "../io/object-store.js";
import { makeDatasetPreviews } from "../previews/index.js";
import { parseDataset } from "./dataset.js";
import { CmdlineError } from "./errors.js";
import { DatasetMessages, finalOutcome } from "./messages.js";
import { listOutputFiles } from "./outputs.js";
import { outputDir, resolveOutputUri, type StepOptions } from "./process-step.js";
import { runStage } from "./stage.js";

export const LOG_FILES = ["process.txt", "process_metrics.txt", "preview.txt", "preview_metrics.txt"] as const;

/** Previews of the calibrated products in the input folder, written to `<output>/<ds>/previews/`. */
export async function runPreviewStep(options: StepOptions): Promise<void> {
  const { log, cwd } = options;
  const dataset = parseDataset(options.dataset);
  const out = outputDir(resolveOutputUri(options.outputUri, options.inputUri, dataset.name), dataset, cwd);
  await runStage({ name: "previews", code: "CREATE_PREVIEWS_ERROR", log, env: options.env }, async () => {
    if (!options.inputUri.startsWith("file:"))
      throw new CmdlineError(`input '${options.inputUri}' is not supported yet`);
    const written = await makeDatasetPreviews({
      dataset: dataset.name,
      inputDir: fileUriDir(options.inputUri, cwd),
      outputDir: join(out, "previews"),
      instrument: dataset.instrument,
      log,
    });
    log.info(`${written.length} preview files in ${join(out, "previews")}`);
  });
}

function readIfPresent(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

/** Returns the name of the final message written. */
export async function runMessagesStep(options: StepOptions): Promise<string> {
  const { log, cwd } = options;
  const dataset = parseDataset(options.dataset);
  const out = outputDir(resolveOutputUri(options.outputUri, options.inputUri, dataset.name), dataset, cwd);
  mkdirSync(join(out, "logs"), { recursive: true });
  for (const name of LOG_FILES) {
    const source = join(cwd, name);
    if (existsSync(source)) copyFileSync(source, join(out, "logs", name));
  }
  const outcome = finalOutcome(
    readIfPresent(join(cwd, "process_metrics.txt")),
    readIfPresent(join(cwd, "preview_metrics.txt")),
  );
  const messages = new DatasetMessages(dataset.name, [new LocalStore(cwd)], log);
  return messages.final(outcome, { files: listOutputFiles(dirname(out), dataset) });
}
