/**
 * The optical model of the simulated STIS FUV-MAMA first-order long-slit mode (G140L, CENWAVE 1425, 52X0.2,
 * low-res 1024² pixels): the same quantities stis-longslit-model.ts gives the CCD's G430L (LongSlitOptics),
 * for the far ultraviolet: dispersion ~0.6 Å per pixel over 1120–1730 Å, a Pt/Cr-Ne lamp's lines, a hot
 * star's continuum with Lyα, Si IV and C IV absorption, the MAMA's finer plate scale. Counts, not electrons.
 */

import { erf } from "./star-profile.js";
import {
  absorbedSpectrum,
  firstOrderGeometry,
  lampSpectrum,
  mamaSourceRate,
  tdsWithTemperature,
} from "./stis-first-order.js";

export const DETECTOR = "FUV-MAMA";
export const OPT_ELEM = "G140L";
export const CENWAVE = 1425;
export const APERTURE = "52X0.2";
export const LAMP = { sclamp: "LINE", lampset: "18" };
export const LAMPTAB_SAMPLES = { start: 1000, n: 3600 };
export const SENSITIVITY_RANGE = [1050, 1800];
export const APERTURE_RANGE = [1000, 11000];
/** Sky (geocoronal and dark-like background) in the slit, counts/s per low-res pixel. */
export const SKY_RATE = 0.002;
/** arcsec per low-res pixel (SDCTAB CDELT2). */
export const PLATE_SCALE = 0.0246;
export const SLIT = { width1: 0.2, width2: 52, angle: 0.315, bars: [-11.618, 11.861], barWidths: [0.5, 0.86] };

/** Zero-indexed pixel = DISP[0] + DISP[1]·λ + DISP[2]·λ² − 1 (calstis' evalDisp, order 1). */
export const DISP_COEFF = [-1906.3, 1.712, -1.0e-5];
export const TRACE = { a1center: 513, a2center: 508, tilt: -1.5e-3, bow: 2.0e-6 };
export const SHIFT_A1 = -2.3;
export const SHIFT_A2 = 1.4;
export const SOURCE_OFFSET = 0;

/** A hot star: a falling continuum with Lyα, Si IV 1394/1403 and C IV 1548/1551 absorption. */
export const sourceFlux = absorbedSpectrum((wavelength: number) => 8.0e-14 * (wavelength / 1425) ** -2, [
  [1215.7, 6, 0.8],
  [1393.8, 1.5, 0.5],
  [1402.8, 1.5, 0.4],
  [1548.2, 1.8, 0.55],
  [1550.8, 1.8, 0.45],
] as const);

/** PHOTTAB THROUGHPUT of G140L on the FUV-MAMA. */
export function response(wavelength: number): number {
  const t = (wavelength - 1350) / 350;
  return 0.05 * Math.exp(-0.5 * t * t * 2.5);
}

export const slitThroughput = (wavelength: number) => 0.7 + 0.02 * ((wavelength - 1425) / 300);
/** No GACTAB for a MAMA (CRDS selects it for the CCD only); kept at 1 in the model. */
export const gratingApertureFactor = (_wavelength: number) => 1;
export const TDS_SLOPE = -1.1;
export const TDS_EPOCH = 50800;
export const profileSigma = (wavelength: number) => 1.2 + 0.2 * ((wavelength - 1150) / 600);
export const EXTRSIZE = 11;
export const enclosedFraction = (wavelength: number, height = EXTRSIZE) =>
  erf(height / 2 / (profileSigma(wavelength) * Math.SQRT2));

/** The FUV-MAMA's temperature (SCI OM1CAT, degrees C) and the TDSTAB's sensitivity to it (calstis tdscorrect.c). */
export const DETECTOR_TEMPERATURE = 37.5;
export const TDS_TEMPERATURE = { reftemp: 36, tempsens: -0.002 };
export const tdsFactor = tdsWithTemperature(TDS_EPOCH, TDS_SLOPE, DETECTOR_TEMPERATURE, TDS_TEMPERATURE);

/** Synthetic Pt/Cr-Ne lamp lines in G140L's range: wavelength (Å) and relative strength. */
export const LAMP_LINES: [number, number][] = [
  [1148.3, 30],
  [1189.6, 45],
  [1236.1, 25],
  [1274.9, 60],
  [1310.2, 35],
  [1356.8, 80],
  [1397.5, 40],
  [1436.9, 90],
  [1478.1, 50],
  [1519.4, 70],
  [1568.5, 35],
  [1605.3, 100],
  [1648.2, 45],
  [1691.7, 65],
];
export const LAMP_LINE_SIGMA = 0.3;
export const LAMP_CONTINUUM = 0.02;
/** Counts per second per unit strength: the lamp keeps the wavecal far below the global count-rate limit. */
export const LAMP_RATE = 0.005;

export const { pixelOf, wavelengthAt, dispersionAt, traceDisplacement } = firstOrderGeometry(DISP_COEFF, TRACE);
/** LAMPTAB flux at a wavelength (relative units). */
export const lampFlux = lampSpectrum(LAMP_LINES, LAMP_LINE_SIGMA, LAMP_CONTINUUM);
export { HST_AREA, rowFraction } from "./stis-first-order.js";
/** Counts per second a pixel column collects from the source at wavelength λ (its whole profile). */
export const sourceRate = mamaSourceRate({ sourceFlux, response, slitThroughput, tdsFactor, dispersionAt });
