/**
 * A distortion lookup table (the FITS distortion paper's `Lookup`, HST's D2IMARR and WCSDVARR extensions):
 * a grid of corrections in pixels on one axis, sampled every CDELT image pixels from CRVAL at grid pixel
 * CRPIX, interpolated bilinearly and clamped at the edges as astropy's distortion.c does. astropy 6.1
 * (astropy#16163) moved the grid by (1 - 1/CDELT) grid pixels: (image - CRVAL) / CDELT + CRPIX - 1; we follow
 * the 5.2 of Debian bookworm, which the oracle tests run.
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

const clamp = (g: number, max: number) => Math.min(Math.max(g, 0), max);

/** The correction at 1-based image pixel (x, y). */
export function lookupOffset(table: LookupTable, x: number, y: number): number {
  const n0 = table.naxis[0];
  const n1 = table.naxis[1];
  // astropy (5.2, Debian's oracle) takes the image pixel 0-based here: (image - 1 - CRVAL) / CDELT + CRPIX.
  const gx = clamp((x - table.crval[0]) / table.cdelt[0] + table.crpix[0] - 1 / table.cdelt[0], n0 - 1);
  const gy = clamp((y - table.crval[1]) / table.cdelt[1] + table.crpix[1] - 1 / table.cdelt[1], n1 - 1);
  const i = Math.floor(gx);
  const j = Math.floor(gy);
  const wx = gx - i;
  const wy = gy - j;
  const i1 = i + 1 < n0 ? i + 1 : n0 - 1;
  const j1 = j + 1 < n1 ? j + 1 : n1 - 1;
  const d = table.data;
  return (
    d[n0 * j + i] * (1 - wx) * (1 - wy) +
    d[n0 * j1 + i] * (1 - wx) * wy +
    d[n0 * j + i1] * wx * (1 - wy) +
    d[n0 * j1 + i1] * wx * wy
  );
}
