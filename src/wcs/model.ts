import type { LookupTable } from "./lookup.js";
import type { Sip } from "./sip.js";

/** A 2×2 matrix, row-major: [[m11, m12], [m21, m22]]. */
export type Matrix2 = [[number, number], [number, number]];

/**
 * A celestial TAN WCS with HST's distortions, in the terms astropy.wcs uses: pixel coordinates are 1-based FITS
 * pixels; the lookup tables and SIP give the focal-plane coordinates, the linear transformation and TAN give
 * the sky.
 */
export interface Wcs {
  ctype: [string, string];
  crpix: [number, number];
  crval: [number, number];
  /** Degrees per pixel: CD, or CDELT × PC. */
  cd: Matrix2;
  lonpole: number;
  latpole?: number;
  sip?: Sip;
  /** The detector-to-image lookup tables (D2IMDIS1/2), one per axis. */
  det2im: [LookupTable | undefined, LookupTable | undefined];
  /** The distortion paper's prior lookup tables (CPDIS1/2, HST's NPOL), one per axis. */
  cpdis: [LookupTable | undefined, LookupTable | undefined];
}

export function determinant(m: Matrix2): number {
  return m[0][0] * m[1][1] - m[0][1] * m[1][0];
}

export function invert(m: Matrix2): Matrix2 {
  const d = determinant(m);
  return [
    [m[1][1] / d, -m[0][1] / d],
    [-m[1][0] / d, m[0][0] / d],
  ];
}

export function multiply(a: Matrix2, b: Matrix2): Matrix2 {
  return [
    [a[0][0] * b[0][0] + a[0][1] * b[1][0], a[0][0] * b[0][1] + a[0][1] * b[1][1]],
    [a[1][0] * b[0][0] + a[1][1] * b[1][0], a[1][0] * b[0][1] + a[1][1] * b[1][1]],
  ];
}

export function hasDistortion(wcs: Wcs): boolean {
  return wcs.sip !== undefined || wcs.det2im.some(Boolean) || wcs.cpdis.some(Boolean);
}
