import { readdirSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Dataset } from "../core/dataset.js";
import { S3Error, TarError } from "./errors.js";
import type { FileInputs } from "./file-input.js";
import { describeError } from "./remote-retry.js";
import { downloadS3Object, type S3TransferOptions } from "./s3-download.js";
import { inputTarballKey, parseS3Uri, s3Uri } from "./s3-uri.js";
import { extractTarGzSafely } from "./tar.js";
import { tarLimitsFromEnv } from "./tar-listing.js";

export interface S3Inputs extends FileInputs {
  /** The tarball's URI; the local copy is deleted after extraction, as in CALDP. */
  source: string;
}

/** The input files in `dir`, absolute and sorted: `<ds5>*.fits` (ipst) or `<ds>_input.out` (svm/mvm). */
function inputFiles(dir: string, dataset: Dataset): string[] {
  const wanted =
    dataset.type === "ipst"
      ? (n: string) => n.startsWith(dataset.ds5) && n.endsWith(".fits")
      : (n: string) => n === `${dataset.name}_input.out`;
  return readdirSync(dir)
    .filter(wanted)
    .sort()
    .map((n) => join(dir, n));
}

/**
 * CALDP's `s3://bucket[/prefix]` input: downloads `<prefix>/<ds>.tar.gz` into `workDir` (usually
 * `./inputs/<ds>`, created), extracts it safely there, deletes the tarball and returns the inputs. A failed
 * download is an S3Error; an unsafe, broken or input-less tarball a TarError.
 */
export async function prepareS3Inputs(
  uri: string,
  dataset: Dataset,
  workDir: string,
  options: S3TransferOptions = {},
): Promise<S3Inputs> {
  let source: string;
  try {
    const { bucket, key: prefix } = parseS3Uri(uri);
    source = s3Uri(bucket, inputTarballKey(prefix, dataset.name));
  } catch (error) {
    throw new S3Error("download", uri, `Bad input URI ${uri}: ${describeError(error)}`);
  }
  const dir = resolve(workDir);
  await mkdir(dir, { recursive: true });
  const tarball = join(dir, `${dataset.name}.tar.gz`);
  // the tarball is at most what it may inflate to: a larger object is refused before it fills the disk
  const { maxBytes } = tarLimitsFromEnv();
  const tooLarge = (announced: number) =>
    new TarError(
      `Tarball ${source} has ${announced} bytes, more than ${maxBytes} (CALDP_TAR_MAX_BYTES); refused before download`,
    );
  const written = await downloadS3Object(source, tarball, {}, { ...options, maxBytes, tooLarge });
  options.log?.info(`Downloaded ${source} to ${tarball} (${written.size} bytes)`);
  try {
    await extractTarGzSafely(tarball, dir);
  } catch (error) {
    if (!(error instanceof TarError)) throw error;
    throw new TarError(`${error.message} (downloaded from ${source})`);
  } finally {
    await rm(tarball, { force: true });
  }
  const files = inputFiles(dir, dataset);
  if (files.length === 0) {
    const expected = dataset.type === "ipst" ? `${dataset.ds5}*.fits` : `${dataset.name}_input.out`;
    throw new TarError(`No inputs for ${dataset.name}: the tarball ${source} holds no ${expected}`);
  }
  return { dir, tarball: undefined, files, source };
}
