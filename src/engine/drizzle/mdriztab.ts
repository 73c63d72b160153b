/**
 * The MDRIZTAB row AstroDrizzle uses (drizzlepac mdzhandler.getMdriztabParameters): the rows whose `filter` equals
 * the exposures' filter names (FILTER1,FILTER2 for ACS; FILTER for WFC3; blank ones left out), else the rows for
 * 'ANY'; of those, the last whose `numimages` is at most the number of input exposures (rows ascend; row 1 when none
 * does). Its cells become step parameters (INDEF/blank/NaN cells keep the defaults) and final-drizzle options.
 */
import { existsSync } from "node:fs";
import { basename } from "node:path";
import type { DrizzleKernel } from "../../calib/drizzle/types.js";
import { type Column, FitsFile, type Header, type Table } from "../../fits/index.js";
import { DrizzleStageError } from "./errors.js";
import { type AdrizParameters, PARAMETER_KINDS, type ParameterValue, parseBits, parseParameter } from "./parameters.js";

/** The final drizzle's parameters an MDRIZTAB row can set (as DrizzleStageOptions). */
export interface FinalParameters {
  kernel?: DrizzleKernel;
  pixfrac?: number;
  weightType?: "EXP" | "ERR";
  bits?: number;
  fillValue?: number;
  scale?: number;
  rotation?: number;
}

export interface MdriztabRow {
  table: string;
  /** 1-based, as AstroDrizzle prints it. */
  row: number;
  filter: string;
  steps: Partial<AdrizParameters>;
  final: FinalParameters;
}

const FILTER_KEYWORDS: Record<string, string[]> = {
  ACS: ["FILTER1", "FILTER2"],
  WFC3: ["FILTER", "FILTER2"],
  STIS: ["OPT_ELEM", "FILTER"],
  WFPC2: ["FILTNAM1", "FILTNAM2"],
};

/** fileutil.getFilterNames: the non-blank filter keywords of the instrument, joined by commas. */
export function filterNames(primary: Header): string {
  const instrument = String(primary.get("INSTRUME") ?? "").trim();
  return (FILTER_KEYWORDS[instrument] ?? [])
    .map((k) => String(primary.get(k) ?? "").trim())
    .filter((v) => v !== "")
    .join(",");
}

/** A cell as text: strings as they are, logicals T/F, numbers in full; undefined for NULL/NaN/INDEF integers. */
function cellText(column: Column, row: number): string | undefined {
  const v = (column.data as ArrayLike<unknown>)[row];
  if (v === null || v === undefined) return undefined;
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") {
    if (Number.isNaN(v) || (column.form.type === "J" && v === -2147483647)) return undefined;
    if (column.form.type === "L" || column.form.type === "B") return v ? "true" : "false";
    return String(v);
  }
  if (typeof v === "bigint") return String(v);
  const s = String(v).trim();
  return s === "" || /^indef$/i.test(s) ? undefined : s;
}

function finalParameter(final: FinalParameters, name: string, text: string): void {
  const number = () => {
    const v = Number(text);
    if (!Number.isFinite(v)) throw new Error(`${name} '${text}': not a number`);
    return v;
  };
  if (name === "final_kernel") final.kernel = text.toLowerCase() as DrizzleKernel;
  else if (name === "final_pixfrac") final.pixfrac = number();
  else if (name === "final_wht_type") final.weightType = text.toUpperCase() as "EXP" | "ERR";
  else if (name === "final_bits" || name === "bits") final.bits = parseBits(name, text);
  else if (name === "final_fillval") final.fillValue = number();
  else if (name === "final_scale") final.scale = number();
  else if (name === "final_rot") final.rotation = number();
}

/** The row of `table` for exposures with primary header `primary` (filters) and `images` exposures. */
export function readMdriztab(table: string, primary: Header, images: number): MdriztabRow {
  if (!existsSync(table)) throw new DrizzleStageError("no such file", table, "MDRIZTAB");
  let file: FitsFile;
  let t: Table;
  try {
    file = FitsFile.open(table);
  } catch (e) {
    throw new DrizzleStageError(`not a readable MDRIZTAB: ${(e as Error).message}`, table);
  }
  try {
    try {
      t = file.readTable(1);
    } catch (e) {
      throw new DrizzleStageError(`has no table of AstroDrizzle parameters: ${(e as Error).message}`, table);
    }
    const column = (name: string) => t.columns.find((c) => c.name.toLowerCase() === name);
    const filterColumn = column("filter");
    const countColumn = column("numimages");
    if (!filterColumn || !countColumn) {
      throw new DrizzleStageError("has no 'filter' and 'numimages' columns: not an MDRIZTAB", table);
    }
    if (t.nrows === 0) throw new DrizzleStageError("has no rows", table);
    const filter = filterNames(primary);
    const rowsOf = (f: string) =>
      Array.from({ length: t.nrows }, (_, r) => r).filter((r) => cellText(filterColumn, r) === f);
    let rows = rowsOf(filter);
    if (rows.length === 0) rows = rowsOf("ANY");
    let chosen = 0;
    for (const r of rows) if (images >= Number(cellText(countColumn, r))) chosen = r;
    const steps: Partial<AdrizParameters> = {};
    const final: FinalParameters = {};
    for (const c of t.columns) {
      const name = c.name.toLowerCase();
      const text = cellText(c, chosen);
      if (text === undefined || name === "filter" || name === "numimages") continue;
      try {
        if (name in PARAMETER_KINDS) {
          const value = parseParameter(name as keyof AdrizParameters, text);
          if (value !== undefined) (steps as Record<string, ParameterValue>)[name] = value;
        } else if (name === "crbitval") steps.crbit = parseBits(name, text);
        else if (name === "bits") {
          // mdzhandler gives a 'bits' column to both drizzle steps
          steps.driz_sep_bits = parseBits(name, text);
          finalParameter(final, name, text);
        } else finalParameter(final, name, text);
      } catch (e) {
        throw new DrizzleStageError(`row ${chosen + 1}: ${(e as Error).message}`, table, name);
      }
    }
    return { table: basename(table), row: chosen + 1, filter, steps, final };
  } finally {
    file.close();
  }
}
