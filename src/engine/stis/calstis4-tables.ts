/**
 * calstis4's table rows (the first extension's rows, a row matching keys; missing is an error naming the table and
 * keys) and its image sections (ScaleOne), for the first-order and echelle wavecals.
 */
import { CalibrationError } from "../../calib/common/errors.js";
import { FitsFile } from "../../fits/index.js";
import type { ReferenceName } from "../program-files.js";

export type Row = Record<string, unknown>;
export const text = (v: unknown) =>
  String(v ?? "")
    .trim()
    .toUpperCase();

/** The rows of a reference table's first extension, with each array column's cells as arrays. */
export function tableRows(keyword: string, ref: ReferenceName): Row[] {
  const fits = FitsFile.open(ref.path);
  try {
    const table = fits.readTable(1);
    return Array.from({ length: table.nrows }, (_, r) => {
      const row: Row = {};
      for (const c of table.columns) {
        const data = c.data as ArrayLike<unknown>;
        const width = data.length / table.nrows;
        row[c.name.toUpperCase()] =
          width === 1 ? data[r] : Array.from(data as ArrayLike<number>).slice(r * width, (r + 1) * width);
      }
      return row;
    });
  } catch (e) {
    throw new CalibrationError("CAL_FILE_MISSING", `${keyword} ${ref.path}: ${(e as Error).message}`, {
      step: "WAVECORR",
    });
  } finally {
    fits.close();
  }
}

export function rowFor(keyword: string, ref: ReferenceName, keys: Record<string, string>): Row {
  const row = tableRows(keyword, ref).find((r) => Object.entries(keys).every(([k, v]) => text(r[k]) === text(v)));
  if (!row) {
    const wanted = Object.entries(keys)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
    throw new CalibrationError("TABLE_ROW_MISSING", `${keyword} ${ref.name}: no row for ${wanted}`, {
      step: "WAVECORR",
    });
  }
  return row;
}

/** First and last zero-indexed pixels after trimming `trim` reference pixels from each end (cs4 ScaleOne). */
export function section(trim: number, scale: number, npix: number): [number, number] {
  const t = Math.round(trim / scale);
  const first = Math.max(t, 0);
  const last = Math.min(npix - 1 - t, npix - 1);
  return last <= first ? [0, npix - 1] : [first, last];
}
