import type { Column, ColumnData, Table } from "./bintable.js";
import { closeEnough, type Tolerance, wildcardMatcher } from "./diff-values.js";
import type { PixelArray } from "./pixels.js";
import { formatTForm } from "./tform.js";

export interface DataDiffOptions extends Tolerance {
  /** How many differing values to keep for the report (negative: all). */
  numDiffs: number;
  ignoreFields: readonly string[];
}

export interface ImageDiff {
  kind: "image" | "raw";
  /** The axes (NAXIS1 first) or, for raw data, the byte counts, when they differ; nothing else is compared then. */
  dimensions?: [number[], number[]];
  total: number;
  /** total over the number of values. */
  ratio: number;
  /** The first differences: 1-based FITS coordinates (NAXIS1 first) or, for raw data, the byte index. */
  first: { at: number[]; a: number | bigint; b: number | bigint }[];
  /** Whether the values are 32-bit floats (to print them as such). */
  float32?: boolean;
  /** numpy's names of the two arrays' types, when they differ (int16, float32, …). */
  dtypes?: [string, string];
}

export interface TableDiff {
  kind: "table";
  columnCount?: [number, number];
  /** Columns in one table only (by name and format), with their TFORM. */
  onlyInA: { name: string; format: string }[];
  onlyInB: { name: string; format: string }[];
  /** Column attributes (unit, null, scale, zero, display format, dimensions) that differ. */
  attributes: { column: string; attribute: string; a: string; b: string }[];
  rows?: [number, number];
  /** Rows that differ, summed over the columns. */
  total: number;
  ratio: number;
  first: { column: string; row: number; a: unknown; b: unknown }[];
}

export type DataDiff = ImageDiff | TableDiff;

export function dataIdentical(d: DataDiff): boolean {
  if (d.kind !== "table") return !d.dimensions && d.total === 0;
  return !d.columnCount && !d.onlyInA.length && !d.onlyInB.length && !d.attributes.length && !d.rows && d.total === 0;
}

function isFloat(data: PixelArray | ColumnData): boolean {
  return data instanceof Float32Array || data instanceof Float64Array;
}

/** Pixel by pixel; tolerances apply only when either image holds floating-point values (as in fitsdiff). */
export function diffImages(
  axesA: number[],
  a: PixelArray,
  axesB: number[],
  b: PixelArray,
  options: DataDiffOptions,
): ImageDiff {
  const diff: ImageDiff = { kind: "image", total: 0, ratio: 0, first: [] };
  if (axesA.join() !== axesB.join()) return { ...diff, dimensions: [axesA, axesB] };
  const tolerance = isFloat(a) || isFloat(b) ? options : { rtol: 0, atol: 0 };
  if (a instanceof Float32Array && b instanceof Float32Array) diff.float32 = true;
  if (dtype(a) !== dtype(b)) diff.dtypes = [dtype(a), dtype(b)];
  const keep = options.numDiffs < 0 ? Number.POSITIVE_INFINITY : options.numDiffs;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    // biome-ignore lint/suspicious/noDoubleEquals: a uint64 image (bigint) against a float one
    const same = typeof x === "bigint" || typeof y === "bigint" ? x == y : closeEnough(x, y, tolerance);
    if (same) continue;
    diff.total++;
    if (diff.first.length < keep) diff.first.push({ at: coordinates(i, axesA), a: x, b: y });
  }
  diff.ratio = a.length ? diff.total / a.length : 0;
  return diff;
}

/** numpy's name of a typed array's element type: Int16Array → int16, BigUint64Array → uint64. */
function dtype(data: PixelArray): string {
  return data.constructor.name
    .replace(/Array$/, "")
    .replace(/^Big/, "")
    .toLowerCase();
}

function coordinates(index: number, axes: number[]): number[] {
  const at: number[] = [];
  let rest = index;
  for (const n of axes) {
    at.push((rest % n) + 1);
    rest = Math.floor(rest / n);
  }
  return at;
}

/** Data of HDUs that are neither images nor tables, byte by byte. */
export function diffRaw(a: Uint8Array, b: Uint8Array, options: DataDiffOptions): ImageDiff {
  const diff: ImageDiff = { kind: "raw", total: 0, ratio: 0, first: [] };
  if (a.length !== b.length) return { ...diff, dimensions: [[a.length], [b.length]] };
  const keep = options.numDiffs < 0 ? Number.POSITIVE_INFINITY : options.numDiffs;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    diff.total++;
    if (diff.first.length < keep) diff.first.push({ at: [i], a: a[i], b: b[i] });
  }
  diff.ratio = a.length ? diff.total / a.length : 0;
  return diff;
}

const ATTRIBUTES = [
  ["unit", "units"],
  ["null", "null values"],
  ["scale", "bscales"],
  ["zero", "bzeros"],
  ["disp", "display formats"],
  ["dim", "dimensions"],
] as const;

/** A column's identity in fitsdiff: its name (case-insensitive) and its format. */
function identity(c: Column): string {
  return `${c.name.toLowerCase()}\u0000${c.form.repeat}${c.form.type}${c.form.heapType ?? ""}`;
}

function valueAt(data: ColumnData, i: number): unknown {
  const v = (data as ArrayLike<unknown>)[i];
  return ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v;
}

function sameValue(x: unknown, y: unknown, floats: boolean, tolerance: Tolerance): boolean {
  if (Array.isArray(x) && Array.isArray(y))
    return x.length === y.length && x.every((v, i) => sameValue(v, y[i], true, tolerance));
  if (floats && typeof x === "number" && typeof y === "number") return closeEnough(x, y, tolerance);
  // biome-ignore lint/suspicious/noDoubleEquals: bigint columns against number ones
  return x === y || (typeof x !== "object" && x == y);
}

/** Column by column (matched by name, in name order), row by row; tolerances apply to float columns. */
export function diffTables(
  a: Table,
  b: Table,
  options: DataDiffOptions,
  tforms: [readonly string[], readonly string[]] = [[], []],
): TableDiff {
  const diff: TableDiff = { kind: "table", onlyInA: [], onlyInB: [], attributes: [], total: 0, ratio: 0, first: [] };
  if (a.columns.length !== b.columns.length) diff.columnCount = [a.columns.length, b.columns.length];
  const ignored = wildcardMatcher(options.ignoreFields);
  if (options.ignoreFields.includes("*")) return diff;
  const colsA = a.columns.filter((c) => !ignored(c.name));
  const colsB = b.columns.filter((c) => !ignored(c.name));
  const idsB = new Map(colsB.map((c) => [identity(c), c]));
  const idsA = new Set(colsA.map(identity));
  // the TFORM as the header writes it ('J', not '1J'), as fitsdiff prints it
  const described = (table: Table, side: 0 | 1) => (c: Column) => ({
    name: c.name,
    format: tforms[side][table.columns.indexOf(c)] ?? formatTForm(c.form),
  });
  diff.onlyInA = colsA.filter((c) => !idsB.has(identity(c))).map(described(a, 0));
  diff.onlyInB = colsB.filter((c) => !idsA.has(identity(c))).map(described(b, 1));
  const common = colsA.filter((c) => idsB.has(identity(c))).sort((x, y) => (x.name < y.name ? -1 : 1));
  if (a.nrows !== b.nrows) {
    diff.rows = [a.nrows, b.nrows];
    return diff;
  }
  const keep = options.numDiffs < 0 ? Number.POSITIVE_INFINITY : options.numDiffs;
  for (const colA of common) {
    const colB = idsB.get(identity(colA))!;
    for (const [attribute, label] of ATTRIBUTES) {
      const [x, y] = [String(colA[attribute] ?? ""), String(colB[attribute] ?? "")];
      if (x !== y) diff.attributes.push({ column: colA.name.toUpperCase(), attribute: label, a: x, b: y });
    }
    const per = a.nrows ? colA.data.length / a.nrows : 0;
    const floats = isFloat(colA.data) && isFloat(colB.data);
    const rows = new Set<number>();
    for (let i = 0; i < colA.data.length; i++) {
      const [x, y] = [valueAt(colA.data, i), valueAt(colB.data, i)];
      if (sameValue(x, y, floats, options)) continue;
      const row = Math.floor(i / per);
      if (rows.has(row)) continue;
      rows.add(row);
      if (diff.first.length < keep) diff.first.push({ column: colA.name, row, a: x, b: y });
    }
    diff.total += rows.size;
  }
  const cells = a.columns.length * a.nrows;
  diff.ratio = cells ? diff.total / cells : 0;
  return diff;
}
