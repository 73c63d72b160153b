/**
 * Image sets kept in the scratch folder between a program's phases instead of in the main thread's memory, as
 * hstcal keeps its `_blv_tmp` / `_crj_tmp` files: each image set is a small FITS file (SCI, ERR float32 and
 * DQ int16, always full arrays so that every bit comes back), written by the worker that made it and read by
 * the worker that needs it next. The main thread holds the headers only; a product is written from the store
 * one image set at a time. The folder is hidden in the program's folder and removed when the program ends;
 * one left by a program that was killed (SIGKILL, out of memory) is removed by the next run in that folder.
 */
import { closeSync, mkdirSync, openSync, readdirSync, readSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { createImageSet, dqView, type ImageSet } from "../calib/common/imset.js";
import { decodePixels, encodePixels, FitsError, FitsFile, FitsWriter, Header } from "../fits/index.js";

/** This host's name as it goes into a store's name: a pid only means something on the host that made it. */
const HOST = hostname().replace(/[^A-Za-z0-9.-]/g, "_");

export class ChipStore {
  readonly dir: string;
  private made = false;

  constructor(parent: string) {
    this.dir = join(parent, `.caldp-chips-${HOST}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  }

  /** Where the image set named `name` (e.g. `j8cb01a1q_blv_tmp_1`) is kept. */
  path(name: string): string {
    if (!this.made) {
      mkdirSync(this.dir, { recursive: true });
      this.made = true;
    }
    return join(this.dir, `${name}.fits`);
  }

  remove(): void {
    if (this.made) rmSync(this.dir, { recursive: true, force: true });
  }
}

const STORE_NAME = /^\.caldp-chips-(.+)-(\d+)-[a-z0-9]+$/;

/** Whether a process with this id runs on this host (EPERM: it does, as another user's). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/**
 * Removes the chip stores in `parent` whose process is no longer alive (a run SIGKILLed before its
 * `finally`), one log line each; a live process's store, another host's (a folder shared between machines or
 * containers), and anything not named as a store, is left alone.
 * Returns the folders removed.
 */
export function removeDeadChipStores(parent: string, log: (line: string) => void): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return removed; // the run itself reports a folder it cannot read
  }
  for (const name of names) {
    const match = STORE_NAME.exec(name);
    if (match?.[1] !== HOST) continue;
    const pid = Number(match[2]);
    // pid 0 would signal our own process group: never a store's owner
    if (pid <= 0 || pid === process.pid || processAlive(pid)) continue;
    const path = join(parent, name);
    try {
      rmSync(path, { recursive: true, force: true });
      log(`chip store: removed ${path} (process ${pid} is no longer running)`);
      removed.push(path);
    } catch (e) {
      log(`chip store: cannot remove ${path} (process ${pid} is no longer running): ${(e as Error).message}`);
    }
  }
  return removed;
}

function extensionHeader(name: string): Header {
  return new Header().set("EXTNAME", name).set("EXTVER", 1);
}

/** Writes an image set's pixels to `path` (temporary name, renamed). */
export function writeStoredImageSet(path: string, set: ImageSet): void {
  const writer = new FitsWriter(path, { checksum: false });
  try {
    const axes = [set.nx, set.ny];
    writer.writeImage(new Header());
    writer.writeImage(extensionHeader("SCI"), set.sci, axes);
    writer.writeImage(extensionHeader("ERR"), set.err, axes);
    writer.writeImage(extensionHeader("DQ"), new Int16Array(set.dq.buffer, set.dq.byteOffset, set.dq.length), axes);
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}

/**
 * The pixels stored at `path`, with the size, geometry and chip of `like` (whose arrays may be empty); with
 * `err: false` the ERR array is not read (an empty array: for a task that never uses it).
 */
export function readStoredImageSet(path: string, like: ImageSet, planes: { err?: boolean } = {}): ImageSet {
  const file = FitsFile.open(path);
  try {
    const read = (name: string) => file.readImage(file.hdu(name, 1)).data;
    const [sci, dq] = [read("SCI"), read("DQ")];
    const err = planes.err === false ? new Float32Array(0) : read("ERR");
    if (!(sci instanceof Float32Array && err instanceof Float32Array && dq instanceof Int16Array)) {
      throw new FitsError("BAD_STRUCTURE", "is not a stored image set (float32 SCI and ERR, int16 DQ)", { file: path });
    }
    const { geometry, chip } = like;
    // an ERR not read is left empty (createImageSet checks the sizes of the arrays it is given)
    if (err.length === 0)
      return { ...createImageSet(like.nx, like.ny, { sci, err: sci, dq: dqView(dq), geometry, chip }), err };
    return createImageSet(like.nx, like.ny, { sci, err, dq: dqView(dq), geometry, chip });
  } finally {
    file.close();
  }
}

/**
 * One plane (SCI, ERR or DQ) of the image set of `like`'s size stored at `path`: a product is written a plane
 * at a time.
 */
export function readStoredPlane(path: string, plane: "SCI" | "ERR" | "DQ", like: ImageSet): Float32Array | Uint16Array {
  const file = FitsFile.open(path);
  try {
    const data = file.readImage(file.hdu(plane, 1)).data;
    if (plane === "DQ" ? !(data instanceof Int16Array) : !(data instanceof Float32Array)) {
      throw new FitsError("BAD_STRUCTURE", "is not a stored image set (float32 SCI and ERR, int16 DQ)", { file: path });
    }
    if (data.length !== like.nx * like.ny) {
      throw new FitsError("BAD_STRUCTURE", `${plane} has ${data.length} pixels, ${like.nx}x${like.ny} expected`, {
        file: path,
      });
    }
    return data instanceof Int16Array ? dqView(data) : (data as Float32Array);
  } finally {
    file.close();
  }
}

const ERR_BAND_ROWS = 64;

/**
 * The ERR of the image set of `like`'s size stored at `path`, a row at a time (read 64 rows at once): for a
 * step that goes down the rows once and need not hold the whole plane (ACSREJ's inputs).
 */
export function storedErrRows(path: string, like: Pick<ImageSet, "nx" | "ny">): (y: number) => Float32Array {
  const file = FitsFile.open(path);
  let at: number;
  try {
    const hdu = file.hdu("ERR", 1);
    if (hdu.bitpix !== -32 || hdu.dataBytes !== 4 * like.nx * like.ny) {
      throw new FitsError("BAD_STRUCTURE", `has no float32 ERR of ${like.nx}x${like.ny} pixels`, { file: path });
    }
    at = hdu.dataOffset;
  } finally {
    file.close();
  }
  const { nx, ny } = like;
  let band: { y0: number; y1: number; rows: Float32Array } = { y0: 0, y1: 0, rows: new Float32Array(0) };
  // decoded in place, in one buffer for every band: a row is used before the next is asked for
  const buffer = new Uint8Array(4 * nx * Math.min(ERR_BAND_ROWS, ny));
  return (y) => {
    if (y < band.y0 || y >= band.y1) {
      const y1 = Math.min(y + ERR_BAND_ROWS, ny);
      const bytes = buffer.subarray(0, 4 * nx * (y1 - y));
      const fd = openSync(path, "r");
      try {
        for (let done = 0; done < bytes.length; ) {
          const read = readSync(fd, bytes, done, bytes.length - done, at + 4 * nx * y + done);
          if (read === 0) throw new FitsError("TRUNCATED", "file ends inside the ERR data", { file: path });
          done += read;
        }
      } finally {
        closeSync(fd);
      }
      band = { y0: y, y1, rows: decodePixels(bytes, -32, NO_SCALING) as Float32Array };
    }
    return band.rows.subarray((y - band.y0) * nx, (y - band.y0 + 1) * nx);
  };
}

const NO_SCALING = { bscale: 1, bzero: 0 };

const DQ_CHUNK = 1 << 20;

/**
 * Replaces the DQ pixels of the image set stored at `path` in place (same size; SCI and ERR are not touched):
 * a step that only sets flags (WF3REJ's CRMASK) writes 2 bytes a pixel instead of 10.
 */
export function rewriteStoredDq(path: string, dq: Uint16Array): void {
  const file = FitsFile.open(path);
  let at: number;
  try {
    const hdu = file.hdu("DQ", 1);
    if (hdu.bitpix !== 16 || hdu.dataBytes !== 2 * dq.length) {
      throw new FitsError("BAD_STRUCTURE", `has no int16 DQ of ${dq.length} pixels to rewrite`, { file: path });
    }
    at = hdu.dataOffset;
  } finally {
    file.close();
  }
  const signed = new Int16Array(dq.buffer, dq.byteOffset, dq.length);
  const buffer = new Uint8Array(2 * Math.min(DQ_CHUNK, dq.length));
  const fd = openSync(path, "r+");
  try {
    for (let start = 0; start < dq.length; start += DQ_CHUNK) {
      const count = Math.min(DQ_CHUNK, dq.length - start);
      encodePixels(signed, start, count, buffer);
      const bytes = buffer.subarray(0, 2 * count);
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, at + done);
      at += bytes.length;
    }
  } finally {
    closeSync(fd);
  }
}

/** The image set without its pixels (size, geometry and chip kept): what the main thread holds. */
export function withoutPixels(set: ImageSet): ImageSet {
  return { ...set, sci: new Float32Array(0), err: new Float32Array(0), dq: new Uint16Array(0) };
}

/** Writes `set` to `path` when given and returns it without its pixels; returns `set` as is otherwise. */
export function storeIfAsked(set: ImageSet, path: string | undefined): ImageSet {
  if (path === undefined) return set;
  writeStoredImageSet(path, set);
  return withoutPixels(set);
}

/** The pixels of `set`, read from `path` when it is given (the set itself holds none then). */
export function loadIfStored(set: ImageSet, path: string | undefined): ImageSet {
  return path === undefined ? set : readStoredImageSet(path, set);
}
