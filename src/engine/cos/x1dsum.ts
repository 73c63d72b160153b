/**
 * calcos' fpAvgSpec: the `_x1dsum` of an association (every spectroscopic exposure) and each `_x1dsum<FPPOS>`
 * (the exposures at one FP-POS). One input is copied with the pixels of DQ_WGT 0 zeroed; several are averaged on
 * a common wavelength grid (calib/cos/fpavg.ts). Either way the exposure-specific keywords go (FPPOS, FPOFFSET,
 * SEGMENT, WAVECALS; SHIFT1x, SHIFT2x, DPIXEL1x), MFPPOS/MFPOFSET/MCENWAVE list what was combined, ASN_MTYP
 * EXP-… becomes PROD-… in a product, and the per-exposure extraction columns are left out.
 */
import { basename } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import { NUV_EXTENDED_X } from "../../calib/cos/events.js";
import {
  accumulate,
  emptyRow,
  type FLOAT_COLUMNS,
  normalize,
  outputGrid,
  type SpectrumRow,
} from "../../calib/cos/fpavg.js";
import type { FlatImage } from "../../calib/cos/fpavg-flat.js";
import { type ColumnSpec, FitsWriter, formatTForm, type Header } from "../../fits/index.js";
import type { Env } from "../reference-files.js";
import { setArchiveWavelengths } from "./archive-search.js";
import { readX1d, type X1dFile } from "./x1dsum-inputs.js";

const DROPPED = ["DQ_OUTER", "BACKGROUND_PER_ROW", "NUM_EXTRACT_ROWS", "ACTUAL_EE"].concat([
  "Y_LOWER_OUTER",
  "Y_UPPER_OUTER",
  "Y_LOWER_INNER",
  "Y_UPPER_INNER",
]);
const ZEROED = ["FLUX", "ERROR", "GROSS", "GCOUNTS", "ERROR_LOWER", "NET", "BACKGROUND"].concat([
  "VARIANCE_FLAT",
  "VARIANCE_COUNTS",
  "VARIANCE_BKG",
]);
const TABLE_CARD = /^(TTYPE|TFORM|TUNIT|TDISP|TNULL|TSCAL|TZERO|TDIM)\d+$/;

/** calcos' isProduct: the rootname ends in 0. */
const isProduct = (file: string) => /0_x1dsum\d?\.fits$/.test(basename(file));

/** Averages the `_x1d` files `inputs` into `output` (written under a temporary name and renamed). */
export function fpAverage(inputs: string[], output: string, env: Env): void {
  if (inputs.length === 0) throw new CalibrationError("INVALID_VALUE", `${basename(output)}: no _x1d to average`);
  const flats = new Map<string, FlatImage>();
  const files = inputs.map((path) => readX1d(path, env, flats));
  if (files.length === 1) {
    oneInput(files[0], output);
    return;
  }
  const spectra = files.flatMap((f) => f.spectra);
  const nelem = spectra[0]?.wavelength.length ?? 0;
  const odd = files.find((f) => f.spectra.some((s) => s.wavelength.length !== nelem));
  if (odd) throw new CalibrationError("INVALID_VALUE", `${basename(odd.path)}: x1d tables have different array sizes`);
  const segments = [...new Set(spectra.map((s) => s.segment))];
  const grids = new Map(segments.map((seg) => [seg, outputGrid(spectra.filter((s) => s.segment === seg))]));
  // no spectrum at all: calcos' table keeps the NUV extended width
  const outNelem = spectra.length === 0 ? NUV_EXTENDED_X : Math.max(nelem, ...[...grids.values()].map((g) => g.nelem));
  const rows = segments.map((seg) => {
    const grid = grids.get(seg) as ReturnType<typeof outputGrid>;
    const row = emptyRow(seg, outNelem, grid.first, grid.dispersion);
    const sumWeight = new Float64Array(outNelem);
    for (const sp of spectra) if (sp.segment === seg) accumulate(row, sp, sumWeight);
    normalize(row, sumWeight);
    return row;
  });
  const template = files.find((f) => f.spectra.some((s) => s.wavelength.length === nelem)) ?? files[0];
  const primary = combinedPrimary(template.primary, files, output);
  setArchiveWavelengths(primary, rows);
  write(output, primary, combinedSci(template.sci, files, output), averagedColumns(rows, outNelem), rows.length);
}

function listOf(files: X1dFile[], key: string): (string | number)[] {
  return [...new Set(files.map((f) => f.primary.get(key) as string | number))];
}

function combinedPrimary(template: Header, files: X1dFile[], output: string): Header {
  const primary = template.clone().set("FILENAME", basename(output));
  for (const [kw, after] of [
    ["MFPPOS", "FPPOS"],
    ["MFPOFSET", "FPOFFSET"],
    ["MCENWAVE", "CENWAVE"],
  ]) {
    primary.set(kw, listOf(files, after).join(", "), primary.has(after) ? { after } : {});
  }
  for (const kw of ["SEGMENT", "WAVECALS", "FPPOS", "FPOFFSET"]) primary.delete(kw);
  if (listOf(files, "CENWAVE").length > 1) primary.delete("CENWAVE");
  return primary;
}

/** The exposure keywords summed / spanned over the inputs (NUV: the first row of each, as calcos). */
function combinedSci(template: Header, files: X1dFile[], output: string): Header {
  const sci = exposureFree(template, output);
  let globrate = 0;
  let rateTime = 0;
  for (const f of files) {
    const rate = f.sci.getNumber("GLOBRATE", -1);
    const t = f.spectra[0]?.exptime ?? 0;
    if (f.spectra.length > 0 && rate >= 0) [globrate, rateTime] = [globrate + rate * t, rateTime + t];
  }
  const sum = (key: string) => files.reduce((s, f) => s + f.sci.getNumber(key, 0), 0);
  const expstart = Math.min(...files.map((f) => f.sci.getNumber("EXPSTART")));
  const expend = Math.max(...files.map((f) => f.sci.getNumber("EXPEND")));
  sci.set(
    "EXPTIME",
    files.filter((f) => f.spectra.length > 0).reduce((s, f) => s + f.sci.getNumber("EXPTIME"), 0),
  );
  sci.set("EXPSTART", expstart).set("EXPEND", expend);
  sci.set("EXPSTRTJ", expstart + 2400000.5).set("EXPENDJ", expend + 2400000.5);
  sci.set("PLANTIME", sum("PLANTIME"));
  // Python's round(x, 4): the decimal nearest the double itself
  if (rateTime > 0) sci.set("GLOBRATE", Number((globrate / rateTime).toFixed(4)));
  return sci;
}

/** The SCI header without its table cards and the keywords of one exposure. */
function exposureFree(header: Header, output: string): Header {
  const sci = header.clone();
  sci.removeWhere((card) => TABLE_CARD.test(card.keyword));
  for (const x of "ABC") for (const kw of ["SHIFT1", "SHIFT2", "DPIXEL1"]) sci.delete(`${kw}${x}`);
  const mtyp = sci.getString("ASN_MTYP", "").trim();
  if (isProduct(output) && /^EXP[-_]/.test(mtyp)) sci.set("ASN_MTYP", `PROD${mtyp.slice(3)}`);
  return sci;
}

function averagedColumns(rows: SpectrumRow[], n: number): ColumnSpec[] {
  const joined = <T extends Float32Array | Float64Array | Int16Array>(
    Ctor: new (n: number) => T,
    f: (r: SpectrumRow) => T,
  ) => {
    const out = new Ctor(rows.length * n);
    rows.forEach((r, i) => {
      out.set(f(r), i * n);
    });
    return out;
  };
  const flux = "erg /s /cm**2 /angstrom";
  const float = (name: string, c: (typeof FLOAT_COLUMNS)[number], unit?: string): ColumnSpec => ({
    name,
    format: `${n}E`,
    unit,
    data: joined(Float32Array, (r) => r[c]),
  });
  return [
    { name: "SEGMENT", format: "4A", data: rows.map((r) => r.segment) },
    { name: "EXPTIME", format: "1D", unit: "s", disp: "F8.3", data: Float64Array.from(rows, (r) => r.exptime) },
    { name: "NELEM", format: "1J", disp: "I6", data: Int32Array.from(rows, () => n) },
    { name: "WAVELENGTH", format: `${n}D`, unit: "angstrom", data: joined(Float64Array, (r) => r.wavelength) },
    float("FLUX", "flux", flux),
    float("ERROR", "error", flux),
    float("ERROR_LOWER", "errorLower", flux),
    float("GROSS", "gross", "count /s"),
    float("GCOUNTS", "gcounts", "count"),
    float("VARIANCE_FLAT", "varianceFlat", "count"),
    float("VARIANCE_COUNTS", "varianceCounts", "count"),
    float("VARIANCE_BKG", "varianceBkg", "count"),
    float("NET", "net", "count /s"),
    float("BACKGROUND", "background", "count /s"),
    { name: "DQ", format: `${n}I`, data: joined(Int16Array, (r) => r.dq) },
    float("DQ_WGT", "dqWgt"),
  ];
}

/** calcos' oneInputFile: the `_x1d` itself, pixels of DQ_WGT ≤ 0 zeroed, without the extraction columns. */
function oneInput(file: X1dFile, output: string): void {
  if (file.spectra.length === 0) {
    // an exposure without events: calcos copies its row-less x1d, FILENAME and ASN_MTYP changed only
    const sci = file.sci.clone();
    sci.removeWhere((card) => TABLE_CARD.test(card.keyword));
    const mtyp = sci.getString("ASN_MTYP", "").trim();
    if (isProduct(output) && /^EXP[-_]/.test(mtyp)) sci.set("ASN_MTYP", `PROD${mtyp.slice(3)}`);
    const columns = file.columns.map((c) => ({
      name: c.name,
      format: formatTForm(c.form),
      unit: c.unit,
      disp: c.disp,
      data: c.data,
    }));
    write(output, file.primary.clone().set("FILENAME", basename(output)), sci, columns, 0);
    return;
  }
  const primary = file.primary.clone().set("FILENAME", basename(output));
  for (const [kw, after] of [
    ["MFPPOS", "FPPOS"],
    ["MFPOFSET", "FPOFFSET"],
    ["MCENWAVE", "CENWAVE"],
  ]) {
    primary.set(kw, String(primary.get(after) ?? ""), primary.has(after) ? { after } : {});
  }
  for (const kw of ["SEGMENT", "WAVECALS", "FPPOS", "FPOFFSET"]) primary.delete(kw);
  const nrows = file.spectra.length;
  const weights = file.columns.find((c) => c.name.toUpperCase() === "DQ_WGT")?.data as Float32Array | undefined;
  const columns: ColumnSpec[] = file.columns
    .filter((c) => !DROPPED.includes(c.name.toUpperCase()))
    .map((c) => {
      const data =
        ZEROED.includes(c.name.toUpperCase()) && weights ? zeroWhere(c.data as Float32Array, weights) : c.data;
      return { name: c.name, format: formatTForm(c.form), unit: c.unit, disp: c.disp, data };
    });
  write(output, primary, exposureFree(file.sci, output), columns, nrows);
}

function zeroWhere(data: Float32Array, weights: Float32Array): Float32Array {
  const out = Float32Array.from(data);
  for (let i = 0; i < out.length; i++) if (weights[i] <= 0) out[i] = 0;
  return out;
}

function write(path: string, primary: Header, sci: Header, columns: ColumnSpec[], nrows: number): void {
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(primary);
    writer.writeTable(sci, columns, nrows);
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}
