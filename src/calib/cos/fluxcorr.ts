/**
 * FLUXCORR and TDSCORR of a COS spectrum (calcos' doFluxCorr, getTdsFactors): NET, ERROR and ERROR_LOWER
 * divided by the FLUXTAB sensitivity and then by the TDSTAB factor at the observation's mid-time, both
 * interpolated linearly at the (not yet heliocentric) wavelengths as ccos.interp1d does, flat beyond the ends.
 * The factors are single precision as calcos' float32 arrays hold them.
 */
const f = Math.fround;
const DAYS_PER_YEAR = 365.25;

/** ccos' binarySearch: −1 below, n above, else the interval's lower index (increasing or decreasing x). */
function interval(x: number, xa: ArrayLike<number>): number {
  const n = xa.length;
  if (n < 2) return 0;
  const increasing = xa[0] < xa[n - 1];
  if (increasing ? x < xa[0] : x > xa[0]) return -1;
  if (increasing ? x > xa[n - 1] : x < xa[n - 1]) return n;
  let [low, high] = [0, n - 1];
  while (high - low > 1) {
    const k = Math.trunc((low + high) / 2);
    if (increasing ? x > xa[k] : x < xa[k]) low = k;
    else high = k;
  }
  return low;
}

/** ccos.interp1d into a float32 array: linear between the table's points, its end values beyond them. */
export function interpolateF32(xa: ArrayLike<number>, ya: ArrayLike<number>, xb: ArrayLike<number>): Float32Array {
  const out = new Float32Array(xb.length);
  const n = xa.length;
  for (let i = 0; i < xb.length; i++) {
    if (n === 1) {
      out[i] = ya[0];
      continue;
    }
    const k = interval(xb[i], xa);
    if (k === -1) out[i] = ya[0];
    else if (k === n) out[i] = ya[n - 1];
    else {
      const q = (xb[i] - xa[k]) / (xa[k + 1] - xa[k]);
      out[i] = (1 - q) * ya[k] + q * ya[k + 1];
    }
  }
  return out;
}

export interface FluxColumns {
  net: ArrayLike<number>;
  flux: Float32Array;
  error: Float32Array;
  errorLower: Float32Array;
}

/** FLUX = NET / sensitivity (a sensitivity ≤ 0 counts as 1); ERROR and ERROR_LOWER divided alike. */
export function applySensitivity(columns: FluxColumns, wavelength: ArrayLike<number>, sens: SensitivityCurve): void {
  const factor = interpolateF32(sens.wavelength, sens.sensitivity, wavelength);
  for (let i = 0; i < factor.length; i++) {
    const s = factor[i] <= 0 ? 1 : factor[i];
    columns.flux[i] = f(f(columns.net[i]) / s);
    columns.error[i] = f(columns.error[i] / s);
    columns.errorLower[i] = f(columns.errorLower[i] / s);
  }
}

export interface SensitivityCurve {
  wavelength: ArrayLike<number>;
  sensitivity: ArrayLike<number>;
}

export interface TdsRow {
  nwl: number;
  nt: number;
  wavelength: ArrayLike<number>;
  time: ArrayLike<number>;
  /** nt × maxwl, percent per year, row-major by time. */
  slope: ArrayLike<number>;
  intercept: ArrayLike<number>;
  /** Whether SLOPE and INTERCEPT are single precision in the table (then numpy's arithmetic stays in it). */
  single: boolean;
}

/** getTdsFactors: the factor per TDS wavelength at t_obs (MJD), and whether t_obs is outside the table's times. */
export function tdsFactors(row: TdsRow, refTime: number, tObs: number) {
  const { nt, nwl, time } = row;
  const maxwl = row.wavelength.length;
  const extrapolate = tObs < time[0] || tObs >= time[nt - 1];
  let i = nt - 1;
  if (!(nt === 1 || tObs >= time[nt - 1])) {
    for (i = 0; i < nt - 1; i++) if (tObs < time[i + 1]) break;
  }
  const deltaT = (tObs - refTime) / DAYS_PER_YEAR;
  const r = row.single ? f : (x: number) => x;
  const factor = new Float64Array(nwl);
  for (let k = 0; k < nwl; k++) {
    const slope = r(row.slope[i * maxwl + k] / 100);
    factor[k] = r(r(r(deltaT) * slope) + row.intercept[i * maxwl + k]);
  }
  return { wavelength: Array.from(row.wavelength).slice(0, nwl), factor, extrapolate };
}

/** FLUX, ERROR and ERROR_LOWER divided by the TDS factor interpolated at each wavelength. */
export function applyTds(columns: FluxColumns, wavelength: ArrayLike<number>, tds: ReturnType<typeof tdsFactors>) {
  const factor = interpolateF32(tds.wavelength, tds.factor, wavelength);
  for (let i = 0; i < factor.length; i++) {
    columns.flux[i] = f(columns.flux[i] / factor[i]);
    columns.error[i] = f(columns.error[i] / factor[i]);
    columns.errorLower[i] = f(columns.errorLower[i] / factor[i]);
  }
}
