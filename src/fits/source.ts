import { closeSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { FitsError } from "./errors.js";

/** Random access to the bytes of a FITS file. Every read returns a fresh, 8-byte aligned buffer the caller owns. */
export interface ByteSource {
  readonly name: string;
  readonly size: number;
  /** True when the bytes were inflated from a gzip file. */
  readonly compressed: boolean;
  read(offset: number, length: number): Uint8Array;
  close(): void;
}

function fresh(length: number): Uint8Array {
  return new Uint8Array(new ArrayBuffer(length));
}

export class FileSource implements ByteSource {
  readonly compressed = false;
  readonly name: string;
  readonly size: number;
  private fd: number | undefined;

  constructor(path: string) {
    this.name = path;
    try {
      this.fd = openSync(path, "r");
      this.size = fstatSync(this.fd).size;
    } catch (e) {
      throw new FitsError("IO", `cannot open: ${(e as Error).message}`, { file: path });
    }
  }

  read(offset: number, length: number): Uint8Array {
    if (this.fd === undefined) throw new FitsError("IO", "file is closed", { file: this.name });
    const out = fresh(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, out, done, length - done, offset + done);
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
    if (offset + length > this.size) {
      throw new FitsError("TRUNCATED", `file ends at byte ${this.size}, ${offset + length - this.size} bytes short`, {
        file: this.name,
      });
    }
    const out = fresh(length);
    out.set(this.bytes.subarray(offset, offset + length));
    return out;
  }

  close(): void {}
}

/** A file source; gzip-compressed files (by magic number) are inflated into memory. */
export function openSource(path: string): ByteSource {
  const source = new FileSource(path);
  if (source.size >= 2) {
    const magic = source.read(0, 2);
    if (magic[0] === 0x1f && magic[1] === 0x8b) {
      source.close();
      try {
        return new MemorySource(gunzipSync(readFileSync(path)), path, true);
      } catch (e) {
        throw new FitsError("TRUNCATED", `gzip stream is damaged: ${(e as Error).message}`, { file: path });
      }
    }
  }
  return source;
}
