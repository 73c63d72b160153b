/**
 * The rows of one member of a CR rejection (ACSREJ, WF3REJ), as the rejection reads them: by bands of rows, the
 * way hstcal's acsrej/wf3rej read their inputs line by line, so that a chip's members need not all be held at
 * once. `heldRows` gives views of arrays in memory; the engine gives rows read from its chip store. The CR flags
 * (CRMASK) go back a row at a time, in row order, through `putDq`.
 */
import { CR } from "./cr-flags.js";

export interface MemberBand {
  sci: Float32Array;
  dq: Uint16Array;
}

export interface MemberRows {
  /** SCI and DQ of rows [y0, y0 + rows): views, valid until the next call. */
  band(y0: number, rows: number): MemberBand;
  /** Row y's DQ with its CR flags set: kept where the member is kept (rows come in increasing order). */
  putDq(y: number, dq: Uint16Array): void;
  /** Writes out what `putDq` may have buffered. */
  flush(): void;
}

/** The rows of a band of the guess and the sky: 64 rows of a 4096-column chip's SCI and DQ are 1.5 MB. */
export const MEMBER_BAND_ROWS = 64;

/** Rows of arrays held in memory (`putDq` writes into `dq`). */
export function heldRows(sci: Float32Array, dq: Uint16Array, nx: number): MemberRows {
  return {
    band: (y0, rows) => ({
      sci: sci.subarray(y0 * nx, (y0 + rows) * nx),
      dq: dq.subarray(y0 * nx, (y0 + rows) * nx),
    }),
    putDq: (y, row) => {
      if (row.buffer !== dq.buffer || row.byteOffset !== dq.byteOffset + 2 * y * nx) dq.set(row, y * nx);
    },
    flush: () => {},
  };
}

/** A member as the rejection gets it: whole arrays, or `rows` (its `sci` and `dq` then empty). */
export interface RowsOrArrays {
  sci: Float32Array;
  dq: Uint16Array;
  rows?: MemberRows;
}

export function rowsOf(image: RowsOrArrays, nx: number): MemberRows {
  return image.rows ?? heldRows(image.sci, image.dq, nx);
}

/** Calls `visit` on every band of `rows` rows of an image of `ny` rows, from the first. */
export function forEachBand(ny: number, rows: number, visit: (y0: number, n: number) => void): void {
  for (let y0 = 0; y0 < ny; y0 += rows) visit(y0, Math.min(rows, ny - y0));
}

/** Clears the CR flag of the first `flagged` columns of every row (an input that took no part has none). */
export function clearCrFlags(rows: MemberRows, nx: number, ny: number, flagged: number): void {
  const row = new Uint16Array(nx);
  for (let y = 0; y < ny; y++) {
    row.set(rows.band(y, 1).dq);
    for (let i = 0; i < flagged; i++) row[i]! &= ~CR;
    rows.putDq(y, row);
  }
}

/** Where a rejection's product goes a row at a time, in row order (instead of whole arrays). */
export interface ProductRows {
  put(y: number, sci: Float32Array, err: Float32Array, dq: Uint16Array): void;
  /** Every row was put: the product is kept under its name. */
  finish(): void;
}
