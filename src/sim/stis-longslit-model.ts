/**
 * The optical model of the simulated STIS/CCD first-order long-slit mode (G430L, CENWAVE 4300, 52X0.2): the
 * dispersion relation and spectrum trace that the DISPTAB and SPTRCTAB hold, the sensitivity the PHOTTAB,
 * APERTAB, PCTAB, GACTAB and TDSTAB hold, the source spectrum in flux units (the truth), the lamp lines of
 * the LAMPTAB and the slit bars of the APDESTAB. The raws are drawn from these same functions, displaced by
 * the simulated MSM offset (SHIFT_A1, SHIFT_A2 pixels), which the wavecal has to find.
 */

import { erf } from "./star-profile.js";
import { absorbedSpectrum, firstOrderGeometry, lampSpectrum, photonsPerSecond } from "./stis-first-order.js";

export const DETECTOR = "CCD";
export const OPT_ELEM = "G430L";
export const CENWAVE = 4300;
export const APERTURE = "52X0.2";
export const LAMP = { sclamp: "LINE", lampset: "10" };
/** The LAMPTAB's samples (every 0.25 Å from start), the sensitivity tables' and the APERTAB's wavelengths (Å). */
export const LAMPTAB_SAMPLES = { start: 2700, n: 13200 };
export const SENSITIVITY_RANGE = [2800, 5800];
export const APERTURE_RANGE = [2000, 11000];
/** Sky filling the slit, e-/s per pixel. */
export const SKY_RATE = 0.05;
/** arcsec per pixel along the slit (SDCTAB CDELT2) and across it. */
export const PLATE_SCALE = 0.05078;
/** The slit: width across the dispersion and length, arcsec (APDESTAB WIDTH1, WIDTH2), and its two bars. */
/** angle: calstis7's nominal slit angle (REF_ANGLE, degrees), so that its rows need no tilt correction. */
export const SLIT = { width1: 0.197, width2: 50.65, angle: 0.315, bars: [-11.618, 11.861], barWidths: [0.5, 0.86] };

/** Zero-indexed pixel = DISP[0] + DISP[1]·λ + DISP[2]·λ² − 1 (calstis' evalDisp, order 1). */
export const DISP_COEFF = [-1070.921, 0.37277, -1.0e-6];
/** Row of the trace at column A1CENTER (one-indexed, SPTRCTAB A2CENTER) and the trace's tilt and bow. */
export const TRACE = { a1center: 513, a2center: 512, tilt: 2.0e-3, bow: 1.5e-6 };
/** The simulated MSM offset of the exposures, pixels along and across the dispersion. */
export const SHIFT_A1 = 1.7;
export const SHIFT_A2 = -1.2;
/** Where the point source sits along the slit, pixels from the trace centre (before the MSM offset). */
export const SOURCE_OFFSET = 0;

/** The source: a smooth continuum with three absorption lines, erg s⁻¹ cm⁻² Å⁻¹. */
export const sourceFlux = absorbedSpectrum((wavelength: number) => 5.0e-14 * (wavelength / 4300) ** -1.5, [
  [3934, 12, 0.5],
  [4861, 8, 0.35],
  [5175, 15, 0.25],
] as const);

/** PHOTTAB THROUGHPUT: the grating and detector response for an infinite extraction box. */
export function response(wavelength: number): number {
  const t = (wavelength - 4600) / 1400;
  return 0.12 * Math.exp(-0.5 * t * t * 2.2);
}

/** APERTAB THROUGHPUT of 52X0.2 for a point source. */
export const slitThroughput = (wavelength: number) => 0.78 + 0.03 * ((wavelength - 4300) / 1400);
/** GACTAB THROUGHPUT of G430L/4300 through 52X0.2. */
export const gratingApertureFactor = (wavelength: number) => 0.985 + 0.01 * ((wavelength - 4300) / 1400);
/** TDSTAB: sensitivity falls by this percentage a year after TDS_EPOCH (MJD), at every wavelength. */
export const TDS_SLOPE = -0.4;
export const TDS_EPOCH = 50800;
/** TDSTAB REFTEMP and TEMPSENS (per degree C): none for the CCD. */
export const TDS_TEMPERATURE = { reftemp: 0, tempsens: 0 };
/** Spatial Gaussian σ of the point source (rows), growing with wavelength. */
export const profileSigma = (wavelength: number) => 1.0 + 0.25 * ((wavelength - 2900) / 2800);
/** XTRACTAB EXTRSIZE (rows) and the PCTAB fraction of the source inside it. */
export const EXTRSIZE = 7;
export const enclosedFraction = (wavelength: number, height = EXTRSIZE) =>
  erf(height / 2 / (profileSigma(wavelength) * Math.SQRT2));

/** TDS factor at an MJD (calstis' original STIS TDS format: 1 + slope·Δt). */
export const tdsFactor = (mjd: number) => 1 + ((mjd - TDS_EPOCH) * TDS_SLOPE) / 365.25 / 100;

/** Electrons per second a pixel column collects from the source at wavelength λ (its whole profile). */
export function sourceRate(wavelength: number, mjd: number): number {
  const photons = photonsPerSecond(sourceFlux(wavelength), wavelength);
  const sensitivity =
    response(wavelength) * slitThroughput(wavelength) * gratingApertureFactor(wavelength) * tdsFactor(mjd);
  return photons * sensitivity * dispersionAt(wavelength);
}

/** The HITM/LINE lamp lines: wavelength (Å) and relative strength. */
export const LAMP_LINES: [number, number][] = [
  [3021.5, 40],
  [3131.7, 25],
  [3265.1, 60],
  [3404.6, 30],
  [3567.2, 80],
  [3719.4, 45],
  [3820.4, 35],
  [3949.0, 70],
  [4072.0, 55],
  [4199.9, 90],
  [4348.1, 40],
  [4481.8, 65],
  [4609.6, 30],
  [4764.9, 100],
  [4879.9, 50],
  [5017.2, 45],
  [5162.3, 75],
  [5330.8, 35],
  [5495.9, 60],
  [5606.7, 40],
];
/** Lamp line σ in the LAMPTAB (Å), far narrower than the slit image. */
export const LAMP_LINE_SIGMA = 0.8;
/** Lamp continuum and the electrons per second per unit strength a line gives a column of the wavecal. */
export const LAMP_CONTINUUM = 0.02;
export const LAMP_RATE = 4.0;

export const { pixelOf, wavelengthAt, dispersionAt, traceDisplacement } = firstOrderGeometry(DISP_COEFF, TRACE);
/** LAMPTAB flux at a wavelength (relative units). */
export const lampFlux = lampSpectrum(LAMP_LINES, LAMP_LINE_SIGMA, LAMP_CONTINUUM);
export { HST_AREA, rowFraction } from "./stis-first-order.js";
