import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";

/** A flat key space with `/`-separated keys: a local folder now, an S3 bucket later. */
export interface ObjectStore {
  put(key: string, body: string | Uint8Array): Promise<void>;
  /** Removing a key that does not exist is not an error. */
  remove(key: string): Promise<void>;
  /** Keys that start with `prefix`, sorted (one level: the part after the last `/` of the prefix). */
  list(prefix: string): Promise<string[]>;
  /** Where a key is, for logs: a path or a URI. */
  locate(key: string): string;
}

function checkKey(key: string): void {
  if (key.startsWith("/") || key.split("/").includes("..")) throw new Error(`bad object key '${key}'`);
}

/** An ObjectStore on a local folder; writes are atomic (temporary name, then rename). */
export class LocalStore implements ObjectStore {
  constructor(readonly root: string) {}

  locate(key: string): string {
    checkKey(key);
    return join(this.root, key);
  }

  async put(key: string, body: string | Uint8Array): Promise<void> {
    const path = this.locate(key);
    mkdirSync(dirname(path), { recursive: true });
    const temp = join(dirname(path), `.${randomBytes(6).toString("hex")}.tmp`);
    writeFileSync(temp, body);
    renameSync(temp, path);
  }

  async remove(key: string): Promise<void> {
    rmSync(this.locate(key), { force: true });
  }

  async list(prefix: string): Promise<string[]> {
    const folder = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
    const start = prefix.slice(folder.length ? folder.length + 1 : 0);
    let names: string[];
    try {
      names = readdirSync(this.locate(folder || "."));
    } catch {
      return [];
    }
    return names
      .filter((n) => n.startsWith(start) && !n.startsWith("."))
      .map((n) => posix.join(folder, n))
      .sort();
  }
}
