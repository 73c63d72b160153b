import { readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LocalStore, type ObjectStore } from "../io/object-store.js";

/**
 * What the batch needs from the output location: ObjectStore plus reading a key back and removing a prefix.
 * (ObjectStore has neither yet; the S3 store will have to provide both.)
 */
export interface BatchStore extends ObjectStore {
  /** The text of a key, or undefined if there is none. */
  get(key: string): Promise<string | undefined>;
  getBytes(key: string): Promise<Uint8Array | undefined>;
  /** Removes every key under `prefix/`. */
  removeTree(prefix: string): Promise<void>;
  /** The output URI this store was opened for. */
  readonly uri: string;
}

class LocalBatchStore extends LocalStore implements BatchStore {
  constructor(
    root: string,
    readonly uri: string,
  ) {
    super(root);
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

/** `file:<dir>` (relative to cwd) → an absolute `file:` URI, so that workers in other folders find it. */
export function absoluteFileUri(uri: string): string {
  if (!uri.startsWith("file:")) return uri;
  const path = uri.startsWith("file://") ? fileURLToPath(uri) : uri.slice("file:".length);
  return `file:${resolve(path)}`;
}

/**
 * The store of an output location. `file:<dir>`: messages/, control/ and <ds>/ under <dir>. An `s3://` output
 * is not wired yet: it needs the S3 ObjectStore being written in src/io.
 */
export function openOutputStore(uri: string): BatchStore {
  const absolute = absoluteFileUri(uri);
  if (absolute.startsWith("file:")) return new LocalBatchStore(absolute.slice("file:".length), absolute);
  throw new Error(`batch output '${uri}': only file: outputs are supported until the S3 object store lands`);
}
