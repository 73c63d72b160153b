/**
 * Streaming listing of a .tar.gz: the members' headers, read through an asynchronous gunzip with backpressure,
 * so memory stays bounded whatever the members' sizes, and the limits are checked as each header arrives
 * (before any member's data is inflated).
 */
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { TarError } from "./errors.js";

export interface TarMember {
  path: string;
  /** node-tar's type names: File, Directory, SymbolicLink, Link, FIFO, … */
  type: string;
  linkpath: string;
  size: number;
}

export interface TarLimits {
  /** The most members (files, folders, links) a tarball may hold. */
  maxMembers: number;
  /** The most bytes the tarball may inflate to, and the members' data may add up to. */
  maxBytes: number;
}

export const DEFAULT_TAR_LIMITS: TarLimits = { maxMembers: 10_000, maxBytes: 16 * 1024 ** 3 };

/** CALDP_TAR_MAX_MEMBERS and CALDP_TAR_MAX_BYTES over the defaults; a bad value is an TarError. */
export function tarLimitsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): TarLimits {
  const read = (name: string, fallback: number): number => {
    const text = env[name]?.trim();
    if (!text) return fallback;
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new TarError(`${name}='${env[name]}' is not a positive whole number`);
    }
    return value;
  };
  return {
    maxMembers: read("CALDP_TAR_MAX_MEMBERS", DEFAULT_TAR_LIMITS.maxMembers),
    maxBytes: read("CALDP_TAR_MAX_BYTES", DEFAULT_TAR_LIMITS.maxBytes),
  };
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  "0": "File",
  "": "OldFile",
  "1": "Link",
  "2": "SymbolicLink",
  "3": "CharacterDevice",
  "4": "BlockDevice",
  "5": "Directory",
  "6": "FIFO",
  "7": "ContiguousFile",
  g: "GlobalExtendedHeader",
  x: "ExtendedHeader",
  K: "NextFileHasLongLinkpath",
  L: "NextFileHasLongPath",
  S: "SparseFile",
  V: "TapeVolumeHeader",
};
/** Headers that describe the next member (or the archive) rather than being members. */
const META_TYPES = new Set(["g", "x", "K", "L"]);
/** A pax or GNU long-name header larger than this is not a real one. */
const MAX_META_BYTES = 1024 * 1024;
const BLOCK = 512;

/** A malformed archive; extractTarGzSafely reports it as "Cannot read tarball". */
export class TarFormatError extends Error {}

function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? length : end).toString("utf8");
}

/** A numeric field: octal text, or GNU base-256 when the high bit of the first byte is set. */
function numeric(block: Buffer, start: number, length: number): number {
  if (block[start] & 0x80) {
    if (block[start] !== 0x80) throw new TarFormatError("negative or oversized base-256 size field");
    let value = 0;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + block[i];
    if (!Number.isSafeInteger(value)) throw new TarFormatError("size field beyond 2^53");
    return value;
  }
  const digits = text(block, start, length).trim();
  if (digits === "") return 0;
  if (!/^[0-7]+$/.test(digits)) throw new TarFormatError(`invalid numeric field '${digits}'`);
  return Number.parseInt(digits, 8);
}

function checksumOk(block: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i];
  return sum === numeric(block, 148, 8);
}

/** pax records "<length> <key>=<value>\n". */
function paxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let at = 0;
  while (at < data.length && data[at] !== 0) {
    const space = data.indexOf(32, at);
    const length = Number(data.subarray(at, space).toString("ascii"));
    if (space === -1 || !Number.isSafeInteger(length) || length <= space - at || at + length > data.length) {
      throw new TarFormatError("malformed pax extended header");
    }
    const record = data.subarray(space + 1, at + length - 1).toString("utf8");
    const equals = record.indexOf("=");
    if (equals > 0) records.set(record.slice(0, equals), record.slice(equals + 1));
    at += length;
  }
  return records;
}

/** Reads exactly n bytes from an async chunk iterator, keeping what is left over. */
class ChunkReader {
  private pending: Buffer = Buffer.alloc(0);
  inflated = 0;
  constructor(
    private readonly chunks: AsyncIterator<Buffer>,
    private readonly maxInflated: number,
    private readonly onOverflow: () => never,
  ) {}

  private async more(): Promise<boolean> {
    const next = await this.chunks.next();
    if (next.done) return false;
    this.inflated += next.value.length;
    if (this.inflated > this.maxInflated) this.onOverflow();
    this.pending = this.pending.length === 0 ? next.value : Buffer.concat([this.pending, next.value]);
    return true;
  }

  /** n bytes, or undefined at the end of the stream. */
  async read(n: number): Promise<Buffer | undefined> {
    while (this.pending.length < n) if (!(await this.more())) return undefined;
    const out = this.pending.subarray(0, n);
    this.pending = this.pending.subarray(n);
    return out;
  }

  /** Skips n bytes without keeping them; false if the stream ended first. */
  async skip(n: number): Promise<boolean> {
    while (n > 0) {
      if (this.pending.length === 0 && !(await this.more())) return false;
      const take = Math.min(n, this.pending.length);
      this.pending = this.pending.subarray(take);
      n -= take;
    }
    return true;
  }
}

const padded = (size: number) => Math.ceil(size / BLOCK) * BLOCK;

/**
 * The members of `tarball` (gzip), in order. Throws TarError naming the tarball and the limit when the
 * members or their bytes exceed `limits`, TarFormatError for a malformed or truncated archive, and the gunzip
 * or file-system error as is.
 */
export async function listTarGz(tarball: string, limits: TarLimits): Promise<TarMember[]> {
  const gunzip = createGunzip();
  // a read error (ENOENT, EISDIR) destroys gunzip with it, so the loop below sees it
  pipeline(createReadStream(tarball), gunzip, () => {});
  const tooBig = (): never => {
    throw new TarError(
      `Tarball ${tarball} inflates to more than ${limits.maxBytes} bytes (CALDP_TAR_MAX_BYTES); refused before extraction`,
    );
  };
  const reader = new ChunkReader(gunzip[Symbol.asyncIterator](), limits.maxBytes, tooBig);
  const members: TarMember[] = [];
  let total = 0;
  let longPath: string | undefined;
  let longLink: string | undefined;
  let pax = new Map<string, string>();
  try {
    for (;;) {
      const block = await reader.read(BLOCK);
      // an archive that ends at a member boundary without its zero blocks is read as GNU tar reads it (a cut
      // gzip stream fails in gunzip)
      if (block === undefined) break;
      if (block.every((b) => b === 0)) {
        // the end is two zero blocks; readers differ on what follows a lone one, so such an archive is refused
        const next = await reader.read(BLOCK);
        if (next === undefined || next.every((b) => b === 0)) break;
        throw new TarFormatError(`a lone zero block followed by more data after ${members.length} member(s)`);
      }
      if (!checksumOk(block)) throw new TarFormatError(`invalid header checksum after ${members.length} member(s)`);
      const flag = text(block, 156, 1);
      const size = numeric(block, 124, 12);
      if (META_TYPES.has(flag)) {
        if (size > MAX_META_BYTES) throw new TarFormatError(`extended header of ${size} bytes`);
        const data = await reader.read(padded(size));
        if (data === undefined) throw new TarFormatError("archive ends inside an extended header");
        const body = data.subarray(0, size);
        if (flag === "x") pax = paxRecords(body);
        else if (flag === "L") longPath = text(body, 0, size);
        else if (flag === "K") longLink = text(body, 0, size);
        continue;
      }
      const prefix = text(block, 257, 6) === "ustar" ? text(block, 345, 155) : "";
      const name = text(block, 0, 100);
      const path = pax.get("path") ?? longPath ?? (prefix ? `${prefix}/${name}` : name);
      const linkpath = pax.get("linkpath") ?? longLink ?? text(block, 157, 100);
      const dataSize = pax.has("size") ? Number(pax.get("size")) : size;
      if (!Number.isSafeInteger(dataSize) || dataSize < 0) throw new TarFormatError(`bad size of member '${path}'`);
      pax = new Map();
      longPath = longLink = undefined;
      const type = TYPE_NAMES[flag] ?? `type '${flag}'`;
      members.push({ path, type, linkpath, size: dataSize });
      if (members.length > limits.maxMembers) {
        throw new TarError(
          `Tarball ${tarball} has more than ${limits.maxMembers} members (CALDP_TAR_MAX_MEMBERS); refused before extraction`,
        );
      }
      total += dataSize;
      if (total > limits.maxBytes) {
        throw new TarError(
          `Tarball ${tarball}: its members hold more than ${limits.maxBytes} bytes (CALDP_TAR_MAX_BYTES) ` +
            `at '${path}'; refused before extraction`,
        );
      }
      const hasData = type === "File" || type === "OldFile" || type === "ContiguousFile" || !(flag in TYPE_NAMES);
      if (hasData && !(await reader.skip(padded(dataSize)))) {
        throw new TarFormatError(`archive ends inside member '${path}'`);
      }
    }
  } finally {
    gunzip.destroy();
  }
  return members;
}
