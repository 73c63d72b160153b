import type { Logger } from "../core/log.js";
import type { ObjectStore } from "../io/object-store.js";
import { readMetrics } from "./metrics.js";

export type FinalOutcome = "processed" | "error";

/** What the final message says about the products: the files (file: output) or the tarball URI (s3:). */
export type DatasetSync = { files: readonly string[] } | { tarballUri: string };

export const messageNames = (ds: string) => ({
  submit: `submit-${ds}`,
  processing: `processing-${ds}`,
  processed: `processed-${ds}.trigger`,
  error: `error-${ds}`,
});

/**
 * The final message's body: `<name>\n` then one line per output file relative to the output folder (file:
 * output), or only the tarball URI without a newline (s3: output, which CALDP writes over the name).
 */
export function finalMessageBody(name: string, sync: DatasetSync, reason?: string): string {
  if ("tarballUri" in sync) return sync.tarballUri;
  return [name, ...sync.files, ...(reason ? [reason] : [])].map((line) => `${line}\n`).join("");
}

/**
 * processed or error from the two metrics files' `Exit status: N` lines. CALDP summed the last character of
 * each line, so statuses 10, 20, 30 and 40 (SVM_ERROR) passed as success; here the whole number counts, and a
 * missing or unreadable file is an error instead of a crash.
 */
export function finalOutcome(processMetrics: string | undefined, previewMetrics: string | undefined): FinalOutcome {
  const ok = (text: string | undefined) => text !== undefined && readMetrics(text).exitStatus === 0;
  return ok(processMetrics) && ok(previewMetrics) ? "processed" : "error";
}

/**
 * The message files of one dataset (CALDP's Messages), kept under `messages/` in every store given: the local
 * working folder and, for S3 output, the bucket.
 */
export class DatasetMessages {
  private readonly names: ReturnType<typeof messageNames>;

  constructor(
    dataset: string,
    private readonly stores: readonly ObjectStore[],
    private readonly log: Logger,
  ) {
    this.names = messageNames(dataset);
  }

  /** Removes stale error-, processing- and processed- messages of this dataset (in `messages/`, not cwd). */
  async init(): Promise<void> {
    const { error, processing, processed } = this.names;
    for (const name of [error, processing, processed]) await this.removeEverywhere(name);
  }

  /** Writes processing-<ds> (body `processing-<ds>\n`) and removes CALCLOUD's submit-<ds>. */
  async processing(): Promise<void> {
    await this.putEverywhere(this.names.processing, `${this.names.processing}\n`);
    await this.removeEverywhere(this.names.submit);
  }

  /**
   * Writes processed-<ds>.trigger or error-<ds> and removes processing-<ds>. Returns the message's name. An
   * error message of file: output ends with `reason` (the signal that stopped the run, or a failure), if given.
   */
  async final(outcome: FinalOutcome, sync: DatasetSync, reason?: string): Promise<string> {
    const name = outcome === "processed" ? this.names.processed : this.names.error;
    await this.putEverywhere(name, finalMessageBody(name, sync, outcome === "error" ? reason : undefined));
    await this.removeEverywhere(this.names.processing);
    return name;
  }

  private async putEverywhere(name: string, body: string): Promise<void> {
    for (const store of this.stores) {
      await store.put(`messages/${name}`, body);
      this.log.info(`Message file created: ${store.locate(`messages/${name}`)}`);
    }
  }

  private async removeEverywhere(name: string): Promise<void> {
    for (const store of this.stores) await store.remove(`messages/${name}`);
  }
}
