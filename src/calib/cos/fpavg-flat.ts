/**
 * The flat-field weight calcos' fpavg gives each input spectrum when it averages FP-POS exposures (its
 * Spectrum class): the flat collapsed over 15 rows around the spectrum (SP_LOC + SHIFT2), placed along the
 * extended axis where the wavecal shift put the data (ORIGIN_X − round(SHIFT1) + X_OFFSET, ones elsewhere) and
 * smoothed by the exposure's orbital Doppler motion, one-second steps from EXPSTART to EXPEND.
 */
import { SPEED_OF_LIGHT } from "./doppcorr.js";
import { roundHalfEven } from "./dqicorr.js";

/** Rows of the flat averaged around the spectrum (calcos' XD_WIDTH). */
const XD_WIDTH = 15;

export interface FlatImage {
  data: Float32Array;
  nx: number;
  ny: number;
  originX: number;
  originY: number;
}

export interface DopplerMotion {
  doppzero: number;
  orbitper: number;
  expstart: number;
  expend: number;
}

/** The flat's rows [lo, lo + 15) around `spLoc + shift2` averaged to one row (the whole flat if outside). */
export function collapseFlat(flat: FlatImage, spLoc: number, shift2: number): Float64Array {
  const { data, nx, ny } = flat;
  let lo = roundHalfEven(spLoc - Math.floor(XD_WIDTH / 2) + shift2 - flat.originY);
  let hi = lo + XD_WIDTH;
  if (hi < 0 || lo >= ny) [lo, hi] = [0, ny];
  lo = Math.max(lo, 0);
  hi = Math.min(hi, ny);
  const out = new Float64Array(nx);
  if (hi <= lo) return out;
  for (let y = lo; y < hi; y++) for (let x = 0; x < nx; x++) out[x] += data[y * nx + x];
  for (let x = 0; x < nx; x++) out[x] /= hi - lo;
  return out;
}

/** The collapsed flat along the `nelem` pixels of the spectrum, ones where it does not reach. */
export function placeFlat(row: Float64Array, originX: number, shift1: number, xOffset: number, nelem: number) {
  const flat = new Float64Array(nelem).fill(1);
  const offset = roundHalfEven(originX - roundHalfEven(shift1) + xOffset);
  for (let i = 0; i < row.length; i++) {
    const k = offset + i;
    if (k >= 0 && k < nelem) flat[k] = row[i];
  }
  return flat;
}

/** Doppler magnitude in pixels at the middle of a TIME-TAG NUV spectrum (calcos' getDopplerParam). */
export function dopplerPixels(kms: number, wavelength: Float64Array, middle: number): number {
  if (kms === 0) return 0;
  const low = middle - 50;
  const high = middle + 50;
  if (!(low > 0 && high < wavelength.length)) throw new Error(`wavelength array is too short, ${wavelength.length}`);
  const dispersion = (wavelength[high] - wavelength[low]) / 100;
  return (kms / SPEED_OF_LIGHT) * (wavelength[middle] / dispersion);
}

/** The flat convolved with the fraction of the exposure spent at each whole-pixel Doppler shift. */
export function convolveDoppler(flat: Float64Array, doppmag: number, motion: DopplerMotion): Float64Array {
  if (doppmag <= 0) return flat;
  const mag = Math.ceil(doppmag + 1);
  const width = 2 * mag + 1;
  const seconds = roundHalfEven((motion.expend - motion.expstart) * 86400);
  if (seconds <= 0) return flat;
  const kernel = new Float64Array(width);
  const increment = 1 / seconds;
  const t0 = (motion.expstart - motion.doppzero) * 86400;
  for (let i = 0; i < seconds; i++) {
    const shift = -doppmag * Math.sin((2 * Math.PI * (i + t0)) / motion.orbitper);
    kernel[roundHalfEven(shift) + mag] += increment;
  }
  const n = flat.length;
  const out = new Float64Array(n);
  out.fill(1, 0, mag);
  out.fill(1, n - mag);
  for (let k = 0; k < width; k++) {
    const w = kernel[width - 1 - k];
    for (let j = mag; j < n - mag; j++) out[j] += w * flat[k + j - mag];
  }
  return out;
}
