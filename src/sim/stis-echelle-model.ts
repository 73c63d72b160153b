/**
 * The optical model of the simulated STIS FUV-MAMA echelle mode (E140M, CENWAVE 1425, 0.2X0.06, low-res 1024²
 * pixels): a few spectral orders stacked across the detector, each a trace of its own (SPTRCTAB row per SPORDER)
 * on one echelle dispersion relation in m·λ (calstis evaldisp.c: pixel = c0 + c1·m·λ − 1), the resolving power
 * of E140M (~0.016 Å per pixel at 1425 Å), a blaze function per order, a Pt/Cr-Ne-like lamp of dense lines.
 */
import { erf } from "./star-profile.js";
import { absorbedSpectrum, mamaSourceRate, photonsPerSecond, tdsWithTemperature } from "./stis-first-order.js";

export const DETECTOR = "FUV-MAMA";
export const OPT_ELEM = "E140M";
export const CENWAVE = 1425;
/** E140M's usual aperture: 0.06″ along the dispersion (~2.4 pixels), 0.2″ across it. */
export const APERTURE = "0.2X0.06";
/** APER_FOV as the archive writes it: the height across the dispersion, then the width along it (cs4 ReadWidth). */
export const APER_FOV = "0.2x0.06";
export const LAMP = { sclamp: "LINE", lampset: "10" };
/** The orders simulated (real E140M has 86–129; a handful spaced far apart keeps the backgrounds clean). */
export const ORDERS = [97, 98, 99, 100, 101, 102, 103] as const;
/** One-indexed row of each order's trace centre at A1CENTER (orders of lower m sit higher, as on STIS). */
export const orderRow = (m: number) => 512 + (100 - m) * 110;
export const A1CENTER = 512;
/** m·λ at the detector's centre column (Å): order 100 is centred on 1425 Å. */
export const M_LAMBDA_CENTRE = 142500;
/** pixels per unit m·λ: at order 100, 1 / (0.64·100) ≈ 0.0156 Å per pixel. */
export const C1 = 0.64;
/** DISPTAB COEFF (two terms): one-indexed pixel = c0 + c1·m·λ. */
export const DISP_COEFF = [A1CENTER - C1 * M_LAMBDA_CENTRE, C1];
/** Zero-indexed pixel of wavelength λ in order m (no MSM offset). */
export const pixelOf = (m: number, wavelength: number) => DISP_COEFF[0]! + C1 * m * wavelength - 1;
export const wavelengthAt = (m: number, pixel: number) => (pixel + 1 - DISP_COEFF[0]!) / (C1 * m);
export const dispersionAt = (m: number) => 1 / (C1 * m);
/** The trace's tilt across the detector (rows per column) and its bow. */
export const TRACE = { tilt: 4.0e-3, bow: 1.5e-6 };
export const traceDisplacement = (x: number) => {
  const dx = x + 1 - A1CENTER;
  return TRACE.tilt * dx + TRACE.bow * dx * dx;
};
export const SHIFT_A1 = 3.2;
export const SHIFT_A2 = -1.7;
/** arcsec per low-res pixel across the dispersion: the CD2_2 the raws carry (the MAMA plate scale). */
export const PLATE_SCALE = 0.0246;
export const SLIT = { width1: 0.06, width2: 0.2 };
/** Sky and detector background in and between orders, counts/s per low-res pixel. */
export const SKY_RATE = 0.001;

/** A hot star's continuum with Si IV 1393.8/1402.8 and narrow interstellar lines. */
export const sourceFlux = absorbedSpectrum((wavelength: number) => 3.0e-13 * (wavelength / 1425) ** -2, [
  [1393.76, 0.25, 0.6],
  [1402.77, 0.25, 0.5],
  [1407.3, 0.05, 0.8],
  [1423.5, 0.04, 0.7],
  [1440.2, 0.06, 0.75],
] as const);

/** The echelle's blaze: each order peaks at m·λ = M_LAMBDA_CENTRE and falls as sinc² away from it. */
export function blaze(m: number, wavelength: number): number {
  const u = (Math.PI * (m * wavelength - M_LAMBDA_CENTRE)) / (1.6 * wavelength);
  return u === 0 ? 1 : (Math.sin(u) / u) ** 2;
}
/** PHOTTAB THROUGHPUT of order m: the grating's smooth response times the blaze. */
export const response = (m: number) => (wavelength: number) =>
  0.012 * Math.exp(-0.5 * ((wavelength - 1420) / 120) ** 2) * blaze(m, wavelength);
export const slitThroughput = (wavelength: number) => 0.75 + 0.03 * ((wavelength - 1425) / 300);
export const TDS_SLOPE = -0.9;
export const TDS_EPOCH = 50800;
export const DETECTOR_TEMPERATURE = 37.5;
export const TDS_TEMPERATURE = { reftemp: 36, tempsens: -0.002 };
export const tdsFactor = tdsWithTemperature(TDS_EPOCH, TDS_SLOPE, DETECTOR_TEMPERATURE, TDS_TEMPERATURE);
export const profileSigma = (wavelength: number) => 1.1 + 0.1 * ((wavelength - 1380) / 100);
export const EXTRSIZE = 7;
export const BACKGROUND = { size: 5, offset: 30 };
export const enclosedFraction = (wavelength: number, height = EXTRSIZE) =>
  erf(height / 2 / (profileSigma(wavelength) * Math.SQRT2));

/** Counts per second a column of order m collects from the source at wavelength λ (its whole profile). */
export const sourceRate = (m: number) =>
  mamaSourceRate({ sourceFlux, response: response(m), slitThroughput, tdsFactor, dispersionAt: () => dispersionAt(m) });
export { photonsPerSecond };

/** The wavelengths the orders cover, with a margin for the MSM shift. */
export const WAVELENGTH_RANGE = [wavelengthAt(ORDERS.at(-1)!, -40), wavelengthAt(ORDERS[0], 1064)];

/** Lamp lines every ~0.35 Å with strengths from a fixed sequence (no randomness in the model). */
export const LAMP_LINES: [number, number][] = Array.from({ length: 360 }, (_, i) => {
  const wavelength = 1360 + i * 0.35 + 0.11 * Math.sin(i * 1.7);
  return [Number(wavelength.toFixed(3)), 5 + 40 * (0.5 + 0.5 * Math.sin(i * 2.3)) ** 2];
});
export const LAMP_LINE_SIGMA = 0.012;
export const LAMP_CONTINUUM = 0.01;
export const LAMP_RATE = 0.004;
export const lampFlux = (wavelength: number) => {
  let f = LAMP_CONTINUUM;
  for (const [c, s] of LAMP_LINES) {
    const d = (wavelength - c) / LAMP_LINE_SIGMA;
    if (Math.abs(d) < 8) f += s * Math.exp(-0.5 * d * d);
  }
  return f;
};
