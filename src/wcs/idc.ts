import type { Table } from "../fits/index.js";
import { WcsError } from "./errors.js";

/**
 * One IDCTAB row as stwcs's IDCModel holds it: cx[n][m], cy[n][m] multiply x^m y^(n-m) (pixel offsets from
 * XREF, YREF) and give V2/V3 offsets in arcseconds; the reference pixel, its V2/V3 and the plate scale.
 */
export interface IdcModel {
  order: number;
  cx: number[][];
  cy: number[][];
  xref: number;
  yref: number;
  xsize: number;
  ysize: number;
  /** Arcseconds per pixel (SCALE, times the binning). */
  pscale: number;
  v2ref: number;
  v3ref: number;
  theta: number;
}

export interface IdcSelection {
  chip: number;
  filter1?: string;
  filter2?: string;
  binned?: number;
  /** ACS/SBC rows name its filters differently (F115LP for a clear wheel, N/A for the second). */
  detector?: string;
  /** For the error messages: the science file and the IDCTAB's name. */
  file?: string;
  idctab?: string;
}

const clearOf = (f: string | undefined) => (f === undefined || f.trim() === "" || f.startsWith("CLEAR") ? "CLEAR" : f);
const columnOf = (table: Table, name: string) => table.columns.find((c) => c.name.toUpperCase() === name);

function cell(table: Table, name: string, row: number): number | string | undefined {
  const column = columnOf(table, name);
  const value = column?.data[row];
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value.trim() : Number(value);
}

/**
 * The forward row for the chip and filters, as stwcs's readIDCtab picks it (CLEAR* filters compare as CLEAR,
 * DETCHIP -999 matches any chip), and its coefficients up to NORDER.
 */
export function idcModel(table: Table, norder: number, selection: IdcSelection): IdcModel {
  let filter1 = clearOf(selection.filter1);
  let filter2 = clearOf(selection.filter2);
  if (selection.detector === "SBC") {
    if (filter1 === "CLEAR") [filter1, filter2] = ["F115LP", "N/A"];
    if (filter2 === "CLEAR") filter2 = "N/A";
  }
  const short = (f: string | number | undefined) => {
    const s = String(f ?? "");
    return s.includes("CLEAR") ? s.slice(0, 5) : s;
  };
  let row = -1;
  for (let i = 0; i < table.nrows && row < 0; i++) {
    const f1 = columnOf(table, "FILTER1") ? short(cell(table, "FILTER1", i)) : filter1;
    const f2 = columnOf(table, "FILTER2") ? short(cell(table, "FILTER2", i)) : filter2;
    const detchip = Number(cell(table, "DETCHIP", i) ?? 1);
    // stwcs reads a DETCHIP that is not a number ('ANY') as chip 1
    const direction = String(cell(table, "DIRECTION", i) ?? "forward").toLowerCase();
    if (f1 === filter1 && f2 === filter2 && direction === "forward") {
      const chip = Number.isInteger(detchip) ? detchip : 1;
      if (chip === selection.chip || chip === -999) row = i;
    }
  }
  if (row < 0) {
    const table = selection.idctab ? `${selection.idctab} has ` : "";
    throw new WcsError(`${table}no forward row for chip ${selection.chip} and filters ${filter1},${filter2}`, {
      file: selection.file,
      keyword: "IDCTAB",
    });
  }
  const order = Math.max(norder, 3);
  const cx = Array.from({ length: order + 1 }, () => new Array<number>(order + 1).fill(0));
  const cy = Array.from({ length: order + 1 }, () => new Array<number>(order + 1).fill(0));
  const prefix = columnOf(table, "CX10") ? ["CX", "CY"] : ["A", "B"];
  for (let n = 1; n <= norder; n++) {
    for (let m = 0; m <= n; m++) {
      cx[n][m] = Number(cell(table, `${prefix[0]}${n}${m}`, row) ?? 0);
      cy[n][m] = Number(cell(table, `${prefix[1]}${n}${m}`, row) ?? 0);
    }
  }
  const number = (name: string, fallback?: number) => {
    const v = cell(table, name, row);
    if (typeof v === "number") return v;
    if (fallback !== undefined) return fallback;
    throw new WcsError(`${selection.idctab ?? "the IDCTAB"} has no column ${name}`, {
      file: selection.file,
      keyword: "IDCTAB",
    });
  };
  const pscale = Math.round(number("SCALE") * 1e8) / 1e8;
  if (cx[1][1] === 1 && Math.abs(cx[1][1]) !== pscale) scaleAll(cx, cy, pscale);
  const binned = selection.binned ?? 1;
  scaleAll(cx, cy, binned);
  return {
    order,
    cx,
    cy,
    xref: number("XREF") / binned,
    yref: number("YREF") / binned,
    xsize: number("XSIZE") / binned,
    ysize: number("YSIZE") / binned,
    pscale: pscale * binned,
    v2ref: number("V2REF", 0),
    v3ref: number("V3REF", 0),
    theta: number("THETA", 0),
  };
}

function scaleAll(cx: number[][], cy: number[][], factor: number): void {
  for (const row of [...cx, ...cy]) for (let i = 0; i < row.length; i++) row[i] *= factor;
}

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/**
 * Moves the polynomials' origin by (xs, ys) (stwcs's GeometryModel.shift, for subarrays): afterwards
 * cx'(x, y) = cx(x + xs, y + ys), a constant term included. Changes the model in place.
 */
export function shiftModel(model: IdcModel, xs: number, ys: number): void {
  const k = model.order + 1;
  const shift = (c: number[][]) => {
    const out = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let m = 0; m < k; m++) {
      for (let n = 0; n <= m; n++) {
        for (let i = m; i < k; i++) {
          for (let j = n; j <= i - (m - n); j++) {
            out[m][n] += c[i][j] * binomial(j, n) * binomial(i - j, m - n) * xs ** (j - n) * ys ** (i - j - (m - n));
          }
        }
      }
    }
    return out;
  };
  model.cx = shift(model.cx);
  model.cy = shift(model.cy);
}
