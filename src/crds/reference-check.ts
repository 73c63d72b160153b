/**
 * Checks of a reference file in the cache before calibration uses it: present, a readable regular file, the
 * size and sha1 the CRDS server's download metadata records (when the cached server info lists it), a FITS
 * structure that opens (every HDU header parsed, the data extents inside the file), the DATASUM/CHECKSUM of
 * each HDU that has them, and no infinite value in a table (a gain or a threshold; calibration cannot use it,
 * and would fail later without naming the reference).
 */
import { createHash } from "node:crypto";
import { closeSync, createReadStream, openSync, readSync, statSync } from "node:fs";
import { addSum, checksumBytes, FitsError, FitsFile, type Hdu, isValidTotal, paddedSize } from "../fits/index.js";
import { CrdsError } from "./errors.js";
import { crdsDecode } from "./server-client.js";

/** A reference file that calibration cannot use; the message names the path and the cause. */
export class ReferenceFileError extends CrdsError {}

export interface ReferenceMetadata {
  size?: number;
  sha1?: string;
}

/** Size and sha1 of `name` from a server info's `download_metadata` (plain or crds_encoded), when listed. */
export function downloadMetadata(info: Record<string, unknown>, name: string): ReferenceMetadata {
  let table: unknown;
  try {
    table = crdsDecode(info.download_metadata);
  } catch {
    return {};
  }
  const entry = (table as Record<string, { size?: unknown; sha1sum?: unknown }> | undefined)?.[name];
  if (!entry || typeof entry !== "object") return {};
  const size = Number(entry.size);
  return {
    size: Number.isSafeInteger(size) && size >= 0 ? size : undefined,
    sha1: typeof entry.sha1sum === "string" && /^[0-9a-f]{40}$/i.test(entry.sha1sum) ? entry.sha1sum : undefined,
  };
}

async function sha1Of(path: string): Promise<string> {
  const hash = createHash("sha1");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Throws ReferenceFileError when the file at `path` is missing, unreadable, mismatched or not sound FITS. */
export async function checkReferenceFile(path: string, expected: ReferenceMetadata = {}): Promise<void> {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) throw new ReferenceFileError(`${path} does not exist`);
  if (!stat.isFile()) throw new ReferenceFileError(`${path} is not a regular file`);
  if (expected.size !== undefined && stat.size !== expected.size) {
    throw new ReferenceFileError(`${path} has ${stat.size} bytes; CRDS records ${expected.size}`);
  }
  if (expected.sha1 !== undefined) {
    const sha1 = await sha1Of(path).catch((error: NodeJS.ErrnoException) => {
      throw new ReferenceFileError(`${path} cannot be read: ${error.code ?? error.message}`);
    });
    if (sha1 !== expected.sha1.toLowerCase()) {
      throw new ReferenceFileError(`${path} has sha1 ${sha1}; CRDS records ${expected.sha1.toLowerCase()}`);
    }
  }
  let fits: FitsFile | undefined;
  try {
    fits = FitsFile.open(path);
    for (const hdu of fits.hdus) {
      checkSums(path, hdu);
      if (hdu.type === "bintable" && hdu.dataBytes <= MAX_TABLE_BYTES) checkTableValues(fits, hdu);
    }
  } catch (error) {
    if (error instanceof ReferenceFileError) throw error;
    const message = (error as Error).message.split("\n")[0];
    const code = (error as NodeJS.ErrnoException).code;
    const why = error instanceof FitsError || !code ? `is not sound FITS: ${message}` : `cannot be read: ${code}`;
    throw new ReferenceFileError(`${path} ${why}`);
  } finally {
    fits?.close();
  }
}

/** Tables larger than this are not scanned for infinite values (reference tables are kilobytes to megabytes). */
const MAX_TABLE_BYTES = 64 * 1024 * 1024;
const CHUNK = 4 * 1024 * 1024;

/** The ones' complement sum of `length` bytes from `offset`, read in chunks (a cut file's missing tail as zeros). */
function sumOfRange(fd: number, offset: number, length: number): number {
  const buffer = Buffer.alloc(Math.min(CHUNK, length));
  let sum = 0;
  for (let done = 0; done < length; ) {
    const want = Math.min(buffer.length, length - done);
    const got = readSync(fd, buffer, 0, want, offset + done);
    buffer.fill(0, got, want);
    sum = checksumBytes(buffer.subarray(0, want), sum);
    done += want;
  }
  return sum;
}

/** DATASUM and CHECKSUM of an HDU, where it has them, in bounded memory. */
function checkSums(path: string, hdu: Hdu): void {
  const datasum = hdu.header.get("DATASUM");
  const hasChecksum = hdu.header.has("CHECKSUM");
  if (datasum === undefined && !hasChecksum) return;
  const fd = openSync(path, "r");
  try {
    const dataSum = sumOfRange(fd, hdu.dataOffset, paddedSize(hdu.dataBytes));
    const where = `HDU ${hdu.index}`;
    if (datasum !== undefined && String(datasum).trim() !== String(dataSum)) {
      throw new ReferenceFileError(`${path} ${where}: the data do not match DATASUM = '${datasum}' (damaged file)`);
    }
    if (hasChecksum && !isValidTotal(addSum(sumOfRange(fd, hdu.headerOffset, hdu.headerBytes), dataSum))) {
      throw new ReferenceFileError(`${path} ${where}: the HDU does not match its CHECKSUM (damaged file)`);
    }
  } finally {
    closeSync(fd);
  }
}

const FLOAT_TYPES = new Set(["E", "D", "C", "M"]);

/** An infinite value in a floating-point table column. */
function checkTableValues(fits: FitsFile, hdu: Hdu): void {
  const table = fits.readTable(hdu);
  for (const column of table.columns) {
    if (!FLOAT_TYPES.has(column.form.type)) continue;
    const values = column.data as ArrayLike<number>;
    const per = Math.max(1, values.length / Math.max(1, table.nrows));
    for (let i = 0; i < values.length; i++) {
      if (values[i] === Number.POSITIVE_INFINITY || values[i] === Number.NEGATIVE_INFINITY) {
        throw new ReferenceFileError(
          `${fits.path} HDU ${hdu.index} column ${column.name} row ${Math.floor(i / per) + 1} is ${values[i]}: not a usable reference value`,
        );
      }
    }
  }
}
