/**
 * A distortion lookup table (the FITS distortion paper's `Lookup`, HST's D2IMARR and WCSDVARR extensions):
 * a grid of corrections in pixels on one axis, sampled every CDELT image pixels from CRVAL at grid pixel
 * CRPIX, interpolated bilinearly and clamped at the edges as astropy's distortion.c does.
 */
export interface LookupTable {
  /** NAXIS1, NAXIS2 of the grid. */
  naxis: [number, number];
  crpix: [number, number];
  crval: [number, number];
  cdelt: [number, number];
  /** Row-major, NAXIS1 varying fastest; single precision, as astropy holds it. */
  data: Float32Array;
}

function gridCoordinate(table: LookupTable, axis: 0 | 1, image: number): number {
  // astropy (5.2, Debian's oracle) takes the image pixel 0-based here: (image - 1 - CRVAL) / CDELT + CRPIX.
  const g = (image - table.crval[axis]) / table.cdelt[axis] + table.crpix[axis] - 1 / table.cdelt[axis];
  return Math.min(Math.max(g, 0), table.naxis[axis] - 1);
}

function at(table: LookupTable, i: number, j: number): number {
  const x = Math.min(Math.max(i, 0), table.naxis[0] - 1);
  const y = Math.min(Math.max(j, 0), table.naxis[1] - 1);
  return table.data[table.naxis[0] * y + x];
}

/** The correction at 1-based image pixel (x, y). */
export function lookupOffset(table: LookupTable, x: number, y: number): number {
  const gx = gridCoordinate(table, 0, x);
  const gy = gridCoordinate(table, 1, y);
  const i = Math.floor(gx);
  const j = Math.floor(gy);
  const wx = gx - i;
  const wy = gy - j;
  return (
    at(table, i, j) * (1 - wx) * (1 - wy) +
    at(table, i, j + 1) * (1 - wx) * wy +
    at(table, i + 1, j) * wx * (1 - wy) +
    at(table, i + 1, j + 1) * wx * wy
  );
}
