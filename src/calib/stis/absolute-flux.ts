/**
 * calstis6's absolute flux of an extracted first-order spectrum (absflux6.c): FLUX = NET · h c / (R(λ) · Ta(λ)
 * · λ · dispersion · HST area) · ATODGAIN · PCT(∞)/PCT(box) / GAC(λ) / TDS(λ), with the PHOTTAB response
 * extrapolated linearly beyond its ends, the other factors interpolated linearly and clamped, the PCTAB rows
 * spline-interpolated onto the PHOTTAB's wavelengths first, and λ the observed wavelength. Columns where a
 * factor is not positive get 0 and CALIBDEFECT. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */

const H_PLANCK = 6.6260755e-27;
const C_LIGHT = 2.99792458e10;
const HST_AREA = 45238.93416;
const CM_PER_ANGSTROM = 1e-8;
/** DQ flag of a column whose calibration factors are unusable. */
export const CALIBDEFECT = 512;

/** A tabulated function of wavelength. */
export interface Curve {
  wl: readonly number[];
  value: readonly number[];
}

/** Linear interpolation, the end values beyond the ends (interp1d.c). */
export function interpolate(x: number, c: Curve): number {
  const { wl, value } = c;
  const n = wl.length;
  if (n === 1 || x <= wl[0]) return value[0];
  if (x >= wl[n - 1]) return value[n - 1];
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (wl[mid] > x) hi = mid;
    else lo = mid;
  }
  const p0 = (wl[lo + 1] - x) / (wl[lo + 1] - wl[lo]);
  return value[lo] * p0 + value[lo + 1] * (1 - p0);
}

/** Linear interpolation, linear extrapolation from the end pairs (extrap1d.c). */
export function extrapolate(x: number, c: Curve): number {
  const { wl, value } = c;
  const n = wl.length;
  const line = (i: number) => {
    const slope = (value[i + 1] - value[i]) / (wl[i + 1] - wl[i]);
    return slope * x + (value[i] - slope * wl[i]);
  };
  if (n === 1 || x <= wl[0]) return line(0);
  if (x >= wl[n - 1]) return line(n - 2);
  return interpolate(x, c);
}

/** A natural cubic spline through (xa, ya) evaluated at x, the end segments extended beyond the ends. */
export function naturalSpline(xa: readonly number[], ya: readonly number[], x: readonly number[]): number[] {
  const n = xa.length;
  const y2 = new Float64Array(n);
  const u = new Float64Array(n);
  for (let i = 1; i < n - 1; i++) {
    const sig = (xa[i] - xa[i - 1]) / (xa[i + 1] - xa[i - 1]);
    const p = sig * y2[i - 1] + 2;
    y2[i] = (sig - 1) / p;
    const slopes = (ya[i + 1] - ya[i]) / (xa[i + 1] - xa[i]) - (ya[i] - ya[i - 1]) / (xa[i] - xa[i - 1]);
    u[i] = ((6 * slopes) / (xa[i + 1] - xa[i - 1]) - sig * u[i - 1]) / p;
  }
  y2[n - 1] = 0;
  for (let k = n - 2; k >= 0; k--) y2[k] = y2[k] * y2[k + 1] + u[k];
  return x.map((v) => {
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const k = (lo + hi) >> 1;
      if (xa[k] > v) hi = k;
      else lo = k;
    }
    const h = xa[hi] - xa[lo];
    const a = (xa[hi] - v) / h;
    const b = (v - xa[lo]) / h;
    return a * ya[lo] + b * ya[hi] + ((a * a * a - a) * y2[lo] + (b * b * b - b) * y2[hi]) * ((h * h) / 6);
  });
}

export interface FluxCalibration {
  /** PHOTTAB THROUGHPUT. */
  response: Curve;
  /** APERTAB THROUGHPUT of the aperture. */
  slit: Curve;
  /** PCTAB THROUGHPUT rows of MAXHGHT and of the box height (on their own wavelengths); none: no correction. */
  pct?: { infinite: Curve; box: Curve };
  /** GACTAB THROUGHPUT (GACCORR). */
  gac?: Curve;
  /** TDS factors on the TDSTAB's wavelengths at the exposure's date (TDSCORR). */
  tds?: Curve;
  atodgain: number;
}

/**
 * The x1d's WAVELENGTH (heliocentric when hfactor ≠ 1) and NET → FLUX, the DQ flags it adds and the factor
 * of each column (0 where a factor is not positive), which the ERROR takes too.
 */
export function absoluteFlux(
  wavelength: ArrayLike<number>,
  net: ArrayLike<number>,
  hfactor: number,
  cal: FluxCalibration,
): { flux: Float32Array; dq: Uint16Array; correction: Float32Array } {
  const npts = wavelength.length;
  const onPhot = (c: Curve): Curve => ({ wl: cal.response.wl, value: naturalSpline(c.wl, c.value, cal.response.wl) });
  const pctInfinite = cal.pct && onPhot(cal.pct.infinite);
  const pctBox = cal.pct && onPhot(cal.pct.box);
  const flux = new Float32Array(npts);
  const dq = new Uint16Array(npts);
  const corrections = new Float32Array(npts);
  const photFactor = (H_PLANCK * C_LIGHT) / HST_AREA;
  for (let i = 0; i < npts; i++) {
    const wl = wavelength[i] / hfactor;
    const response = extrapolate(wl, cal.response);
    const throughput = interpolate(wl, cal.slit);
    const gac = cal.gac ? interpolate(wl, cal.gac) : 1;
    const tds = cal.tds ? interpolate(wl, cal.tds) : 1;
    const pct = pctInfinite && pctBox ? interpolate(wl, pctInfinite) / interpolate(wl, pctBox) : 1;
    const w = wavelength;
    const step = i === 0 ? w[1] - w[0] : i === npts - 1 ? w[i] - w[i - 1] : (w[i + 1] - w[i - 1]) / 2;
    const dispersion = step / hfactor;
    if (throughput <= 0 || dispersion <= 0 || response <= 0) {
      dq[i] = CALIBDEFECT;
      continue;
    }
    let correction = Math.fround(photFactor / (response * throughput * wl * dispersion * CM_PER_ANGSTROM));
    correction = Math.fround(correction * cal.atodgain);
    correction = Math.fround(correction * pct);
    correction = Math.fround(correction / gac);
    correction = Math.fround(correction / tds);
    if (correction <= 0) {
      dq[i] = CALIBDEFECT;
      continue;
    }
    corrections[i] = correction;
    flux[i] = Math.fround(net[i] * correction);
  }
  return { flux, dq, correction: corrections };
}

/** calstis' original TDS format: 1 + Σ slope (%/yr) over the intervals up to `mjd`, at each TDSTAB wavelength. */
export function tdsFactors(
  times: readonly number[],
  slopes: readonly (readonly number[])[],
  nwl: number,
  mjd: number,
): number[] {
  return Array.from({ length: nwl }, (_, i) => {
    let factor = 1;
    for (let j = 0; j < times.length; j++) {
      const slope = slopes[j][i] / 365.25 / 100;
      if (j === times.length - 1 || mjd <= times[j + 1]) {
        factor += (mjd - times[j]) * slope;
        break;
      }
      factor += (times[j + 1] - times[j]) * slope;
    }
    return factor;
  });
}

/** TdsCorrection's temperature term: × (1 + TEMPSENS (T − REFTEMP)) when both temperatures are known (> 0). */
export function tdsAtTemperature(
  factors: readonly number[],
  tempsens: readonly number[],
  reftemp: number,
  temperature: number,
): number[] {
  if (!(reftemp > 0 && temperature > 0)) return [...factors];
  return factors.map((v, i) => v * (1 + (tempsens[i] ?? 0) * (temperature - reftemp)));
}
