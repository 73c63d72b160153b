import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

export interface ExpectedContent {
  size?: number;
  /** Hex sha1 (CRDS file info). */
  sha1?: string;
}

export interface WrittenContent {
  size: number;
  sha1: string;
}

/** The content on the wire does not match what was announced; worth another attempt. */
export class ContentMismatchError extends Error {}

/**
 * Streams `source` into a temporary file beside `destination` (sha1 and size computed on the way, never holding
 * the content in memory), checks them against `expected`, and only then renames it to `destination`. On any
 * failure the temporary file is removed and `destination` is untouched.
 */
export async function writeVerified(
  source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream,
  destination: string,
  expected: ExpectedContent = {},
): Promise<WrittenContent> {
  await mkdir(dirname(destination), { recursive: true });
  const temporary = join(dirname(destination), `.${basename(destination)}.${randomBytes(4).toString("hex")}.part`);
  const hash = createHash("sha1");
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(source, measure, createWriteStream(temporary));
    const sha1 = hash.digest("hex");
    if (expected.size !== undefined && size !== expected.size) {
      throw new ContentMismatchError(`size ${size} bytes, expected ${expected.size}`);
    }
    if (expected.sha1 !== undefined && sha1 !== expected.sha1.toLowerCase()) {
      throw new ContentMismatchError(`sha1 ${sha1}, expected ${expected.sha1.toLowerCase()}`);
    }
    await rename(temporary, destination);
    return { size, sha1 };
  } finally {
    await rm(temporary, { force: true });
  }
}
