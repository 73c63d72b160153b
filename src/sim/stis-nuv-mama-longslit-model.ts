/**
 * The optical model of the simulated STIS NUV-MAMA first-order long-slit mode (G230L, CENWAVE 2376, 52X0.2,
 * low-res 1024² pixels), in the shape stis-mama-longslit-model.ts gives the FUV-MAMA's G140L: dispersion
 * ~1.58 Å per pixel over 1570–3180 Å, a Pt/Cr-Ne lamp's lines, a star's continuum with Mg II and Fe II
 * absorption. The NUV-MAMA's temperature is OM2CAT (36.5 °C, as stis-mama.ts writes it). Counts, not electrons.
 */

import { erf } from "./star-profile.js";
import {
  absorbedSpectrum,
  firstOrderGeometry,
  lampSpectrum,
  mamaSourceRate,
  tdsWithTemperature,
} from "./stis-first-order.js";

export const DETECTOR = "NUV-MAMA";
export const OPT_ELEM = "G230L";
export const CENWAVE = 2376;
export const APERTURE = "52X0.2";
export const LAMP = { sclamp: "LINE", lampset: "18" };
export const LAMPTAB_SAMPLES = { start: 1400, n: 8000 };
export const SENSITIVITY_RANGE = [1500, 3300];
export const APERTURE_RANGE = [1000, 11000];
/** Sky in the slit (zodiacal light and dark-like background), counts/s per low-res pixel. */
export const SKY_RATE = 0.004;
/** arcsec per low-res pixel (SDCTAB CDELT2). */
export const PLATE_SCALE = 0.0248;
export const SLIT = { width1: 0.2, width2: 52, angle: 0.315, bars: [-11.618, 11.861], barWidths: [0.5, 0.86] };

/** Zero-indexed pixel = DISP[0] + DISP[1]·λ + DISP[2]·λ² − 1 (calstis' evalDisp, order 1). */
export const DISP_COEFF = [-996.77, 0.6378, -1.0e-6];
export const TRACE = { a1center: 512, a2center: 515, tilt: 1.2e-3, bow: -1.5e-6 };
export const SHIFT_A1 = 1.8;
export const SHIFT_A2 = -0.9;
export const SOURCE_OFFSET = 0;

/** A solar-type star's ultraviolet: a rising continuum with Mg II 2796/2803, Mg I 2852 and Fe II 2600 absorption. */
export const sourceFlux = absorbedSpectrum((wavelength: number) => 3.0e-14 * (wavelength / 2376) ** 1.5, [
  [2585.9, 3, 0.35],
  [2599.4, 3, 0.45],
  [2796.4, 2.5, 0.7],
  [2803.5, 2.5, 0.6],
  [2852.1, 2.5, 0.4],
] as const);

/** PHOTTAB THROUGHPUT of G230L on the NUV-MAMA. */
export function response(wavelength: number): number {
  const t = (wavelength - 2300) / 700;
  return 0.03 * Math.exp(-0.5 * t * t * 2.5);
}

export const slitThroughput = (wavelength: number) => 0.75 + 0.02 * ((wavelength - 2376) / 800);
/** No GACTAB for a MAMA (CRDS selects it for the CCD only); kept at 1 in the model. */
export const gratingApertureFactor = (_wavelength: number) => 1;
export const TDS_SLOPE = -0.4;
export const TDS_EPOCH = 50800;
export const profileSigma = (wavelength: number) => 1.1 + 0.25 * ((wavelength - 1600) / 1600);
export const EXTRSIZE = 11;
export const enclosedFraction = (wavelength: number, height = EXTRSIZE) =>
  erf(height / 2 / (profileSigma(wavelength) * Math.SQRT2));

/** OM2CAT (degrees C, as stis-mama.ts writes it) and the TDSTAB's sensitivity to it (calstis tdscorrect.c). */
export const DETECTOR_TEMPERATURE = 36.5;
export const TDS_TEMPERATURE = { reftemp: 35, tempsens: -0.0015 };
export const tdsFactor = tdsWithTemperature(TDS_EPOCH, TDS_SLOPE, DETECTOR_TEMPERATURE, TDS_TEMPERATURE);

/** Synthetic Pt/Cr-Ne lamp lines in G230L's range: wavelength (Å) and relative strength. */
export const LAMP_LINES: [number, number][] = [
  [1652.4, 40],
  [1760.8, 55],
  [1873.2, 35],
  [1962.5, 70],
  [2049.9, 45],
  [2144.3, 90],
  [2250.1, 50],
  [2341.7, 100],
  [2437.2, 60],
  [2535.9, 80],
  [2628.3, 40],
  [2734.6, 75],
  [2830.2, 45],
  [2929.8, 65],
  [3038.1, 50],
  [3131.5, 35],
];
export const LAMP_LINE_SIGMA = 0.8;
export const LAMP_CONTINUUM = 0.02;
/** Counts per second per unit strength: the lamp keeps the wavecal far below the global count-rate limit. */
export const LAMP_RATE = 0.004;

export const { pixelOf, wavelengthAt, dispersionAt, traceDisplacement } = firstOrderGeometry(DISP_COEFF, TRACE);
/** LAMPTAB flux at a wavelength (relative units). */
export const lampFlux = lampSpectrum(LAMP_LINES, LAMP_LINE_SIGMA, LAMP_CONTINUUM);
export { HST_AREA, rowFraction } from "./stis-first-order.js";
/** Counts per second a pixel column collects from the source at wavelength λ (its whole profile). */
export const sourceRate = mamaSourceRate({ sourceFlux, response, slitThroughput, tdsFactor, dispersionAt });
