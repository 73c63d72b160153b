/**
 * A second calstis6 case on the long-slit raws: the reference dir's SPTRCTAB rewritten as two rows 200 rows
 * apart (the lower one, where cs6 starts its search, 7 rows below the trace) with different A2DISPL, rotating by DEGPERYR since their MJD (the trace interpolated on A2CENTER and
 * rotated, as cs6 does), and the XTRACTAB with a 9-row box, a first-order background fit (BACKORD 1) in boxes
 * tilted by BKTCOEFF and a wider MAXSRCH. cs0.e's sx1 and SHIFTA of it are recorded beside the main case's.
 */

import type { ColumnData, ColumnSpec } from "../../src/fits/index.js";
import { FitsFile, FitsWriter } from "../../src/fits/index.js";

export const X1D_VARIANT = "two-trace-rows-rotating-backord1-tilted";
/** The calstis6 switches recorded off one at a time (x1dSwitches; cs0.e exits 2 with DISPCORR = OMIT). */
export const X1D_SWITCHES = ["BACKCORR", "HELCORR", "FLUXCORR"] as const;

type Cell = number | string | number[];
type Row = Record<string, Cell>;

/** Rewrites extension 1 of a table file, row by row (array cells as arrays), keeping formats and headers. */
export function rewriteTable(path: string, change: (rows: Row[]) => Row[]): void {
  const fits = FitsFile.open(path);
  const primary = fits.hdus[0].header.clone();
  const header = fits.hdus[1].header.clone();
  const table = fits.readTable(1);
  fits.close();
  const rows: Row[] = Array.from({ length: table.nrows }, (_, r) => {
    const row: Row = {};
    for (const c of table.columns) {
      const data = c.data as ArrayLike<number | string>;
      const n = c.form.type === "A" ? 1 : c.form.repeat;
      row[c.name] = n === 1 ? data[r] : Array.from(data as ArrayLike<number>).slice(r * n, (r + 1) * n);
    }
    return row;
  });
  const changed = change(rows);
  const specs: ColumnSpec[] = table.columns.map((c) => {
    const cells = changed.map((row) => row[c.name]);
    const Typed = (c.data as { constructor: new (values: number[]) => ColumnData }).constructor;
    const data = c.form.type === "A" ? (cells as string[]) : new Typed(cells.flat() as number[]);
    return { name: c.name, data, format: `${c.form.repeat}${c.form.type}`, unit: c.unit, dim: c.dim, disp: c.disp };
  });
  const writer = new FitsWriter(path);
  writer.writeImage(primary);
  writer.writeTable(header, specs, changed.length);
  writer.close();
}

/** Rewrites the SPTRCTAB and XTRACTAB of `referenceDir` (the files the raw's header names) into the variant. */
export function writeX1dVariantTables(paths: { sptrctab: string; xtractab: string }): void {
  rewriteTable(paths.sptrctab, ([row]) => {
    const displ = row.A2DISPL as number[];
    const shifted = (a2center: number, scale: number, constant: number): Row => ({
      ...row,
      A2CENTER: a2center,
      A2DISPL: displ.map((v) => v * scale + constant),
      MJD: 50000,
      DEGPERYR: 0.01,
    });
    // cs6 starts from the lowest row's A2CENTER: put it 7 rows below the trace, the other 200 rows above it
    return [shifted((row.A2CENTER as number) + 193, 2, 0.5), shifted((row.A2CENTER as number) - 7, 1, 0)];
  });
  rewriteTable(paths.xtractab, ([row]) => [
    {
      ...row,
      EXTRSIZE: 9,
      BACKORD: 1,
      BK1OFFST: -120,
      BK2OFFST: 150,
      BK1SIZE: 8,
      BKTCOEFF: (row.BKTCOEFF as number[]).map((_, i) => [0.4, -2e-4][i] ?? 0),
      MAXSRCH: 14,
    },
  ]);
}
