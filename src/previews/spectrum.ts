/**
 * Reading the 1-D spectra of x1d / sx1 / x1dsum products: the first BINTABLE (SCI) holds one row per
 * segment (COS: FUVA, FUVB, NUVA…) or order (STIS: SPORDER), each with WAVELENGTH and FLUX arrays.
 */
import { basename } from "node:path";
import { type Column, FitsFile, type Header, type PixelArray, type Table } from "../fits/index.js";

export interface SpectrumSegment {
  /** "FUVA", "order 87", or "row 1". */
  label: string;
  wavelength: Float64Array;
  flux: Float64Array;
  error?: Float64Array;
  dq?: Int32Array;
}

export interface Spectrum {
  dataset: string;
  instrument: string;
  grating: string;
  cenwave?: string;
  target: string;
  fluxUnit: string;
  fluxColumn: string;
  segments: SpectrumSegment[];
}

export function readSpectrum(path: string): Spectrum {
  const fits = FitsFile.open(path);
  try {
    const hdu = fits.hdus.find((h) => h.type === "bintable");
    if (!hdu) throw new Error("no binary table with a spectrum");
    const table = fits.readTable(hdu);
    const primary = fits.hdus[0].header;
    const wave = columnOf(table, "WAVELENGTH");
    const flux = columnOf(table, "FLUX") ?? columnOf(table, "NET") ?? columnOf(table, "GROSS");
    if (!wave || !flux) throw new Error("the table has no WAVELENGTH and FLUX columns");
    const nelem = columnOf(table, "NELEM");
    const error = columnOf(table, "ERROR");
    const dq = columnOf(table, "DQ");
    const segments: SpectrumSegment[] = [];
    for (let row = 0; row < table.nrows; row++) {
      const n = nelem ? Number(rowValues(nelem, row, table.nrows)[0]) : undefined;
      const take = (c: Column) => {
        const values = rowValues(c, row, table.nrows);
        return n === undefined || n > values.length || n < 0 ? values : Array.prototype.slice.call(values, 0, n);
      };
      segments.push({
        label: labelOf(table, row),
        wavelength: Float64Array.from(take(wave), Number),
        flux: Float64Array.from(take(flux), Number),
        error: error ? Float64Array.from(take(error), Number) : undefined,
        dq: dq ? Int32Array.from(take(dq), Number) : undefined,
      });
    }
    return {
      dataset: text(primary, "ROOTNAME") || basename(path).replace(/_[a-z0-9]+\.fits(\.gz)?$/i, ""),
      instrument: text(primary, "INSTRUME") || "?",
      grating: text(primary, "OPT_ELEM") || "?",
      cenwave: text(primary, "CENWAVE") || undefined,
      target: text(primary, "TARGNAME") || "?",
      fluxUnit: flux.unit?.trim() || (flux.name === "FLUX" ? "erg/s/cm**2/Angstrom" : "counts/s"),
      fluxColumn: flux.name,
      segments,
    };
  } finally {
    fits.close();
  }
}

function text(header: Header, keyword: string): string {
  const value = header.get(keyword);
  return value === undefined || value === null ? "" : String(value).trim();
}

function columnOf(table: Table, name: string): Column | undefined {
  return table.columns.find((c) => c.name.trim().toUpperCase() === name);
}

/** One row's values of a column (fixed repeat or variable-length array). */
function rowValues(column: Column, row: number, nrows: number): ArrayLike<number | bigint> {
  const data = column.data as unknown[];
  const first = data[0];
  if (ArrayBuffer.isView(first)) return data[row] as ArrayLike<number>;
  const values = column.data as PixelArray;
  const per = Math.floor(values.length / nrows);
  return values.subarray(row * per, (row + 1) * per);
}

function labelOf(table: Table, row: number): string {
  const segment = columnOf(table, "SEGMENT");
  if (segment) return String((segment.data as string[])[row]).trim();
  const order = columnOf(table, "SPORDER");
  if (order) return `order ${Number(rowValues(order, row, table.nrows)[0])}`;
  return `row ${row + 1}`;
}
