import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { IoError, S3Error } from "./errors.js";
import { describeError, type IoLog, type RetryPolicy, withRetries } from "./remote-retry.js";
import { createS3Client, describeS3Error, isPermanentS3Failure } from "./s3-client.js";
import { parseS3Uri } from "./s3-uri.js";
import { type ExpectedContent, type WrittenContent, writeVerified } from "./verified-file.js";

export interface S3TransferOptions {
  client?: S3Client;
  retry?: RetryPolicy;
  log?: IoLog;
  /** Refuse an object announced larger than this, before its bytes are read (its error from `tooLarge`). */
  maxBytes?: number;
  tooLarge?: (announced: number) => Error;
}

function describeFailure(error: unknown): string {
  const fromS3 = error instanceof Error && ("$metadata" in error || error.name === "TimeoutError");
  return fromS3 ? describeS3Error(error) : describeError(error);
}

/**
 * Downloads `uri` to `destination` as CALDP's crds_s3_get does, but streamed: the object goes to a temporary
 * name beside the destination, its size (the announced length and `expected.size`) and sha1 are checked, and only
 * then is it renamed. Transient failures and mismatches are retried with jittered backoff; a missing object or a
 * denied access is not. Failure: an S3Error naming the URI and the cause.
 */
export async function downloadS3Object(
  uri: string,
  destination: string,
  expected: ExpectedContent = {},
  options: S3TransferOptions = {},
): Promise<WrittenContent> {
  let location: ReturnType<typeof parseS3Uri>;
  try {
    location = parseS3Uri(uri);
  } catch (error) {
    throw new S3Error("download", uri, `Cannot download ${uri}: ${describeError(error)}`);
  }
  const client = options.client ?? createS3Client();
  const what = `download of ${uri}`;
  try {
    return await withRetries(
      what,
      async () => {
        const reply = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
        if (!reply.Body) throw new Error("empty response body");
        const announced = reply.ContentLength;
        if (announced !== undefined && options.maxBytes !== undefined && announced > options.maxBytes) {
          (reply.Body as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
          throw (
            options.tooLarge?.(announced) ?? new S3Error("download", uri, `${uri} has ${announced} bytes, too many`)
          );
        }
        if (announced !== undefined && expected.size !== undefined && announced !== expected.size) {
          (reply.Body as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
          throw new S3Error(
            "download",
            uri,
            `Cannot download ${uri}: the object has ${announced} bytes, expected ${expected.size}`,
          );
        }
        return writeVerified(reply.Body as NodeJS.ReadableStream, destination, {
          size: expected.size ?? announced,
          sha1: expected.sha1,
        });
      },
      {
        ...options.retry,
        log: options.log,
        isRetryable: (e) => !isPermanentS3Failure(e) && !(e instanceof IoError),
      },
    );
  } catch (error) {
    if (error instanceof IoError) throw error;
    // the message carries the cause: the fatal report shows one error
    throw new S3Error("download", uri, `Cannot download ${uri}: ${describeFailure(error)}`);
  }
}
