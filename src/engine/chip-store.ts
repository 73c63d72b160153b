/**
 * Image sets kept in the scratch folder between a program's phases instead of in the main thread's memory, as
 * hstcal keeps its `_blv_tmp` / `_crj_tmp` files: each image set is a small FITS file (SCI, ERR float32 and
 * DQ int16, always full arrays so that every bit comes back), written by the worker that made it and read by
 * the worker that needs it next. The main thread holds the headers only; a product is written from the store
 * one image set at a time. The folder is hidden in the program's folder and removed when the program ends;
 * one left by a program that was killed (SIGKILL, out of memory) is removed by the next run in that folder.
 */
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { createImageSet, dqView, type ImageSet } from "../calib/common/imset.js";
import { FitsError, FitsFile, FitsWriter, Header } from "../fits/index.js";

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

/** The pixels stored at `path`, with the size, geometry and chip of `like` (whose arrays may be empty). */
export function readStoredImageSet(path: string, like: ImageSet): ImageSet {
  const file = FitsFile.open(path);
  try {
    const [sci, err, dq] = ["SCI", "ERR", "DQ"].map((name) => file.readImage(file.hdu(name, 1)).data);
    if (!(sci instanceof Float32Array && err instanceof Float32Array && dq instanceof Int16Array)) {
      throw new FitsError("BAD_STRUCTURE", "is not a stored image set (float32 SCI and ERR, int16 DQ)", { file: path });
    }
    return createImageSet(like.nx, like.ny, { sci, err, dq: dqView(dq), geometry: like.geometry, chip: like.chip });
  } finally {
    file.close();
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
