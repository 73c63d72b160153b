import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import type { Dataset } from "../core/dataset.js";
import { S3UploadError } from "../core/errors.js";
import type { IoLog, RetryPolicy } from "../io/remote-retry.js";
import { createS3Client } from "../io/s3-client.js";
import { type UploadedObject, uploadFileToS3 } from "../io/s3-upload.js";
import { datasetOutputKey, parseS3Uri, s3Uri } from "../io/s3-uri.js";
import { makeTarGz } from "../io/tar.js";
import { LOG_FILES, listOutputFiles } from "./outputs.js";

/** The log and metrics files CALCLOUD reads back from `outputs/<ds>/`. */

export interface DatasetOutputsUpload {
  dataset: Dataset;
  /** `s3://<bucket>[/ignored prefix]`: as in CALDP, the objects go to `s3://<bucket>/outputs/<ds>/`. */
  outputUri: string;
  /** The folder holding `<ds>/` with the products and `<ds>/previews/` (CALDP's `./outputs`). */
  localOutputDir: string;
  /** The folder of the four log and metrics files (CALDP's cwd). */
  logsDir: string;
  log: IoLog;
  /** The folder holding `<ds>/` with the inputs, tarred instead when there are no products (CALDP's fallback). */
  inputsDir?: string;
  client?: S3Client;
  retry?: RetryPolicy;
}

export interface UploadedOutputs {
  /** `s3://<bucket>/outputs/<ds>/<ds>.tar.gz` (the final message's body), or undefined if nothing was tarred. */
  tarballUri: string | undefined;
  objects: UploadedObject[];
}

const megabytesPerSecond = (o: UploadedObject) => (o.size / 1e6 / Math.max(o.seconds, 1e-3)).toFixed(1);

function bucketOf(outputUri: string): string {
  try {
    return parseS3Uri(outputUri).bucket;
  } catch (error) {
    throw new S3UploadError(`Bad output URI ${outputUri}: ${(error as Error).message}`);
  }
}

/** The tar members and their base folder: the products and previews, or the inputs if there are no products. */
function tarContents(options: DatasetOutputsUpload): { base: string; members: string[] } | undefined {
  const ds = options.dataset.name;
  const products = listOutputFiles(options.localOutputDir, options.dataset);
  if (products.some((m) => !m.startsWith(`${ds}/previews/`)))
    return { base: options.localOutputDir, members: products };
  if (options.inputsDir && existsSync(join(options.inputsDir, ds))) {
    options.log.info("No output files found. Tarring inputs for debugging.");
    const members = readdirSync(join(options.inputsDir, ds))
      .sort()
      .map((n) => `${ds}/${n}`);
    if (members.length) return { base: options.inputsDir, members };
  }
  options.log.warning(`No output files and no inputs found for ${ds}: no tarball is uploaded`);
  return undefined;
}

/**
 * Tars `<ds>/<products>` and `<ds>/previews/*` into `<localOutputDir>/<ds>/<ds>.tar.gz` and uploads it to
 * `s3://<bucket>/outputs/<ds>/<ds>.tar.gz`. Nothing local is deleted. Failure: S3UploadError (25).
 */
export async function uploadOutputTarball(options: DatasetOutputsUpload): Promise<UploadedObject | undefined> {
  const bucket = bucketOf(options.outputUri);
  const ds = options.dataset.name;
  const contents = tarContents(options);
  if (!contents) return undefined;
  const tarball = join(options.localOutputDir, ds, `${ds}.tar.gz`);
  try {
    mkdirSync(join(options.localOutputDir, ds), { recursive: true });
    await makeTarGz(contents.base, contents.members, tarball);
  } catch (error) {
    throw new S3UploadError(`Cannot create ${tarball} for upload: ${(error as Error).message}`, { cause: error });
  }
  const uri = s3Uri(bucket, datasetOutputKey(ds, `${ds}.tar.gz`));
  const uploaded = await uploadFileToS3(tarball, uri, options);
  options.log.info(`Uploaded ${tarball} to ${uri}: ${uploaded.size} bytes, ${megabytesPerSecond(uploaded)} MB/s`);
  return uploaded;
}

/** Uploads the log and metrics files present in `logsDir` to `s3://<bucket>/outputs/<ds>/<name>`. */
export async function uploadLogs(options: DatasetOutputsUpload): Promise<UploadedObject[]> {
  const bucket = bucketOf(options.outputUri);
  const ds = options.dataset.name;
  const uploaded: UploadedObject[] = [];
  for (const name of LOG_FILES) {
    const path = join(options.logsDir, name);
    if (!existsSync(path)) {
      options.log.warning(`Log file ${path} not found: not uploaded`);
      continue;
    }
    const object = await uploadFileToS3(path, s3Uri(bucket, datasetOutputKey(ds, name)), options);
    options.log.info(`Uploaded ${path} to ${object.uri}`);
    uploaded.push(object);
  }
  return uploaded;
}

/**
 * The S3 output of a dataset in CALCLOUD's layout (contract §10, §16.1): the products tarball, then the four log
 * and metrics files, each verified after upload. The messages go through an S3Store. Failure: S3UploadError (25),
 * with every local file kept.
 */
export async function uploadDatasetOutputs(options: DatasetOutputsUpload): Promise<UploadedOutputs> {
  const withClient = { ...options, client: options.client ?? createS3Client() };
  const tarball = await uploadOutputTarball(withClient);
  const logs = await uploadLogs(withClient);
  return { tarballUri: tarball?.uri, objects: [...(tarball ? [tarball] : []), ...logs] };
}
