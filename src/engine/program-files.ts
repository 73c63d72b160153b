/**
 * What the calibration programs (calacs, calwf3) share: resolving the reference keywords of a primary header
 * to files, a per-worker cache of loaded references, and copying and writing product files.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { CalibrationError } from "../calib/common/errors.js";
import type { Header } from "../fits/index.js";
import { setKeyword } from "./headers.js";
import { type ImageSetFile, type ImageSetHdus, writeImageSets } from "./imset-io.js";
import { type Env, inRawFile, resolveReference } from "./reference-files.js";

/** A reference keyword's value (as written in HISTORY) and the file it names. */
export interface ReferenceName {
  name: string;
  path: string;
}

export type ReferenceNames = Partial<Record<string, ReferenceName>>;

/**
 * Resolves each needed reference keyword; an `N/A` is skipped where `optional` allows it, else it is a
 * CAL_FILE_MISSING, as is a named file that does not exist (both naming the raw file and the keyword).
 */
export function resolveReferenceNames(
  primary: Header,
  keywords: readonly string[],
  optional: (keyword: string) => boolean,
  env: Env,
): ReferenceNames {
  return inRawFile(primary, () => resolveNames(primary, keywords, optional, env));
}

function resolveNames(
  primary: Header,
  keywords: readonly string[],
  optional: (keyword: string) => boolean,
  env: Env,
): ReferenceNames {
  const names: ReferenceNames = {};
  for (const keyword of keywords) {
    const value = primary.get(keyword);
    const text = typeof value === "string" ? value.trim() : undefined;
    const path = resolveReference(keyword, text, env);
    if (path === undefined) {
      if (optional(keyword)) continue;
      throw new CalibrationError("CAL_FILE_MISSING", `${keyword} is needed but the header says '${text ?? ""}'`);
    }
    if (!existsSync(path)) {
      throw new CalibrationError("CAL_FILE_MISSING", `${keyword} = '${text}': ${path} does not exist`);
    }
    names[keyword] = { name: text!, path };
  }
  return names;
}

const loaded = new Map<string, unknown>();

/** Loads a reference once per thread (workers keep theirs for the tasks they run). */
export function cachedReference<T>(key: string, load: () => T): T {
  if (!loaded.has(key)) loaded.set(key, load());
  return loaded.get(key) as T;
}

/** Forgets one cached reference of this thread (a step done with it: its memory can go before the run ends). */
export function forgetCachedReference(key: string): void {
  loaded.delete(key);
}

/**
 * A worker task: forgets the thread's cached references (run on every worker of a pool between two
 * rounds, so that a round's references do not stay in memory through the next); returns how many.
 */
export function clearCachedReferences(_args: Record<string, never>): number {
  const count = loaded.size;
  loaded.clear();
  return count;
}

/** A copy of a file's headers sharing the pixel arrays (a product starts from a member's headers). */
export function cloneImageSetFile(file: ImageSetFile): ImageSetFile {
  const copy = (h: ImageSetHdus): ImageSetHdus => ({ ...h, sci: h.sci.clone(), err: h.err.clone(), dq: h.dq.clone() });
  return { primary: file.primary.clone(), imsets: file.imsets.map(copy) };
}

/** Writes a product with CAL_VER and FILENAME set; returns its name. */
export function writeProduct(dir: string, name: string, file: ImageSetFile, calVer: string): string {
  setKeyword(file.primary, "CAL_VER", calVer);
  setKeyword(file.primary, "FILENAME", name);
  writeImageSets(join(dir, name), file);
  return name;
}
