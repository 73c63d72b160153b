import { type Celestial, skyToTan, tanToSky } from "./celestial.js";
import { WcsError } from "./errors.js";
import { lookupOffset } from "./lookup.js";
import { hasDistortion, invert, type Wcs } from "./model.js";
import { sipDeltas } from "./sip.js";

export type Point = [number, number];

export interface InverseOptions {
  /** Stop when the focal-plane residual is below this, in pixels (astropy's default 1e-4). */
  tolerance?: number;
  maxIterations?: number;
}

/**
 * Pixel to focal-plane coordinates as astropy's pipeline_pix2foc: the detector-to-image tables first, then
 * SIP and the prior-distortion tables, both evaluated at the det2im-corrected pixel and added to it.
 */
export function pixToFocal(wcs: Wcs, x: number, y: number): Point {
  let px = x;
  let py = y;
  const [d1, d2] = wcs.det2im;
  if (d1 || d2) {
    px = x + (d1 ? lookupOffset(d1, x, y) : 0);
    py = y + (d2 ? lookupOffset(d2, x, y) : 0);
  }
  let fx = px;
  let fy = py;
  if (wcs.sip) {
    const [da, db] = sipDeltas(wcs.sip, px - wcs.crpix[0], py - wcs.crpix[1]);
    fx += da;
    fy += db;
  }
  const [c1, c2] = wcs.cpdis;
  if (c1) fx += lookupOffset(c1, px, py);
  if (c2) fy += lookupOffset(c2, px, py);
  return [fx, fy];
}

const celestialOf = (wcs: Wcs): Celestial => ({ crval: wcs.crval, lonpole: wcs.lonpole });

/** Focal-plane (undistorted pixel) coordinates to the sky: astropy's wcs_pix2world (linear, then TAN). */
export function focalToSky(wcs: Wcs, fx: number, fy: number): Point {
  const u = fx - wcs.crpix[0];
  const v = fy - wcs.crpix[1];
  const [[a, b], [c, d]] = wcs.cd;
  return tanToSky(celestialOf(wcs), a * u + b * v, c * u + d * v);
}

/** The sky to focal-plane coordinates: astropy's wcs_world2pix. */
export function skyToFocal(wcs: Wcs, ra: number, dec: number): Point {
  const [x, y] = skyToTan(celestialOf(wcs), ra, dec);
  const [[a, b], [c, d]] = invert(wcs.cd);
  return [wcs.crpix[0] + a * x + b * y, wcs.crpix[1] + c * x + d * y];
}

/** astropy's all_pix2world: every distortion, then the linear transformation and TAN. */
export function pixToSky(wcs: Wcs, x: number, y: number): Point {
  const [fx, fy] = pixToFocal(wcs, x, y);
  return focalToSky(wcs, fx, fy);
}

/**
 * astropy's all_world2pix for one position: start from the undistorted solution and subtract the focal-plane
 * residual until it is below the tolerance; a residual that stops shrinking while still above it diverges.
 * Both failures are errors (astropy's NoConvergence), never a silently wrong pixel.
 */
export function skyToPix(wcs: Wcs, ra: number, dec: number, options: InverseOptions = {}): Point {
  const target = skyToFocal(wcs, ra, dec);
  if (!Number.isFinite(target[0]) || !Number.isFinite(target[1])) {
    throw new WcsError(`(${ra}, ${dec}) is not on the projection's near hemisphere`);
  }
  return focalToPix(wcs, target[0], target[1], options, `(${ra}, ${dec})`);
}

/** The pixel whose focal-plane coordinates are (tx, ty): the iteration of all_world2pix (see skyToPix). */
export function focalToPix(
  wcs: Wcs,
  tx: number,
  ty: number,
  options: InverseOptions = {},
  where = `focal (${tx}, ${ty})`,
): Point {
  if (!hasDistortion(wcs)) return [tx, ty];
  const tolerance2 = (options.tolerance ?? 1e-4) ** 2;
  const maxIterations = options.maxIterations ?? 20;
  const pix: Point = [tx, ty];
  let previous = Number.POSITIVE_INFINITY;
  for (let k = 1; ; k++) {
    const [fx, fy] = pixToFocal(wcs, pix[0], pix[1]);
    const dx = fx - tx;
    const dy = fy - ty;
    const dn = dx * dx + dy * dy;
    if (k > 1 && dn >= previous && dn >= tolerance2) {
      throw new WcsError(`the inverse distortion diverges at ${where} after ${k} iterations`);
    }
    pix[0] -= dx;
    pix[1] -= dy;
    if (dn < tolerance2) return pix;
    if (k >= maxIterations) {
      throw new WcsError(`the inverse distortion did not converge at ${where} in ${maxIterations} iterations`);
    }
    previous = dn;
  }
}
