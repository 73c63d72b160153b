/**
 * Fingerprints of binary tables (calcos' _corrtag EVENTS, its GTI, the _x1d spectra): per column the row count, float64
 * statistics (mean, std, min, max), for a DQ column the count of rows with each bit set, and the values at
 * rows drawn from a seeded stream (the same rows for every column of one table). Compared like images:
 * values within 1e-4 relative (absolute below 1), DQ identical.
 */
import type { FitsFile } from "../../src/fits/index.js";
import { Random } from "../../src/sim/random.js";

export interface ColumnPrint {
  name: string;
  rows: number;
  stats: { mean: number; std: number; min: number; max: number };
  bits?: number[];
  samples: number[];
}

export interface TablePrint {
  extname: string;
  rows: number;
  columns: ColumnPrint[];
}

export const SAMPLED_ROWS = 400;

function statistics(data: ArrayLike<number>): ColumnPrint["stats"] {
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < data.length; k++) {
    const v = Number(data[k]);
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const n = Math.max(data.length, 1);
  const mean = sum / n;
  let squares = 0;
  for (let k = 0; k < data.length; k++) squares += (Number(data[k]) - mean) ** 2;
  return { mean, std: Math.sqrt(squares / n), min, max };
}

function bitCounts(data: ArrayLike<number>): number[] {
  const bits = new Array<number>(16).fill(0);
  for (let k = 0; k < data.length; k++) for (let b = 0; b < 16; b++) if (data[k] & (1 << b)) bits[b]++;
  return bits;
}

/** The named tables of an open file (those it has), numeric columns (scalar or array) only. */
export function tablePrints(fits: FitsFile, extnames: readonly string[], seed: string): TablePrint[] {
  const out: TablePrint[] = [];
  for (const extname of extnames) {
    if (!fits.hdus.some((h) => h.name === extname)) continue;
    const table = fits.readTable(extname);
    const random = new Random(`${seed}/${extname}`);
    const rows = Array.from({ length: Math.min(SAMPLED_ROWS, table.nrows) }, () => random.int(table.nrows));
    const columns = table.columns
      .filter((c) => !Array.isArray(c.data) && typeof c.data !== "string")
      .map((c): ColumnPrint => {
        const data = c.data as ArrayLike<number>;
        // array columns (an _x1d's spectra): elements drawn from their own stream over every row's values
        const own = new Random(`${seed}/${extname}/${c.name}`);
        const picks =
          c.form.repeat === 1 ? rows : Array.from({ length: SAMPLED_ROWS }, () => own.int(Math.max(data.length, 1)));
        const print: ColumnPrint = {
          name: c.name,
          rows: table.nrows,
          stats: statistics(data),
          samples: picks.map((r) => Number(data[r])),
        };
        if (c.name === "DQ") print.bits = bitCounts(data);
        return print;
      });
    out.push({ extname, rows: table.nrows, columns });
  }
  return out;
}

const within = (ours: number, theirs: number) => Math.abs(ours - theirs) <= 1e-4 * Math.max(Math.abs(theirs), 1);

/** Every way the tables differ, one line each (empty when they agree). */
export function compareTables(file: string, ours: readonly TablePrint[], theirs: readonly TablePrint[]): string[] {
  const out: string[] = [];
  for (const t of theirs) {
    const o = ours.find((x) => x.extname === t.extname);
    if (!o) {
      out.push(`${file}[${t.extname}] missing table`);
      continue;
    }
    if (o.rows !== t.rows) out.push(`${file}[${t.extname}] ${o.rows} rows, not ${t.rows}`);
    for (const tc of t.columns) {
      const oc = o.columns.find((c) => c.name === tc.name);
      const at = `${file}[${t.extname}].${tc.name}`;
      if (!oc) {
        out.push(`${at} missing column`);
        continue;
      }
      for (const key of ["mean", "std", "min", "max"] as const) {
        if (!within(oc.stats[key], tc.stats[key])) out.push(`${at} ${key} ${oc.stats[key]}, not ${tc.stats[key]}`);
      }
      if (tc.bits && `${oc.bits}` !== `${tc.bits}`) out.push(`${at} DQ bit counts ${oc.bits}, not ${tc.bits}`);
      const exact = tc.name === "DQ";
      const bad = tc.samples.filter((v, i) => (exact ? oc.samples[i] !== v : !within(oc.samples[i], v))).length;
      if (bad > 0) out.push(`${at} sampled rows: ${bad} of ${tc.samples.length} differ`);
    }
  }
  return out;
}
