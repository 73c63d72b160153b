/**
 * IMPHTTAB lookup (calibration.md §3): the row whose OBSMODE matches, and its value, interpolated
 * linearly axis by axis for parameterised modes (mjd#, fr...#). Algorithms follow hstcal
 * (BSD-3-Clause, AURA), lib/getphttab.c.
 */
import { CalibrationError } from "./errors.js";

export type PhotCell = string | number | bigint | boolean | null | undefined | ArrayLike<number> | readonly string[];
export type PhotRow = Readonly<Record<string, PhotCell>>;

export interface Imphttab {
  name: string;
  pedigree: string;
  descrip: string;
  /** Primary PARNUM, PHOTZPT, NEXTEND and EXTRAP (false when absent). */
  parnum: number;
  photzpt: number;
  nextend: number;
  extrap: boolean;
  /** Rows of each BINTABLE extension, by EXTNAME (PHOTFLAM, PHOTPLAM, PHOTBW, ...). */
  extensions: Readonly<Record<string, readonly PhotRow[]>>;
}

/** The extension read for each of extensions 1..NEXTEND (hstcal's photnames table). */
export const PHOT_VARIABLES = ["PHOTFLAM", "PHOTPLAM", "PHOTBW", "PHTFLAM1", "PHTFLAM2"] as const;

/** The value returned when a parameter lies outside the table and extrapolation is not allowed. */
export const EXTRAPOLATION_FLAG = -9999;

export interface ParsedObsmode {
  /** The obsmode with parameter values removed (e.g. acs,wfc1,f606w,mjd#). */
  obsmode: string;
  /** Parameter names with their trailing '#', and values. */
  names: string[];
  values: number[];
}

/** PHOTMODE → obsmode: lower case, blanks replaced by commas. */
export function obsmodeOf(photmode: string): string {
  return photmode.replace(/ /g, ",").toLowerCase();
}

/** C atof: the longest numeric prefix, 0 when there is none. */
function atof(text: string | undefined): number {
  const match = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text ?? "");
  return match ? Number.parseFloat(match[0]) : 0;
}

function tokens(text: string, separator: string): string[] {
  return text.split(separator).filter((t) => t.length > 0);
}

export function parseObsmode(obsmode: string): ParsedObsmode {
  const parts = tokens(obsmode, ",");
  const withValue = parts.filter((t) => t.includes("#"));
  if (withValue.length === 0) return { obsmode, names: [], values: [] };
  const names: string[] = [];
  const values: number[] = [];
  for (const part of withValue) {
    const [name, value] = tokens(part, "#");
    names.push(`${name ?? ""}#`);
    values.push(atof(value));
  }
  const stripped = parts.map((t) => (t.includes("#") ? t.slice(0, t.indexOf("#") + 1) : t));
  return { obsmode: stripped.join(","), names, values };
}

/** hstcal CompareObsModes: same length, and every table component occurs (as a substring) in ours. */
export function obsmodesMatch(tableMode: string, obsmode: string): boolean {
  if (tableMode.length !== obsmode.length) return false;
  const ours = obsmode.toLowerCase();
  return tokens(tableMode.toLowerCase(), ",").every((component) => ours.includes(component));
}

function column(row: PhotRow, name: string): PhotCell {
  if (name in row) return row[name];
  const wanted = name.toUpperCase();
  for (const key of Object.keys(row)) if (key.toUpperCase() === wanted) return row[key];
  return undefined;
}

function numberColumn(row: PhotRow, name: string): number {
  const value = column(row, name);
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  throw new CalibrationError("INVALID_VALUE", `IMPHTTAB column ${name} is not a number`);
}

function arrayColumn(row: PhotRow, name: string, length: number): number[] {
  const value = column(row, name);
  if (value === null || typeof value !== "object" || !("length" in value) || value.length < length) {
    throw new CalibrationError("INVALID_VALUE", `IMPHTTAB column ${name} has fewer than ${length} values`);
  }
  return Array.from({ length }, (_, k) => Number((value as ArrayLike<number>)[k]));
}

function stringColumn(row: PhotRow, name: string): string {
  const value = column(row, name);
  return typeof value === "string" ? value.trimEnd() : String(value ?? "");
}

/** Straddling indices of val in x (hstcal computebounds). */
function bounds(x: readonly number[], val: number): [number, number] {
  const nx = x.length;
  if (x[nx - 1]! <= val) return [nx - 2, nx - 1];
  let i0 = 0;
  for (let n = 0; n < nx; n++) {
    if (x[n]! <= val) {
      i0 = n;
      continue;
    }
    if (n > 0 && n < nx - 1) return [i0, n];
    return n === 0 ? [0, 1] : [nx - 2, nx - 1];
  }
  return [i0, i0 + 1];
}

/** Straight line through the straddling samples; NaN at a singularity (hstcal returns an error). */
function linterp(x: readonly number[], fx: readonly number[], xpos: number): number {
  const [i0, i1] = bounds(x, xpos);
  const dx = x[i1]! - x[i0]!;
  if (dx === 0) return Number.NaN;
  return fx[i0]! + ((xpos - x[i0]!) * (fx[i1]! - fx[i0]!)) / dx;
}

/** Value of one matching row: scalar, or interpolated in the n-D grid (hstcal ComputeValue). */
export function rowValue(row: PhotRow, photvar: string, parsed: ParsedObsmode, extrap: boolean): number {
  const datacol = stringColumn(row, "DATACOL");
  const ndim = datacol.length > photvar.length ? Number.parseInt(datacol.slice(photvar.length), 10) || 0 : 0;
  if (ndim === 0) return numberColumn(row, photvar);
  const nelem: number[] = [];
  const grid: number[][] = [];
  const obsvals: number[] = [];
  for (let d = 0; d < ndim; d++) {
    const n = numberColumn(row, `NELEM${d + 1}`);
    nelem.push(n);
    grid.push(arrayColumn(row, `PAR${d + 1}VALUES`, n));
    const tableName = stringColumn(row, `PAR${d + 1}NAMES`).toLowerCase();
    const found = parsed.names.findIndex((name) => name.toLowerCase().startsWith(tableName));
    const value = found >= 0 ? parsed.values[found]! : 0;
    if (value === 0) return 0; // hstcal reports "No obsmode value found" and the value becomes 0
    obsvals.push(value);
    const outside = value < grid[d]![0]! || value > grid[d]![n - 1]!;
    // hstcal checks the obsmode's parameter at the same position for "mjd#".
    if (outside && (!extrap || parsed.names[d]?.toLowerCase() !== "mjd#")) return EXTRAPOLATION_FLAG;
  }
  const results = arrayColumn(
    row,
    `${photvar}${ndim}`,
    nelem.reduce((a, b) => a * b, 1),
  );
  const lower: number[] = [];
  for (let d = 0; d < ndim; d++) {
    const values = grid[d]!;
    const n = nelem[d]!;
    const index =
      obsvals[d]! < values[0]!
        ? 0
        : obsvals[d]! > values[n - 1]!
          ? n - 1
          : linterp(
              values,
              values.map((_, k) => k),
              obsvals[d]!,
            );
    if (Number.isNaN(index)) return 0;
    const indices = values.map((_, k) => k);
    lower.push(bounds(indices, Math.floor(index))[0]);
  }
  // Corner c has bit d set for the upper bound in dimension d; reduce dimension 0 first, then 1, ...
  let corners = Array.from({ length: 2 ** ndim }, (_, c) => {
    let offset = 0;
    let stride = 1;
    for (let d = 0; d < ndim; d++) {
      offset += (lower[d]! + ((c >> d) & 1)) * stride;
      stride *= nelem[d]!;
    }
    return results[offset]!;
  });
  for (let d = 0; d < ndim; d++) {
    const x = [grid[d]![lower[d]!]!, grid[d]![lower[d]! + 1]!];
    const next: number[] = [];
    for (let c = 0; c < corners.length; c += 2) {
      const value = linterp(x, [corners[c]!, corners[c + 1]!], obsvals[d]!);
      if (Number.isNaN(value)) return 0;
      next.push(value);
    }
    corners = next;
  }
  return corners[0]!;
}

export interface PhotLookup {
  /** PHOTFLAM, PHOTPLAM, PHOTBW (and PHTFLAM1/2 when NEXTEND says so), in double precision. */
  values: Record<string, number>;
  photzpt: number;
  /** Warnings (e.g. a DUMMY row). */
  warnings: string[];
}

export function lookupPhotometry(table: Imphttab, photmode: string): PhotLookup {
  const parsed = parseObsmode(obsmodeOf(photmode));
  const values: Record<string, number> = {};
  const warnings: string[] = [];
  for (const photvar of PHOT_VARIABLES.slice(0, table.nextend)) {
    const rows = table.extensions[photvar];
    if (!rows) throw new CalibrationError("CAL_FILE_MISSING", `IMPHTTAB extension ${photvar} not found`);
    const index = rows.findIndex((row) => obsmodesMatch(stringColumn(row, "OBSMODE"), parsed.obsmode));
    if (index < 0) {
      throw new CalibrationError("TABLE_ROW_MISSING", `Matching row not found in IMPHTTAB: ${parsed.obsmode}`);
    }
    const row = rows[index]!;
    if (stringColumn(row, "PEDIGREE").toUpperCase().startsWith("DUMMY")) {
      warnings.push(`Row ${index + 1} of IMPHTTAB is DUMMY.`);
    }
    values[photvar] = rowValue(row, photvar, parsed, table.extrap);
  }
  return { values, photzpt: table.photzpt, warnings };
}
