/**
 * Fingerprints of table columns (calstis6's sx1/x1d spectra), to compare our full columns with cs0.e's without
 * recording theirs: per column its length, min, max, mean and sum over every value (DQ: also the OR of all values
 * and the count of non-zero ones), the argmax, and the values at indices drawn from the record's sample seed (always
 * the first and the last). Values are kept to 9 significant digits: a float32 exactly, far inside the 1e-4 tolerance.
 */
import { Random } from "../../src/sim/random.js";

export type Columns = Record<string, number[]>;

export interface ColumnPrint {
  length: number;
  min: number;
  max: number;
  mean: number;
  sum: number;
  /** DQ only: the OR of every value and how many are non-zero. */
  or?: number;
  nonzero?: number;
  /** The first index of the largest value. */
  argmax: number;
  /** The values at sampleIndices(sampleSeed, length). */
  samples: number[];
}

export interface ColumnsPrint {
  sampleSeed: number;
  columns: Record<string, ColumnPrint>;
}

export const SAMPLED_VALUES = 64;

const digits = (v: number) => (Number.isInteger(v) ? v : Number(v.toPrecision(9)));

/** The first, the last and up to SAMPLED_VALUES − 2 more indices below `length` drawn from `seed`, ascending. */
export function sampleIndices(seed: number, length: number): number[] {
  if (length === 0) return [];
  const random = new Random(`${seed}/columns/${length}`);
  const picks = new Set([0, length - 1]);
  for (let k = 2; k < SAMPLED_VALUES; k++) picks.add(random.int(length));
  return [...picks].sort((a, b) => a - b);
}

export function columnPrint(values: readonly number[], sampleSeed: number, dq = false): ColumnPrint {
  let sum = 0;
  let argmax = 0;
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    if (values[i] > values[argmax]) argmax = i;
    if (values[i] < min) min = values[i];
  }
  const print: ColumnPrint = {
    length: values.length,
    min: digits(min),
    max: digits(values[argmax] ?? Number.NaN),
    mean: digits(sum / values.length),
    sum: digits(sum),
    argmax,
    samples: sampleIndices(sampleSeed, values.length).map((i) => digits(values[i])),
  };
  if (dq) {
    print.or = values.reduce((a, v) => a | v, 0);
    print.nonzero = values.filter((v) => v !== 0).length;
  }
  return print;
}

export function columnsPrint(columns: Columns, sampleSeed: number): ColumnsPrint {
  const entries = Object.entries(columns).map(([name, v]) => [name, columnPrint(v, sampleSeed, name === "DQ")]);
  return { sampleSeed, columns: Object.fromEntries(entries) };
}

/**
 * Every way our full columns differ from the print: a wrong length, a statistic or a sampled value off by more than
 * 1e-4 relative (DQ: at all); near zero, 1e-4 of the column's largest |value| (times the length for the sum).
 */
export function columnPrintDifferences(mine: Columns, theirs: ColumnsPrint): string[] {
  const bad: string[] = [];
  for (const [name, t] of Object.entries(theirs.columns)) {
    const values = mine[name];
    if (!values) {
      bad.push(`${name}: missing`);
      continue;
    }
    if (values.length !== t.length) bad.push(`${name}: ${values.length} values, cs0.e ${t.length}`);
    const exact = name === "DQ";
    const floor = 1e-4 * Math.max(Math.abs(t.min), Math.abs(t.max));
    const close = (m: number, v: number, scale = 1) =>
      exact ? m === v : Math.abs(m - v) <= 1e-4 * Math.max(Math.abs(v), floor * scale);
    const ours = columnPrint(values, theirs.sampleSeed, exact);
    for (const key of ["min", "max", "mean", "sum", "or", "nonzero"] as const) {
      const v = t[key];
      if (v !== undefined && !close(ours[key] ?? Number.NaN, v, key === "sum" ? t.length : 1))
        bad.push(`${name} ${key} ${ours[key]}, cs0.e ${v}`);
    }
    const at = [...sampleIndices(theirs.sampleSeed, t.length), t.argmax];
    [...t.samples, t.max].forEach((v, k) => {
      const m = values[at[k]] ?? Number.NaN;
      if (!close(m, v)) bad.push(`${name}[${at[k]}] ${m}, cs0.e ${v}`);
    });
  }
  return bad;
}
