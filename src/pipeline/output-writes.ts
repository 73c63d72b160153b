/**
 * Writes into the output tree: every file is copied under a hidden temporary name in its folder and renamed,
 * so a kill at any moment leaves no partial file under a final name; the names written by this run are
 * recorded in the scratch folder's manifest, from which the final message lists the products.
 */
import {
  appendFileSync,
  constants,
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";

/** Temporary names of our writers: `.<name>.<pid>-<random>.tmp` (FitsWriter, previews), `.<hex>.tmp` (messages). */
const TEMP_NAME = /^\..+\.tmp$/;

export function copyAtomically(source: string, target: string): void {
  const temp = join(
    dirname(target),
    `.${basename(target)}.${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`,
  );
  try {
    copyFileSync(source, temp, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
    renameSync(temp, target);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

/** Removes temporary files a killed run left in `dirs` (only called while this run holds the dataset's lock). */
export function removeStaleTemps(dirs: readonly string[]): string[] {
  const removed: string[] = [];
  for (const dir of dirs) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names.filter((n) => TEMP_NAME.test(n))) {
      rmSync(join(dir, name), { recursive: true, force: true });
      removed.push(join(dir, name));
    }
  }
  return removed;
}

const manifestPath = (scratch: string) => join(scratch, "written.txt");

/** Records output files (relative to the output folder, e.g. `<ds>/<file>`) written by this run. */
export function recordWritten(scratch: string, relativePaths: readonly string[]): void {
  if (relativePaths.length) appendFileSync(manifestPath(scratch), relativePaths.map((p) => `${p}\n`).join(""));
}

export function readWritten(scratch: string): Set<string> {
  const path = manifestPath(scratch);
  if (!existsSync(path)) return new Set();
  return new Set(readFileSync(path, "utf8").split("\n").filter(Boolean));
}
