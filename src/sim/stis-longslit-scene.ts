/**
 * Count-rate images (e-/s per science pixel) of the simulated long-slit exposures: the point source's
 * spectrum along the trace with the sky filling the slit, and the wavecal's lamp lines imaged through the
 * slit, both displaced by the MSM offset; the slit's bars block the light at their rows.
 */

import { erf } from "./star-profile.js";
import {
  dispersionAt,
  LAMP_CONTINUUM,
  LAMP_LINE_SIGMA,
  LAMP_LINES,
  LAMP_RATE,
  PLATE_SCALE,
  pixelOf,
  profileSigma,
  rowFraction,
  SHIFT_A1,
  SHIFT_A2,
  SLIT,
  SOURCE_OFFSET,
  sourceRate,
  TRACE,
  traceDisplacement,
  wavelengthAt,
} from "./stis-longslit-model.js";

/** Sky filling the slit, e-/s per pixel. */
export const SKY_RATE = 0.05;

/** Zero-indexed row of the slit centre (the trace) at column x, MSM offset included. */
export const slitCentreRow = (x: number) => TRACE.a2center - 1 + traceDisplacement(x) + SHIFT_A2;

/** 1 where row y at column x is in the open slit, 0 behind a bar or beyond the slit's ends. */
function slitOpen(x: number, y: number): number {
  const arcsec = (y - slitCentreRow(x)) * PLATE_SCALE;
  if (Math.abs(arcsec) > SLIT.width2 / 2) return 0;
  for (let b = 0; b < SLIT.bars.length; b++) {
    if (Math.abs(arcsec - SLIT.bars[b]) < SLIT.barWidths[b] / 2) return 0;
  }
  return 1;
}

/** The science exposure's rate at an MJD (the TDS loss applies). */
export function scienceRate(nx: number, ny: number, mjd: number): Float32Array {
  const rate = new Float32Array(nx * ny);
  for (let x = 0; x < nx; x++) {
    const wavelength = wavelengthAt(x - SHIFT_A1);
    const column = sourceRate(wavelength, mjd);
    const centre = slitCentreRow(x) + SOURCE_OFFSET;
    const sigma = profileSigma(wavelength);
    for (let y = 0; y < ny; y++) {
      const open = slitOpen(x, y);
      let r = SKY_RATE * open;
      if (Math.abs(y - centre) < 12 * sigma) r += column * rowFraction(y, centre, sigma);
      rate[y * nx + x] = r;
    }
  }
  return rate;
}

/** The lamp's rate in a column (integrated over the pixel, the slit's width and the line profiles). */
export function lampColumnRate(x: number): number {
  const slitPixels = SLIT.width1 / PLATE_SCALE;
  const samples = 16;
  let sum = 0;
  for (let k = 0; k < samples; k++) {
    const u = x - 0.5 + (k + 0.5) / samples - SHIFT_A1;
    for (const [wavelength, strength] of LAMP_LINES) {
      const p = pixelOf(wavelength);
      const s = (LAMP_LINE_SIGMA / dispersionAt(wavelength)) * Math.SQRT2;
      // a Gaussian line seen through a box slit of slitPixels width
      const box = 0.5 * (erf((u - p + slitPixels / 2) / s) - erf((u - p - slitPixels / 2) / s));
      sum += (strength * box * LAMP_RATE) / samples;
    }
  }
  return sum + LAMP_CONTINUUM * LAMP_RATE * slitPixels;
}

/** The wavecal's rate: lamp lines along the whole open slit. */
export function lampRate(nx: number, ny: number): Float32Array {
  const rate = new Float32Array(nx * ny);
  for (let x = 0; x < nx; x++) {
    const column = lampColumnRate(x);
    for (let y = 0; y < ny; y++) rate[y * nx + x] = column * slitOpen(x, y);
  }
  return rate;
}
