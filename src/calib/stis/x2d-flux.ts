/**
 * calstis7's FLUXCORR of a rectified spectral image (cs7 absflux.c): each column's counts → surface brightness
 * (erg s⁻¹ cm⁻² Å⁻¹ arcsec⁻²) by h c · ATODGAIN / (R(λ) · λ · HST area · EXPTIME · CDELT1 · CDELT2 · slit
 * width), divided by the TDS factor, with λ the observed wavelength; and the keywords DIFF2PT (from the mean
 * slit throughput over the PCTAB's infinite-box factor), CONT2EML, SCALE_A1 and OMEGAPIX. Factors are
 * interpolated linearly and clamped at the ends (interp1d.c). Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import type { ImageSet } from "../common/imset.js";
import { CALIBDEFECT, type Curve, interpolate } from "./absolute-flux.js";
import type { X2dGrid } from "./x2d-geometry.js";

const H_PLANCK = 6.6260755e-27;
const C_LIGHT = 2.99792458e10;
const HST_AREA = 45238.93416;
const CM_PER_ANGSTROM = 1e-8;
export const SURFACE_BRIGHTNESS = "erg /s /cm**2 /angstrom /arcsec**2";

export interface X2dFluxInput {
  grid: X2dGrid;
  /** PHOTTAB THROUGHPUT. */
  response: Curve;
  /** PCTAB factors of the MAXHGHT row on the PHOTTAB's wavelengths (all 1 without PCTAB). */
  pct: Curve;
  /** APERTAB THROUGHPUT of the aperture. */
  slit: Curve;
  /** TDS factors on the TDSTAB's wavelengths at the exposure (none: TDSCORR not done). */
  tds?: Curve;
  /** APDESTAB WIDTH1 (arcsec). */
  slitWidth: number;
  plateScale: [number, number];
  atodgain: number;
  exptime: number;
  hfactor: number;
}

const f = Math.fround;

/** Calibrates `set` in place; returns the keywords for its SCI header (BUNIT for SCI and ERR). */
export function fluxCalibrate(set: ImageSet, o: X2dFluxInput): Record<string, number | string> {
  const { grid } = o;
  const [cdelt1, cdelt2] = grid.cdelt;
  let diff2pt = f(cdelt2 * o.slitWidth);
  const cont2eml = f((cdelt1 * o.slitWidth) / o.plateScale[0]);
  const photfactor = (H_PLANCK * C_LIGHT * o.atodgain) / (HST_AREA * o.exptime * cdelt1 * cdelt2 * o.slitWidth);
  let sum = 0;
  const flagColumn = (i: number) => {
    for (let j = 0; j < set.ny; j++) set.dq[j * set.nx + i] |= CALIBDEFECT;
  };
  for (let i = 0; i < set.nx; i++) {
    const wl = ((i - grid.crpix[0]) * cdelt1 + grid.crval[0]) / o.hfactor;
    if (wl <= 0) {
      flagColumn(i);
      continue;
    }
    const response = interpolate(wl, o.response);
    sum += interpolate(wl, o.slit) / interpolate(wl, o.pct);
    if (response <= 0) continue;
    const tds = o.tds ? interpolate(wl, o.tds) : 1;
    const correction = f(f(photfactor / (response * wl * CM_PER_ANGSTROM)) / tds);
    if (correction <= 0) {
      flagColumn(i);
      continue;
    }
    for (let j = 0; j < set.ny; j++) {
      const k = j * set.nx + i;
      set.sci[k] = f(set.sci[k] * correction);
      set.err[k] = f(set.err[k] * correction);
    }
  }
  const throughput = sum / set.nx;
  diff2pt = throughput > 0 ? f(diff2pt / throughput) : -9999;
  return {
    BUNIT: SURFACE_BRIGHTNESS,
    DIFF2PT: diff2pt,
    CONT2EML: cont2eml,
    SCALE_A1: f(o.plateScale[0]),
    OMEGAPIX: o.plateScale[0] * o.plateScale[1],
  };
}
