/**
 * Reference images ACSCCD reads a band of rows at a time (BIASFILE, SATUFILE): a full-frame WFC chip's SCI,
 * ERR and DQ are 85 MB, and both chips of both were held for the whole phase while two workers each held an
 * exposure. The engine hands these references over without pixels and a `readRows` that reads the rows a
 * step needs from the file; the steps then work band by band (the arithmetic is per pixel: same bits).
 */
import type { ImageSet } from "../common/imset.js";
import type { ReferenceImage } from "../common/reference-image.js";

/**
 * Rows [y0, y1) of one of a reference's image sets, as an image set of y1 - y0 rows; with `only`, the other
 * planes may come back empty (a step that needs one plane does not decode three).
 */
export type ReadRows = (set: ImageSet, y0: number, y1: number, only?: "sci" | "err") => ImageSet;

/** A reference image whose image sets may hold no pixels: then `readRows` reads them. */
export type RowReference = ReferenceImage & { readRows?: ReadRows };

/** Rows of a band: 128 rows of a WFC chip's SCI, ERR and DQ are 5 MB. */
export const BAND_ROWS = 128;

/** Rows [y0, y1) of `set` as an image set sharing its arrays (an in-memory reference's `readRows`). */
export function rowsView(set: ImageSet, y0: number, y1: number): ImageSet {
  const [from, to] = [y0 * set.nx, y1 * set.nx];
  return {
    ...set,
    ny: y1 - y0,
    sci: set.sci.subarray(from, to),
    err: set.err.subarray(from, to),
    dq: set.dq.subarray(from, to),
  };
}

/** Calls `visit` on consecutive bands of at most BAND_ROWS rows covering rows [y0, y1). */
export function forEachBand(y0: number, y1: number, visit: (b0: number, b1: number) => void): void {
  for (let b = y0; b < y1; b += BAND_ROWS) visit(b, Math.min(b + BAND_ROWS, y1));
}
