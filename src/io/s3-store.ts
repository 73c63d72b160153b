import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { S3Error, type S3Operation } from "./errors.js";
import type { ObjectStore } from "./object-store.js";
import { type IoLog, type RetryPolicy, withRetries } from "./remote-retry.js";
import { createS3Client, describeS3Error, isPermanentS3Failure, s3Status } from "./s3-client.js";
import { s3Uri } from "./s3-uri.js";

export interface S3StoreOptions {
  bucket: string;
  client?: S3Client;
  retry?: RetryPolicy;
  log?: IoLog;
}

function checkKey(key: string): void {
  if (key === "" || key.startsWith("/") || key.split("/").includes("..")) throw new Error(`bad object key '${key}'`);
}

/**
 * An ObjectStore on the root of an S3 bucket (CALCLOUD's `messages/<name>` objects). Writes and deletes that
 * fail after the retries are S3Errors of operation "upload", reads and listings of operation "download".
 */
export class S3Store implements ObjectStore {
  readonly bucket: string;
  private readonly client: S3Client;
  private readonly retry: RetryPolicy;
  private readonly log: IoLog | undefined;

  constructor(options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.client = options.client ?? createS3Client();
    this.retry = options.retry ?? {};
    this.log = options.log;
  }

  locate(key: string): string {
    checkKey(key);
    return s3Uri(this.bucket, key);
  }

  async put(key: string, body: string | Uint8Array): Promise<void> {
    const uri = this.locate(key);
    const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    await this.send("upload", `write of ${uri}`, uri, () =>
      this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentLength: bytes.length }),
      ),
    );
  }

  async remove(key: string): Promise<void> {
    const uri = this.locate(key);
    await this.send("upload", `delete of ${uri}`, uri, () =>
      this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })),
    );
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const listed = s3Uri(this.bucket, prefix);
      const page = await this.send("download", `listing of ${listed}`, listed, () =>
        this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, Delimiter: "/", ContinuationToken: token }),
        ),
      );
      for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
      for (const folder of page.CommonPrefixes ?? []) if (folder.Prefix) keys.push(folder.Prefix.replace(/\/$/, ""));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  /** The bytes of a key, or undefined if there is none; a failed read is an S3Error. */
  async getBytes(key: string): Promise<Uint8Array | undefined> {
    const uri = this.locate(key);
    return this.send("download", `read of ${uri}`, uri, async () => {
      try {
        const reply = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
        return reply.Body ? await reply.Body.transformToByteArray() : new Uint8Array();
      } catch (error) {
        if (s3Status(error) === 404 && (error as { name?: string }).name !== "NoSuchBucket") return undefined;
        throw error;
      }
    });
  }

  /** The text (UTF-8) of a key, or undefined if there is none. */
  async get(key: string): Promise<string | undefined> {
    const bytes = await this.getBytes(key);
    return bytes === undefined ? undefined : Buffer.from(bytes).toString("utf8");
  }

  /** Every key under `prefix/` (all levels), sorted. */
  async listTree(prefix: string): Promise<string[]> {
    const start = `${prefix.replace(/\/+$/, "")}/`;
    checkKey(start);
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const listed = s3Uri(this.bucket, start);
      const page = await this.send("download", `listing of ${listed}`, listed, () =>
        this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: start, ContinuationToken: token })),
      );
      for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  /** Removes every key under `prefix/` (one DELETE each: Ceph RGW and S3 agree on those, unlike batch deletes). */
  async removeTree(prefix: string): Promise<void> {
    const keys = await this.listTree(prefix);
    for (let i = 0; i < keys.length; i += 16) await Promise.all(keys.slice(i, i + 16).map((k) => this.remove(k)));
  }

  private async send<T>(operation: S3Operation, what: string, uri: string, request: () => Promise<T>): Promise<T> {
    try {
      return await withRetries(what, request, {
        ...this.retry,
        log: this.log,
        isRetryable: (e) => !isPermanentS3Failure(e),
      });
    } catch (error) {
      throw new S3Error(operation, uri, `S3 ${what} failed: ${describeS3Error(error)}`, { cause: error });
    }
  }
}
