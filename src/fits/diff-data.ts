import type { Column, ColumnData, Table } from "./bintable.js";
import { closeEnough, type Tolerance, wildcardMatcher } from "./diff-values.js";
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

function isFloat(data: ColumnData): boolean {
  return data instanceof Float32Array || data instanceof Float64Array;
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
