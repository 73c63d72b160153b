import { readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LocalStore, type ObjectStore } from "../io/object-store.js";
import { S3Store } from "../io/s3-store.js";
import { isS3Uri, parseS3Uri } from "../io/s3-uri.js";

/** What the batch needs from the output location: ObjectStore plus reading a key back and removing a prefix. */
export interface BatchStore extends ObjectStore {
  /** The text of a key, or undefined if there is none. */
  get(key: string): Promise<string | undefined>;
  getBytes(key: string): Promise<Uint8Array | undefined>;
  /** Removes every key under `prefix/`. */
  removeTree(prefix: string): Promise<void>;
  /** The output URI this store was opened for (normalized: absolute `file:`, `s3://<bucket>`). */
  readonly uri: string;
  /** Where caldp-process's products of a dataset are: `<ds>` for file:, CALCLOUD's `outputs/<ds>` for s3:. */
  productsPrefix(ds: string): string;
}

class LocalBatchStore extends LocalStore implements BatchStore {
  constructor(
    root: string,
    readonly uri: string,
  ) {
    super(root);
  }

  productsPrefix(ds: string): string {
    return ds;
  }

  async getBytes(key: string): Promise<Uint8Array | undefined> {
    try {
      return readFileSync(this.locate(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw e;
    }
  }

  async get(key: string): Promise<string | undefined> {
    const bytes = await this.getBytes(key);
    return bytes === undefined ? undefined : Buffer.from(bytes).toString("utf8");
  }

  async removeTree(prefix: string): Promise<void> {
    rmSync(this.locate(prefix), { recursive: true, force: true });
  }
}

class S3BatchStore extends S3Store implements BatchStore {
  readonly uri: string;

  constructor(bucket: string) {
    super({ bucket, retry: { attempts: 4, baseDelayMs: 500 } });
    this.uri = `s3://${bucket}`;
  }

  productsPrefix(ds: string): string {
    return `outputs/${ds}`;
  }
}

/** `file:<dir>` (relative to cwd) → an absolute `file:` URI, so that workers in other folders find it. */
export function absoluteFileUri(uri: string): string {
  if (!uri.startsWith("file:")) return uri;
  const path = uri.startsWith("file://") ? fileURLToPath(uri) : uri.slice("file:".length);
  return `file:${resolve(path)}`;
}

/**
 * The normalized output location. `s3://<bucket>` and `s3://<bucket>/outputs` are CALCLOUD's layout at the
 * bucket's root (messages/, control/, outputs/<ds>/): caldp-process writes its messages and outputs there
 * whatever the prefix, so a batch under another prefix would split its messages in two; it is refused.
 */
export function outputLocation(uri: string): string {
  if (uri.startsWith("file:")) return absoluteFileUri(uri);
  if (isS3Uri(uri)) {
    let where: ReturnType<typeof parseS3Uri>;
    try {
      where = parseS3Uri(uri);
    } catch (e) {
      throw new Error(`batch output '${uri}': ${(e as Error).message}`);
    }
    if (where.key !== "" && where.key !== "outputs") {
      throw new Error(
        `batch output '${uri}': an s3 output is a bucket (s3://${where.bucket}), laid out as CALCLOUD's; ` +
          "caldp-process ignores any prefix",
      );
    }
    return `s3://${where.bucket}`;
  }
  throw new Error(`batch output '${uri}' is not one of file:<dir>, s3://<bucket>`);
}

const opened = new Map<string, BatchStore>();

/**
 * The store of an output location (one per location and process, so that its S3 client is reused).
 * `file:<dir>`: messages/, control/ and <ds>/ under <dir>; `s3://<bucket>`: messages/, control/, outputs/<ds>/.
 */
export function openOutputStore(uri: string): BatchStore {
  const location = outputLocation(uri);
  let store = opened.get(location);
  if (!store) {
    store = location.startsWith("file:")
      ? new LocalBatchStore(location.slice("file:".length), location)
      : new S3BatchStore(parseS3Uri(location).bucket);
    opened.set(location, store);
  }
  return store;
}
