/**
 * CRREJTAB row selection and the ACSREJ parameters (calibration.md §2.12): the row with CRSPLIT equal
 * to the number of images (clipped to the table's largest CRSPLIT) whose MEANEXP is the smallest
 * not below the mean exposure time; later rows win ties. Algorithms follow hstcal (BSD-3-Clause,
 * AURA), acsrej/readpar.c.
 */
import { CalibrationError } from "./errors.js";
import type { RowValue } from "./table-rows.js";
import type { TableSchema } from "./table-schema.js";

export type CrrejRow = Readonly<Record<string, RowValue>>;

/** The CRREJTAB columns ACSREJ and WF3REJ read (IRRAMP: WFC3's row for the IR ramp fit). */
export type CrrejColumns = {
  CRSPLIT: number;
  MEANEXP: number;
  SCALENSE: number;
  INITGUES: string;
  SKYSUB: string;
  CRSIGMAS: string;
  CRRADIUS: number;
  CRTHRESH: number;
  BADINPDQ: number;
  CRMASK: number | boolean;
  IRRAMP?: boolean;
};

export const CRREJTAB_COLUMNS: TableSchema<CrrejColumns> = {
  CRSPLIT: "number",
  MEANEXP: "number",
  SCALENSE: "number",
  INITGUES: "string",
  SKYSUB: "string",
  CRSIGMAS: "string",
  CRRADIUS: "number",
  CRTHRESH: "number",
  BADINPDQ: "number",
  CRMASK: "flag",
  IRRAMP: "boolean?",
};

export interface CrrejParameters {
  initgues: string;
  skysub: string;
  /** CRSIGMAS as written in the table, and parsed into float32 values (one iteration each). */
  crsigmas: string;
  sigmas: number[];
  crradius: number;
  crthresh: number;
  /** Percent. */
  scalense: number;
  badinpdq: number;
  crmask: boolean;
  /** EXPTIME total / number of images (float32), written as MEANEXP. */
  meanexp: number;
}

/** Values given on the command line replace the table's. */
export type CrrejOverrides = Partial<Omit<CrrejParameters, "sigmas" | "meanexp">>;

export const MAX_ITERATIONS = 20;

const f = Math.fround;

function cell(row: CrrejRow, name: string): RowValue {
  const wanted = name.toUpperCase();
  for (const key of Object.keys(row)) if (key.toUpperCase() === wanted) return row[key];
  throw new CalibrationError("HEADER_PROBLEM", `column ${wanted} does not exist in CRREJTAB`);
}

function numberCell(row: CrrejRow, name: string): number {
  const value = cell(row, name);
  if (typeof value === "boolean") return value ? 1 : 0;
  return Number(value);
}

function stringCell(row: CrrejRow, name: string): string {
  return String(cell(row, name) ?? "").trim();
}

/** Index of the CRREJTAB row to use for `nImages` exposures totalling `exptimeTotal` seconds. */
export function selectCrrejRow(rows: readonly CrrejRow[], nImages: number, exptimeTotal: number): number {
  const meanexp = f(f(exptimeTotal) / f(nImages));
  let crsplit = nImages;
  const largest = Math.max(...rows.map((row) => numberCell(row, "CRSPLIT")));
  if (crsplit >= largest) crsplit = largest;
  let chosen = -1;
  let smallest = 0;
  rows.forEach((row, index) => {
    const diff = f(f(numberCell(row, "MEANEXP")) - meanexp);
    if (numberCell(row, "CRSPLIT") !== crsplit || !(diff >= 0)) return;
    if (chosen < 0 || diff <= smallest) {
      chosen = index;
      smallest = diff;
    }
  });
  if (chosen < 0) throw new CalibrationError("TABLE_ROW_MISSING", "No matching CRSPLIT and MEANEXP in CRREJTAB");
  return chosen;
}

/** CRSIGMAS "6,5,4" → [6, 5, 4] (separators , ; / or blank, as hstcal strtor); -1 for an illegal string. */
export function parseSigmas(text: string): number[] | -1 {
  const isSeparator = (c: string | undefined) => c === undefined || c === "," || c === ";" || c === "/" || c === " ";
  const values: number[] = [];
  let start = 0;
  while (text[start] === " ") start++;
  if (start >= text.length) return values;
  let at = start;
  while (true) {
    if (isSeparator(text[at])) {
      const part = text.slice(start, at);
      if (!/^[-.\d]/.test(part)) return -1;
      const match = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(part);
      values.push(f(match ? Number.parseFloat(match[0]) : 0));
      if (at >= text.length) break;
      at++;
      start = at;
      while (text[start] === " ") {
        start++;
        at++;
      }
    } else {
      at++;
    }
    if (start >= text.length) break;
  }
  return values;
}

export function crrejParameters(
  rows: readonly CrrejRow[],
  nImages: number,
  exptimeTotal: number,
  overrides: CrrejOverrides = {},
): CrrejParameters {
  const row = rows.length > 0 ? rows[selectCrrejRow(rows, nImages, exptimeTotal)]! : undefined;
  const from = <T>(override: T | undefined, read: (r: CrrejRow) => T): T => {
    if (override !== undefined) return override;
    if (!row) throw new CalibrationError("CAL_FILE_MISSING", "CRREJTAB is needed for the parameters not given");
    return read(row);
  };
  const crsigmas = from(overrides.crsigmas, (r) => stringCell(r, "CRSIGMAS"));
  const sigmas = parseSigmas(crsigmas);
  if (sigmas === -1 || sigmas.length === 0) {
    throw new CalibrationError("INVALID_VALUE", `CRSIGMAS '${crsigmas}' gives no iterations`);
  }
  if (sigmas.length > MAX_ITERATIONS) {
    throw new CalibrationError("INVALID_VALUE", `No more than ${MAX_ITERATIONS} iterations permitted.`);
  }
  return {
    initgues: from(overrides.initgues, (r) => stringCell(r, "INITGUES")),
    skysub: from(overrides.skysub, (r) => stringCell(r, "SKYSUB")),
    crsigmas,
    sigmas,
    crradius: f(from(overrides.crradius, (r) => numberCell(r, "CRRADIUS"))),
    crthresh: f(from(overrides.crthresh, (r) => numberCell(r, "CRTHRESH"))),
    scalense: f(from(overrides.scalense, (r) => numberCell(r, "SCALENSE"))),
    badinpdq: (from(overrides.badinpdq, (r) => numberCell(r, "BADINPDQ")) << 16) >> 16,
    crmask: from(overrides.crmask, (r) => numberCell(r, "CRMASK") !== 0),
    meanexp: f(f(exptimeTotal) / f(nImages)),
  };
}
