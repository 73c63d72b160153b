import { constants as bufferConstants } from "node:buffer";
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { FitsError } from "./errors.js";
import { inflateGzip } from "./gunzip.js";

/** Random access to the bytes of a FITS file. Every read returns a fresh, 8-byte aligned buffer the caller owns. */
export interface ByteSource {
  readonly name: string;
  readonly size: number;
  /** True when the bytes were inflated from a gzip file. */
  readonly compressed: boolean;
  read(offset: number, length: number): Uint8Array;
  close(): void;
}

/**
 * The largest data read into one buffer: 4 GiB, 64-bit Node 20's buffer limit, kept on Node 22 and later
 * (whose limit is 2^53 - 1) so that an oversized HDU is the same clear TOO_LARGE on every runtime, not an
 * attempt at allocating its whole size.
 */
export const MAX_BUFFER_BYTES = Math.min(bufferConstants.MAX_LENGTH, 2 ** 32);
/** readSync takes a 32-bit length: larger reads go in pieces. */
const READ_PIECE = 1 << 30;

function fresh(length: number, name: string, offset: number): Uint8Array {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new FitsError("BAD_STRUCTURE", `cannot read ${length} bytes at byte ${offset}`, { file: name });
  }
  if (length > MAX_BUFFER_BYTES) {
    const detail = `${length} bytes at byte ${offset} are more than a buffer holds (${MAX_BUFFER_BYTES})`;
    throw new FitsError("TOO_LARGE", detail, { file: name });
  }
  return new Uint8Array(new ArrayBuffer(length));
}

/** What a special file is, for the refusal message. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  return "not a regular file";
}

/** The cause of a failed system call without the path Node appends (the FitsError names the file). */
export function causeOf(e: unknown): string {
  const error = e as NodeJS.ErrnoException;
  return error.code ? `${error.message.replace(/, \w+ '.*'$/s, "")}` : String(error.message ?? e);
}

export class FileSource implements ByteSource {
  readonly compressed: boolean;
  readonly name: string;
  readonly size: number;
  private fd: number | undefined;

  /**
   * A path, or an open descriptor this source takes over (an unlinked temporary file); `name` is what
   * errors call the file (the .gz file for a source inflated to a temporary file).
   */
  constructor(path: string | number, name = String(path), compressed = false) {
    this.name = name;
    this.compressed = compressed;
    let stats: Stats;
    try {
      // Non-blocking, so that opening a FIFO without a writer does not hang before it is refused.
      this.fd = typeof path === "number" ? path : openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      stats = fstatSync(this.fd);
    } catch (e) {
      this.close();
      throw new FitsError("IO", `cannot open: ${causeOf(e)}`, { file: name });
    }
    if (!stats.isFile()) {
      this.close();
      throw new FitsError("IO", `cannot read: it is ${kindOf(stats)}, not a regular file`, { file: name });
    }
    this.size = stats.size;
  }

  read(offset: number, length: number): Uint8Array {
    if (this.fd === undefined) throw new FitsError("IO", "file is closed", { file: this.name });
    const out = fresh(length, this.name, offset);
    let done = 0;
    while (done < length) {
      let n: number;
      try {
        n = readSync(this.fd, out, done, Math.min(READ_PIECE, length - done), offset + done);
      } catch (e) {
        throw new FitsError("IO", `cannot read at byte ${offset + done}: ${causeOf(e)}`, { file: this.name });
      }
      if (n === 0) break;
      done += n;
    }
    if (done < length) {
      throw new FitsError("TRUNCATED", `file ends at byte ${offset + done}, ${length - done} bytes short`, {
        file: this.name,
      });
    }
    return out;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export class MemorySource implements ByteSource {
  readonly name: string;
  readonly size: number;
  readonly compressed: boolean;
  private readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array, name: string, compressed = false) {
    this.bytes = bytes;
    this.compressed = compressed;
    this.name = name;
    this.size = bytes.byteLength;
  }

  read(offset: number, length: number): Uint8Array {
    const out = fresh(length, this.name, offset);
    if (offset + length > this.size) {
      throw new FitsError("TRUNCATED", `file ends at byte ${this.size}, ${offset + length - this.size} bytes short`, {
        file: this.name,
      });
    }
    out.set(this.bytes.subarray(offset, offset + length));
    return out;
  }

  close(): void {}
}

/** A file source; gzip-compressed files (by magic number) are inflated with bounded memory (see gunzip.ts). */
export function openSource(path: string): ByteSource {
  const source = new FileSource(path);
  if (source.size >= 2) {
    const magic = source.read(0, 2);
    if (magic[0] === 0x1f && magic[1] === 0x8b) {
      const size = source.size;
      source.close();
      const inflated = inflateGzip(path, size);
      if (inflated.bytes) return new MemorySource(inflated.bytes, path, true);
      return new FileSource(inflated.fd, path, true);
    }
  }
  return source;
}
