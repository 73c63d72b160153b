/**
 * Calibration reference files named in a primary header ('jref$x6k1256fj_bia.fits', 'N/A'): where
 * they are, and their image sets, tables, PEDIGREE and DESCRIP (calibration.md §0.2).
 */
import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { CalibrationError } from "../calib/common/errors.js";
import type { ImageSet } from "../calib/common/imset.js";
import type { RowValue } from "../calib/common/table-rows.js";
import { type Column, FitsFile, type Header } from "../fits/index.js";
import { readImageSetFile } from "./imset-io.js";
import { readSharedImageSets } from "./shared-image-sets.js";
import type { TaskFunction } from "./worker-pool.js";

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The path a reference keyword names, or undefined for 'N/A' or a blank value. `<var>$name` uses the
 * environment variable <var> (hstcal concatenates it as given; a missing trailing '/' is tolerated here).
 */
export function resolveReference(
  keyword: string,
  value: string | undefined,
  env: Env = process.env,
): string | undefined {
  const text = value?.trim() ?? "";
  if (text === "" || text.toUpperCase() === "N/A") return undefined;
  const dollar = text.indexOf("$");
  if (dollar < 0) return text;
  const variable = text.slice(0, dollar);
  const dir = env[variable];
  if (dir === undefined || dir === "") {
    throw new CalibrationError(
      "CAL_FILE_MISSING",
      `${keyword} = '${text}': environment variable ${variable} is not set`,
    );
  }
  return join(dir, text.slice(dollar + 1));
}

export interface ReferenceInfo {
  keyword: string;
  /** The header value, e.g. jref$x6k1256fj_bia.fits. */
  name: string;
  path: string;
  pedigree: string;
  descrip: string;
}

/**
 * Resolves a required reference keyword and checks that the file exists; the error names the keyword but
 * not the raw (for callers that name the raw and the step themselves).
 */
export function requireReferenceOf(primary: Header, keyword: string, env: Env = process.env): string {
  const value = primary.get(keyword);
  const text = typeof value === "string" ? value.trim() : undefined;
  const path = resolveReference(keyword, text, env);
  if (path === undefined)
    throw new CalibrationError("CAL_FILE_MISSING", `${keyword} is needed but the header says '${text ?? ""}'`);
  if (!existsSync(path))
    throw new CalibrationError("CAL_FILE_MISSING", `${keyword} = '${String(value)}': ${path} does not exist`);
  return path;
}

/** Resolves a required reference keyword and checks that the file exists; the error names the raw and keyword. */
export function requireReference(primary: Header, keyword: string, env: Env = process.env): string {
  return inRawFile(primary, () => requireReferenceOf(primary, keyword, env));
}

/**
 * The raw a primary header was read from, as the engine's error lines name it (`j8cb01a1q_raw.fits`; its
 * FILENAME when the header was made in memory).
 */
export function rawFileOf(primary: Header): string {
  if (primary.location.file) return basename(primary.location.file);
  return String(primary.get("FILENAME") ?? primary.get("ROOTNAME") ?? "(unnamed file)").trim();
}

/** Runs `resolve`; a CalibrationError it throws is the same error with the raw file in front of its message. */
export function inRawFile<T>(primary: Header, resolve: () => T): T {
  try {
    return resolve();
  } catch (e) {
    if (!(e instanceof CalibrationError) || e.message.startsWith(`${rawFileOf(primary)}: `)) throw e;
    throw new CalibrationError(
      e.code,
      `${rawFileOf(primary)}: ${e.message}`,
      e.step === undefined ? {} : { step: e.step },
    );
  }
}

function info(keyword: string, header: Header, path: string): ReferenceInfo {
  return {
    keyword,
    name: header.get(keyword) === undefined ? path : String(header.get(keyword)),
    path,
    pedigree: String(header.get("PEDIGREE") ?? "").trim(),
    descrip: String(header.get("DESCRIP") ?? "").trim(),
  };
}

export interface ReferenceImageFile extends ReferenceInfo {
  imsets: ImageSet[];
}

/**
 * The image sets of a reference file. `shared`: pixels in SharedArrayBuffers, for a reference loaded once and
 * handed to every worker (one copy in memory however many threads use it), only the CCDCHIPs in `chips` if given.
 */
export function readReferenceImage(
  keyword: string,
  path: string,
  options: { shared?: boolean; chips?: readonly number[] } = {},
): ReferenceImageFile {
  const { primary, imsets } = options.shared ? readSharedImageSets(path, options.chips) : readImageSetFile(path);
  return { ...info(keyword, primary, path), imsets: imsets.map((i) => i.set) };
}

/** The worker task that reads a reference image into shared memory (several at once on a worker pool). */
export const SHARED_REFERENCE_TASK: TaskFunction<SharedReferenceArgs, ReferenceImageFile> = {
  module: new URL(import.meta.url),
  fn: sharedReferenceImage.name,
};

/** A reference image to read into shared memory: every image set, or only those of the CCDCHIPs in `chips`. */
export interface SharedReferenceArgs {
  keyword: string;
  path: string;
  chips?: readonly number[];
}

export function sharedReferenceImage(args: SharedReferenceArgs): ReferenceImageFile {
  return readReferenceImage(args.keyword, args.path, { shared: true, chips: args.chips });
}

export interface ReferenceTable extends ReferenceInfo {
  rows: Record<string, RowValue>[];
  /** TFORM element type of each column (upper-case name → letter, e.g. CCDGAIN → "E" or "J"). */
  columnTypes: Record<string, string>;
}

/** Column values per row; array-valued cells (repeat > 1) come back as arrays. */
function rowsOf(columns: Column[], nrows: number): Record<string, RowValue>[] {
  const rows: Record<string, RowValue>[] = Array.from({ length: nrows }, () => ({}));
  for (const column of columns) {
    const data = column.data as ArrayLike<unknown>;
    const perRow = nrows === 0 ? 0 : data.length / nrows;
    for (let r = 0; r < nrows; r++) {
      const name = column.name.toUpperCase();
      if (perRow === 1) rows[r][name] = data[r] as RowValue;
      else rows[r][name] = Array.from({ length: perRow }, (_, k) => data[r * perRow + k]) as unknown as RowValue;
    }
  }
  return rows;
}

/** The rows of a reference table (extension 1 unless named), column names upper-cased. */
export function readReferenceTable(keyword: string, path: string, extension: number | string = 1): ReferenceTable {
  const file = FitsFile.open(path);
  try {
    const table = file.readTable(extension);
    const columnTypes = Object.fromEntries(table.columns.map((c) => [c.name.toUpperCase(), c.form.type]));
    return { ...info(keyword, file.hdus[0].header, path), rows: rowsOf(table.columns, table.nrows), columnTypes };
  } finally {
    file.close();
  }
}
