/**
 * DOPPCORR for COS NUV TIME-TAG (calcos' doDoppcorr, dopplerCorrection, orbitalDoppler): HST's orbital motion
 * moves the spectrum along X by DOPPMAGV / c × λ / (dλ/dx) × sin(2π t / ORBITPER), t counted from DOPPZERO. Each
 * stripe's events (PSA rows between the midpoints of the XTRACTAB's B_SPEC) get XDOPP = XCORR − that shift with
 * the stripe's DISPTAB relation; the others keep XCORR. The range of shifts widens the DQ image (dqicorr.ts).
 */

import { roundHalfEven } from "./dqicorr.js";
import type { CorrtagEvents } from "./events.js";

export const SPEED_OF_LIGHT = 299792.458;
const SEC_PER_DAY = 86400;

/** A DISPTAB row's relation: λ(x) = Σ COEFF[i] (x + delta)^i. */
export interface Dispersion {
  coeff: readonly number[];
  delta: number;
}

export function wavelengthAt(d: Dispersion, x: number): number {
  const xp = x + d.delta;
  const n = d.coeff.length;
  let sum = d.coeff[n - 1];
  for (let i = n - 2; i >= 0; i--) sum = sum * xp + d.coeff[i];
  return sum;
}

export function slopeAt(d: Dispersion, x: number): number {
  const xp = x + d.delta;
  const n = d.coeff.length;
  let sum = (n - 1) * d.coeff[n - 1];
  for (let i = n - 2; i > 0; i--) sum = sum * xp + i * d.coeff[i];
  return sum;
}

export interface OrbitalDoppler {
  /** km/s, MJD, s, MJD. */
  doppmagv: number;
  doppzero: number;
  orbitper: number;
  expstart: number;
}

/** [lower, upper) rows of a stripe's PSA region and its dispersion relation. */
export interface StripeRegion {
  lower: number;
  upper: number;
  dispersion: Dispersion;
}

/** Rows between stripes: the rounded midpoints of B_SPEC + SLOPE × 512 (NUVA, NUVB, NUVC, then the WCA's NUVA). */
export function nuvPsaBoundaries(bSpec: { a: number; b: number; c: number; wca: number }): [number, number][] {
  const mid = (p: number, q: number) => roundHalfEven((p + q) / 2);
  const ab = mid(bSpec.a, bSpec.b);
  const bc = mid(bSpec.b, bSpec.c);
  return [
    [0, ab],
    [ab, bc],
    [bc, mid(bSpec.c, bSpec.wca)],
  ];
}

export function applyDoppler(events: CorrtagEvents, stripes: readonly StripeRegion[], p: OrbitalDoppler): void {
  const { time, xcorr, ycorr, xdopp } = events;
  const t0 = (p.expstart - p.doppzero) * SEC_PER_DAY;
  for (let k = 0; k < time.length; k++) {
    const eta = ycorr[k];
    const stripe = stripes.find((s) => eta >= s.lower && eta < s.upper);
    if (!stripe) {
      xdopp[k] = xcorr[k];
      continue;
    }
    const xi = xcorr[k];
    const wavelength = wavelengthAt(stripe.dispersion, xi);
    const slope = slopeAt(stripe.dispersion, xi);
    const t = t0 + time[k];
    const shift = (((p.doppmagv / SPEED_OF_LIGHT) * wavelength) / slope) * Math.sin((2 * Math.PI * t) / p.orbitper);
    xdopp[k] = xi - shift;
  }
}

/** calcos' dopplerParam for TIME-TAG: the shift's amplitude in pixels at the middle of NUVB. */
export function dopplerAmplitude(doppmagv: number, cenwave: number, middleStripe: Dispersion): number {
  const slope = slopeAt(middleStripe, 1024 / 2);
  return slope <= 0 ? 0 : (doppmagv / SPEED_OF_LIGHT) * (cenwave / slope);
}

/** calcos' minmaxDoppler: the extreme shifts over one sample per second of the exposure time. */
export function dopplerRange(amplitude: number, p: OrbitalDoppler, exptime: number): { min: number; max: number } {
  const n = Math.max(roundHalfEven(exptime), 1);
  const t0 = (p.expstart - p.doppzero) * SEC_PER_DAY;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const shift = amplitude * Math.sin((2 * Math.PI * (i + t0)) / p.orbitper);
    min = Math.min(min, shift);
    max = Math.max(max, shift);
  }
  return { min, max };
}
