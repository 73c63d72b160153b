/** Writing synthetic reference files: names, primary headers, imsets and tables (calibration.md §3). */
import { join } from "node:path";
import { type ColumnSpec, FitsWriter, Header, type PixelArray } from "../fits/index.js";
import type { DetectorModel } from "./detectors.js";
import { hashString } from "./random.js";

/** Where a synthetic reference was written and the keyword value that names it. */
export interface ReferenceFile {
  filekind: string;
  /** Lower-case keyword (filekind) as in CRDS. */
  name: string;
  path: string;
}

const SUFFIX: Record<string, string> = {
  biasfile: "bia",
  darkfile: "drk",
  pfltfile: "pfl",
  lfltfile: "lfl",
  tdctab: "tdc",
  satufile: "sat",
  snkcfile: "snk",
  bpixtab: "bpx",
  ccdtab: "ccd",
  oscntab: "osc",
  crrejtab: "crr",
  imphttab: "imp",
  nlinfile: "lin",
  mlintab: "lin",
  flshfile: "fls",
  shadfile: "shd",
  pctetab: "cte",
  drkcfile: "dkc",
  biacfile: "bic",
  idctab: "idc",
  d2imfile: "d2i",
  npolfile: "npl",
  wcptab: "wcp",
  lamptab: "lmp",
  apdestab: "apd",
  disptab: "dsp",
  inangtab: "iac",
  sptrctab: "1dt",
  sdctab: "sdc",
  xtractab: "1dx",
  phottab: "pht",
  apertab: "apt",
  pctab: "pct",
  tdstab: "tds",
  gactab: "gac",
};

/** A CDBS-style name (8 base-36 characters + instrument letter), unique per seed, detector and type. */
export function referenceName(model: DetectorModel, seed: number, filekind: string): string {
  const h1 = hashString(`${seed}/${model.instrument}/${model.detector}/${filekind}`);
  const h2 = hashString(`${filekind}/${h1}`);
  const id = (h1.toString(36) + h2.toString(36)).padStart(8, "0").slice(0, 8);
  return `${id}${model.refLetter}_${SUFFIX[filekind]}.fits`;
}

/** "Mar 01 2002 00:00:00", the USEAFTER format of HST reference files. */
export function useAfterText(crdsDate: string): string {
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const [date, time] = crdsDate.split(" ");
  const [y, m, d] = date.split("-");
  return `${months[Number(m) - 1]} ${d} ${y} ${time}`;
}

export function referencePrimary(model: DetectorModel, filetype: string, descrip: string, extra: Header): Header {
  const h = new Header();
  h.set("TELESCOP", "HST", { comment: "telescope used to acquire data" });
  h.set("INSTRUME", model.instrument, { comment: "identifier for instrument used to acquire data" });
  h.set("DETECTOR", model.detector, { comment: "detector in use" });
  h.set("FILETYPE", filetype, { comment: "type of data found in data file" });
  h.set("USEAFTER", useAfterText(model.useAfter), { comment: "use after this date" });
  h.set("PEDIGREE", "MODEL", { comment: "synthetic: the simulator's detector model" });
  h.set("DESCRIP", descrip, { comment: "description of the reference file" });
  for (const card of extra.cards) h.cards.push({ ...card });
  h.addCommentary("HISTORY", "Synthetic reference file written by caldp sim, consistent with the simulated");
  h.addCommentary("HISTORY", "detector model; not an STScI calibration product.");
  return h;
}

export interface ImsetPart {
  header: Header;
  sci: PixelArray;
  axes: number[];
  /** Constant ERR value, DQ as an array or a constant. */
  err: number;
  dq: Int16Array | number;
}

/** Writes primary + (SCI, ERR, DQ) per part, the ERR/DQ as HST constant arrays where constant. */
export function writeImsetFile(path: string, primary: Header, parts: ImsetPart[]): void {
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(primary.clone().set("NEXTEND", 3 * parts.length, { comment: "number of extensions" }));
    parts.forEach((part, i) => {
      const ext = (name: string) =>
        part.header
          .clone()
          .set("EXTNAME", name, { comment: "extension name", before: part.header.cards[0]?.keyword })
          .set("EXTVER", i + 1, { comment: "extension version number", after: "EXTNAME" });
      writer.writeImage(ext("SCI"), part.sci, part.axes);
      writer.writeConstantImage(ext("ERR"), part.err, part.axes, -32);
      if (typeof part.dq === "number") writer.writeConstantImage(ext("DQ"), part.dq, part.axes, 16);
      else writer.writeImage(ext("DQ"), part.dq, part.axes);
    });
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}

/** Writes primary + one BINTABLE per entry (`keys`: extra cards of its header, after EXTNAME). */
export function writeTableFile(
  path: string,
  primary: Header,
  tables: { extname?: string; keys?: Header; columns: ColumnSpec[] }[],
) {
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(primary);
    for (const t of tables) {
      const nrows = t.columns[0] ? columnLength(t.columns[0]) : 0;
      const header = t.extname ? new Header().set("EXTNAME", t.extname) : new Header();
      for (const card of t.keys?.cards ?? []) header.cards.push({ ...card });
      writer.writeTable(header, t.columns, nrows);
    }
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}

function columnLength(c: ColumnSpec): number {
  const repeat = c.dim ? c.dim.reduce((a, b) => a * b, 1) : 1;
  return c.data.length / (typeof c.data[0] === "string" ? 1 : repeat);
}

/** Columns from rows of plain values: numbers are floats unless the column is named in `ints`. */
export function columnsOf(rows: Record<string, string | number | boolean>[], ints: Set<string>): ColumnSpec[] {
  const names = Object.keys(rows[0] ?? {});
  return names.map((name) => {
    const values = rows.map((r) => r[name]);
    if (typeof values[0] === "string") return { name, data: values as string[] };
    if (typeof values[0] === "boolean") return { name, data: values as boolean[] };
    return ints.has(name)
      ? { name, data: Int32Array.from(values as number[]) }
      : { name, data: Float32Array.from(values as number[]) };
  });
}

/** One bad-pixel run of a BPIXTAB, 1-based science coordinates. */
export interface BadPixelRun {
  ccdchip: number;
  pix1: number;
  pix2: number;
  length: number;
  axis: 1 | 2;
  value: number;
}

/**
 * A BPIXTAB as the archive serves it (j4d1435jj_bpx.fits) and hstcal reads it: every numeric column 1I,
 * a CCDGAIN column (calacs.e reads its type unconditionally; -999 matches any gain), and SIZAXIS1/2 in the
 * table's own header, where calwf3.e looks for them.
 */
export function writeBpixtab(path: string, primary: Header, runs: readonly BadPixelRun[], size: [number, number]) {
  const shorts = (pick: (r: BadPixelRun) => number) => Int16Array.from(runs.map(pick));
  const columns: ColumnSpec[] = [
    { name: "CCDAMP", data: runs.map(() => "N/A") },
    { name: "PIX1", data: shorts((r) => r.pix1) },
    { name: "PIX2", data: shorts((r) => r.pix2) },
    { name: "LENGTH", data: shorts((r) => r.length) },
    { name: "AXIS", data: shorts((r) => r.axis) },
    { name: "VALUE", data: shorts((r) => r.value) },
    { name: "CCDCHIP", data: shorts((r) => r.ccdchip) },
    { name: "CCDGAIN", data: shorts(() => -999) },
  ];
  const keys = new Header().set("SIZAXIS1", size[0]).set("SIZAXIS2", size[1]);
  writeTableFile(path, primary, [{ extname: "BPX", keys, columns }]);
}

export function referencePath(dir: string, name: string): string {
  return join(dir, name);
}

/** The primary-header value naming a reference of `filekind` among `refs` (`iref$name`), or N/A. */
export function referenceKeyword(model: DetectorModel, refs: readonly ReferenceFile[], filekind: string): string {
  const r = refs.find((x) => x.filekind === filekind.toLowerCase());
  return r ? `${model.refPrefix}${r.name}` : "N/A";
}
