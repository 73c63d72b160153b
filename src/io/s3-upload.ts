import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { S3Error } from "./errors.js";
import { describeError, withRetries } from "./remote-retry.js";
import { createS3Client, describeS3Error, isPermanentS3Failure } from "./s3-client.js";
import type { S3TransferOptions } from "./s3-download.js";
import { expectedEtags } from "./s3-etag.js";
import { parseS3Uri } from "./s3-uri.js";

/**
 * lib-storage part size: files above it go up in parts, and the memory in use is about partSize × (queueSize + 1).
 * Measured against Ceph RGW, 5 MiB parts in a queue of 3 upload as fast as larger ones with less memory.
 */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;
const QUEUE_SIZE = 3;

/** 5 MiB, or more for files that would otherwise need more parts than S3 allows. */
export function partSizeFor(size: number): number {
  return Math.max(MIN_PART_SIZE, Math.ceil(size / (MAX_PARTS - 1)));
}

export interface UploadedObject {
  uri: string;
  size: number;
  etag: string;
  seconds: number;
}

/** The stored object is not what was sent; another attempt may fix it. */
class VerificationError extends Error {}

const unquote = (etag: string | undefined) => (etag ?? "").replace(/^"|"$/g, "");

function describeFailure(error: unknown): string {
  const fromS3 = error instanceof Error && ("$metadata" in error || error.name === "TimeoutError");
  return fromS3 ? describeS3Error(error) : describeError(error);
}

/**
 * Uploads the file at `path` to `uri`, streamed from disk (a multipart upload above 5 MiB), then checks the
 * stored object with HeadObject: its size, and its ETag against the MD5 (single part) or multipart MD5 computed
 * from the file, unless the bucket encrypts with KMS (whose ETags are not MD5s). The whole upload is retried with
 * jittered backoff. Failure: an S3Error ("upload") naming the file, the URI and the cause; the file is left alone.
 */
export async function uploadFileToS3(
  path: string,
  uri: string,
  options: S3TransferOptions = {},
): Promise<UploadedObject> {
  const client: S3Client = options.client ?? createS3Client();
  try {
    const { bucket, key } = parseS3Uri(uri);
    const size = (await stat(path)).size;
    const partSize = partSizeFor(size);
    const etagsWanted = expectedEtags(path, size, partSize);
    etagsWanted.catch(() => undefined);
    return await withRetries(
      `upload of ${path} to ${uri}`,
      async () => {
        const started = performance.now();
        const body = createReadStream(path);
        try {
          const upload = new Upload({
            client,
            params: { Bucket: bucket, Key: key, Body: body, ContentLength: size },
            partSize,
            queueSize: QUEUE_SIZE,
            leavePartsOnError: false,
          });
          await upload.done();
        } finally {
          body.destroy();
        }
        const seconds = (performance.now() - started) / 1000;
        const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        if (head.ContentLength !== size) {
          throw new VerificationError(`stored object has ${head.ContentLength} bytes, the file ${size}`);
        }
        const etag = unquote(head.ETag);
        const kms = String(head.ServerSideEncryption ?? "").startsWith("aws:kms");
        const wanted = await etagsWanted;
        if (!kms && !wanted.includes(etag)) {
          throw new VerificationError(`stored object's ETag ${etag} is not the file's (${wanted.join(" or ")})`);
        }
        return { uri, size, etag, seconds };
      },
      { ...options.retry, log: options.log, isRetryable: (e) => !isPermanentS3Failure(e) },
    );
  } catch (error) {
    // the message carries the cause: the fatal report shows one error
    throw new S3Error("upload", uri, `Cannot upload ${path} to ${uri}: ${describeFailure(error)}`);
  }
}
