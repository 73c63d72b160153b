/**
 * The arithmetic every simulated first-order long-slit mode shares (stis-longslit-model.ts for the CCD's G430L,
 * stis-mama-longslit-model.ts for the FUV-MAMA's G140L, stis-nuv-mama-longslit-model.ts for the NUV-MAMA's G230L):
 * the dispersion relation and trace, photon rates, a Gaussian's share of a row, and a lamp spectrum of Gaussian lines.
 */
import { erf } from "./star-profile.js";

const H_PLANCK = 6.6260755e-27;
const C_LIGHT = 2.99792458e10;
/** calstis' HST_AREA (cm²). */
export const HST_AREA = 45238.93416;

export interface TraceShape {
  /** Column of the trace centre (one-indexed, SPTRCTAB A1CENTER). */
  a1center: number;
  tilt: number;
  bow: number;
}

/** pixelOf, wavelengthAt, dispersionAt and traceDisplacement of one mode's dispersion coefficients and trace. */
export function firstOrderGeometry(coeff: readonly number[], trace: TraceShape) {
  const [c0, c1, c2] = coeff as [number, number, number];
  return {
    /** Zero-indexed pixel of wavelength λ on the reference dispersion (no MSM offset). */
    pixelOf: (wavelength: number) => c0 + c1 * wavelength + c2 * wavelength * wavelength - 1,
    /** Wavelength at a zero-indexed reference pixel (the root of the quadratic on the branch in use). */
    wavelengthAt: (pixel: number) => {
      const c = c0 - 1 - pixel;
      return (-c1 + Math.sqrt(c1 * c1 - 4 * c2 * c)) / (2 * c2);
    },
    /** Å per pixel at a wavelength. */
    dispersionAt: (wavelength: number) => 1 / (c1 + 2 * c2 * wavelength),
    /** SPTRCTAB A2DISPL: trace displacement (rows) at zero-indexed column x. */
    traceDisplacement: (x: number) => {
      const dx = x + 1 - trace.a1center;
      return trace.tilt * dx + trace.bow * dx * dx;
    },
  };
}

/** Photons s⁻¹ cm⁻² Å⁻¹ at the telescope's area from a flux in erg s⁻¹ cm⁻² Å⁻¹ at wavelength λ. */
export const photonsPerSecond = (flux: number, wavelength: number) =>
  (flux * HST_AREA * wavelength * 1e-8) / (H_PLANCK * C_LIGHT);

/** Fraction of a Gaussian of σ centred at `center` that falls in row y (zero-indexed, pixel y−0.5 … y+0.5). */
export function rowFraction(y: number, center: number, sigma: number): number {
  const s = sigma * Math.SQRT2;
  return 0.5 * (erf((y + 0.5 - center) / s) - erf((y - 0.5 - center) / s));
}

/** A LAMPTAB-like spectrum (relative units): a continuum plus Gaussian lines of one σ. */
export function lampSpectrum(lines: readonly [number, number][], sigma: number, continuum: number) {
  return (wavelength: number): number => {
    let f = continuum;
    for (const [center, strength] of lines) f += strength * Math.exp(-0.5 * ((wavelength - center) / sigma) ** 2);
    return f;
  };
}

/** A continuum times Gaussian absorption lines (centre Å, σ Å, depth), erg s⁻¹ cm⁻² Å⁻¹. */
export function absorbedSpectrum(
  continuum: (wavelength: number) => number,
  lines: readonly (readonly [number, number, number])[],
) {
  return (wavelength: number): number => {
    const level = continuum(wavelength);
    let depth = 1;
    for (const [center, sigma, d] of lines) depth *= 1 - d * Math.exp(-0.5 * ((wavelength - center) / sigma) ** 2);
    return level * depth;
  };
}

/** The TDSTAB factor at an MJD: 1 + slope·Δt (per cent a year), times the temperature term (calstis tdscorrect.c). */
export function tdsWithTemperature(
  epoch: number,
  slope: number,
  temperature: number,
  sensitivity: { reftemp: number; tempsens: number },
) {
  return (mjd: number) =>
    (1 + ((mjd - epoch) * slope) / 365.25 / 100) * (1 + sensitivity.tempsens * (temperature - sensitivity.reftemp));
}

/** Counts per second a MAMA pixel column collects from the source at wavelength λ (its whole profile). */
export function mamaSourceRate(mode: {
  sourceFlux(wavelength: number): number;
  response(wavelength: number): number;
  slitThroughput(wavelength: number): number;
  tdsFactor(mjd: number): number;
  dispersionAt(wavelength: number): number;
}) {
  return (wavelength: number, mjd: number): number => {
    const photons = photonsPerSecond(mode.sourceFlux(wavelength), wavelength);
    const sensitivity = mode.response(wavelength) * mode.slitThroughput(wavelength) * mode.tdsFactor(mjd);
    return photons * sensitivity * mode.dispersionAt(wavelength);
  };
}
