/**
 * Count-rate images (e-/s per science pixel) of the simulated long-slit exposures: the point source's
 * spectrum along the trace with the sky filling the slit, and the wavecal's lamp lines imaged through the
 * slit, both displaced by the MSM offset; the slit's bars block the light at their rows. The mode's optics
 * default to the CCD's G430L (stis-longslit-model.ts).
 */

import { erf } from "./star-profile.js";
import * as G430L from "./stis-longslit-model.js";
import type { LongSlitOptics } from "./stis-longslit-optics.js";

/** Sky filling the slit, e-/s per pixel (G430L). */
export const SKY_RATE = G430L.SKY_RATE;

/** Zero-indexed row of the slit centre (the trace) at column x, MSM offset included. */
export const slitCentreRow = (x: number, m: LongSlitOptics = G430L) =>
  m.TRACE.a2center - 1 + m.traceDisplacement(x) + m.SHIFT_A2;

/** 1 where row y at column x is in the open slit, 0 behind a bar or beyond the slit's ends. */
function slitOpen(x: number, y: number, m: LongSlitOptics): number {
  const arcsec = (y - slitCentreRow(x, m)) * m.PLATE_SCALE;
  if (Math.abs(arcsec) > m.SLIT.width2 / 2) return 0;
  for (let b = 0; b < m.SLIT.bars.length; b++) {
    if (Math.abs(arcsec - m.SLIT.bars[b]) < m.SLIT.barWidths[b] / 2) return 0;
  }
  return 1;
}

/** The science exposure's rate at an MJD (the TDS loss applies). */
export function scienceRate(nx: number, ny: number, mjd: number, m: LongSlitOptics = G430L): Float32Array {
  const rate = new Float32Array(nx * ny);
  for (let x = 0; x < nx; x++) {
    const wavelength = m.wavelengthAt(x - m.SHIFT_A1);
    const column = m.sourceRate(wavelength, mjd);
    const centre = slitCentreRow(x, m) + m.SOURCE_OFFSET;
    const sigma = m.profileSigma(wavelength);
    for (let y = 0; y < ny; y++) {
      const open = slitOpen(x, y, m);
      let r = m.SKY_RATE * open;
      if (Math.abs(y - centre) < 12 * sigma) r += column * m.rowFraction(y, centre, sigma);
      rate[y * nx + x] = r;
    }
  }
  return rate;
}

/** The lamp's rate in a column (integrated over the pixel, the slit's width and the line profiles). */
export function lampColumnRate(x: number, m: LongSlitOptics = G430L): number {
  const slitPixels = m.SLIT.width1 / m.PLATE_SCALE;
  const samples = 16;
  let sum = 0;
  for (let k = 0; k < samples; k++) {
    const u = x - 0.5 + (k + 0.5) / samples - m.SHIFT_A1;
    for (const [wavelength, strength] of m.LAMP_LINES) {
      const p = m.pixelOf(wavelength);
      const s = (m.LAMP_LINE_SIGMA / m.dispersionAt(wavelength)) * Math.SQRT2;
      // a Gaussian line seen through a box slit of slitPixels width
      const box = 0.5 * (erf((u - p + slitPixels / 2) / s) - erf((u - p - slitPixels / 2) / s));
      sum += (strength * box * m.LAMP_RATE) / samples;
    }
  }
  return sum + m.LAMP_CONTINUUM * m.LAMP_RATE * slitPixels;
}

/** The wavecal's rate: lamp lines along the whole open slit. */
export function lampRate(nx: number, ny: number, m: LongSlitOptics = G430L): Float32Array {
  const rate = new Float32Array(nx * ny);
  for (let x = 0; x < nx; x++) {
    const column = lampColumnRate(x, m);
    for (let y = 0; y < ny; y++) rate[y * nx + x] = column * slitOpen(x, y, m);
  }
  return rate;
}
