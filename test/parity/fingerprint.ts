/**
 * Fingerprints of calibrated products, to compare our engine with hstcal's C programs without their files:
 * per SCI/ERR/DQ extension the shape, SCI/ERR statistics, the count of DQ pixels with each bit set, and the
 * values at pixels drawn from a seeded stream (the same positions for every extension of one imset); for the
 * cases that ask, the headers too (header-print.ts).
 */
import { FitsFile } from "../../src/fits/index.js";
import { Random } from "../../src/sim/random.js";
import { compareHeaders, type HeaderPrint, headerPrints } from "./header-print.js";
import { compareTables, type TablePrint, tablePrints } from "./table-print.js";

export interface ExtensionPrint {
  extname: "SCI" | "ERR" | "DQ";
  extver: number;
  axes: number[];
  /** SCI/ERR: mean, standard deviation, min, max over every pixel (float64 sums). */
  stats?: { mean: number; std: number; min: number; max: number };
  /** DQ: how many pixels have bit b set, b = 0…15. */
  bits?: number[];
  /** Values at the sampled positions (row-major index y * nx + x). */
  samples: number[];
}

export interface ProductPrint {
  file: string;
  samplePositions: Record<string, number[]>;
  extensions: ExtensionPrint[];
  headers?: HeaderPrint[];
  /** Binary tables (COS _corrtag: EVENTS, GTI), see table-print.ts. */
  tables?: TablePrint[];
}

export const SAMPLES_PER_IMSET = 300;

/** The fingerprint of one product; `seed` fixes the sampled positions; `tables` names the tables to print. */
export function fingerprintProduct(
  path: string,
  file: string,
  seed: number,
  withHeaders = false,
  tables: readonly string[] = [],
): ProductPrint {
  const fits = FitsFile.open(path);
  try {
    const extensions: ExtensionPrint[] = [];
    const samplePositions: Record<string, number[]> = {};
    const versions = fits.hdus.filter((h) => h.name === "SCI" && h.type === "image").map((h) => h.ver);
    for (const ver of versions) {
      const sci = fits.readImage("SCI", { ver });
      const count = sci.axes.reduce((a, b) => a * b, 1);
      const random = new Random(`${seed}/${file}/${ver}`);
      const positions = Array.from({ length: SAMPLES_PER_IMSET }, () => random.int(count));
      samplePositions[String(ver)] = positions;
      for (const extname of ["SCI", "ERR", "DQ"] as const) {
        const image = extname === "SCI" ? sci : fits.readImage(extname, { ver });
        const data = image.data as ArrayLike<number>;
        const print: ExtensionPrint = {
          extname,
          extver: ver,
          axes: image.axes,
          samples: positions.map((k) => data[k]),
        };
        if (extname === "DQ") print.bits = bitCounts(data);
        else print.stats = statistics(data);
        extensions.push(print);
      }
    }
    const print: ProductPrint = { file, samplePositions, extensions };
    if (withHeaders) print.headers = headerPrints(fits);
    if (tables.length > 0) print.tables = tablePrints(fits, tables, `${seed}/${file}`);
    return print;
  } finally {
    fits.close();
  }
}

function statistics(data: ArrayLike<number>): ExtensionPrint["stats"] {
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < data.length; k++) {
    const v = data[k];
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / data.length;
  let squares = 0;
  for (let k = 0; k < data.length; k++) squares += (data[k] - mean) ** 2;
  return { mean, std: Math.sqrt(squares / data.length), min, max };
}

function bitCounts(data: ArrayLike<number>): number[] {
  const bits = new Array<number>(16).fill(0);
  for (let k = 0; k < data.length; k++) {
    const v = data[k];
    if (v === 0) continue;
    for (let b = 0; b < 16; b++) if (v & (1 << b)) bits[b]++;
  }
  return bits;
}

/** |ours - theirs| within `relative` of max(|theirs|, 1): values near zero are compared absolutely. */
export function withinRelative(ours: number, theirs: number, relative = 1e-4): boolean {
  return Math.abs(ours - theirs) <= relative * Math.max(Math.abs(theirs), 1);
}

export interface Difference {
  file: string;
  extname: string;
  extver: number;
  what: string;
  count: number;
  of: number;
  largest: number;
}

/** Every way `ours` differs from `theirs` (empty when they agree: SCI/ERR within 1e-4 relative, DQ identical). */
export function compareProducts(ours: ProductPrint, theirs: ProductPrint): Difference[] {
  const out: Difference[] = [];
  for (const t of theirs.extensions) {
    const o = ours.extensions.find((e) => e.extname === t.extname && e.extver === t.extver);
    const at = { file: theirs.file, extname: t.extname, extver: t.extver };
    if (!o) {
      out.push({ ...at, what: "missing extension", count: 1, of: 1, largest: Number.NaN });
      continue;
    }
    if (o.axes.join("x") !== t.axes.join("x"))
      out.push({ ...at, what: `shape ${o.axes}`, count: 1, of: 1, largest: 0 });
    if (t.bits && o.bits) {
      const differ = t.bits.map((n, b) => [b, o.bits![b] - n]).filter(([, d]) => d !== 0);
      for (const [b, d] of differ) out.push({ ...at, what: `DQ bit ${1 << b} count`, count: 1, of: 1, largest: d });
    }
    if (t.stats && o.stats) {
      for (const key of ["mean", "std", "min", "max"] as const) {
        if (!withinRelative(o.stats[key], t.stats[key])) {
          out.push({ ...at, what: `${key}`, count: 1, of: 1, largest: o.stats[key] - t.stats[key] });
        }
      }
    }
    let count = 0;
    let largest = 0;
    t.samples.forEach((v, i) => {
      const mine = o.samples[i];
      const same = t.extname === "DQ" ? mine === v : withinRelative(mine, v);
      if (!same) {
        count++;
        largest = Math.max(largest, Math.abs(mine - v));
      }
    });
    if (count > 0) out.push({ ...at, what: "sampled pixels", count, of: t.samples.length, largest });
  }
  for (const what of compareTables(theirs.file, ours.tables ?? [], theirs.tables ?? [])) {
    out.push({ file: theirs.file, extname: "TABLE", extver: 0, what, count: 1, of: 1, largest: Number.NaN });
  }
  for (const t of theirs.headers ?? []) {
    const [extname, ver] = t.hdu.split(",");
    const at = { file: theirs.file, extname, extver: ver === undefined ? 0 : Number(ver), count: 1, of: 1 };
    const o = ours.headers?.find((h) => h.hdu === t.hdu);
    for (const what of compareHeaders(o, t)) out.push({ ...at, what: `header ${what}`, largest: Number.NaN });
  }
  return out;
}

export function describe(d: Difference): string {
  return `${d.file}[${d.extname},${d.extver}] ${d.what}: ${d.count} of ${d.of}, largest ${d.largest}`;
}
