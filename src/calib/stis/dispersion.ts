/**
 * STIS dispersion relations (DISPTAB, INANGTAB, APDESTAB) and the wavelengths calstis6 gives an extracted
 * spectrum: the DISPTAB row for the grating and central wavelength interpolated at the spectrum's row, the
 * incidence-angle correction for the aperture's offset from the reference aperture, the MSM offset SHIFTA1
 * added to the zero point, the relation solved for each pixel and the heliocentric factor applied.
 * Relations as in hstcal's evaldisp.c, cs6 InterpDisp6, AdjustDisp6 and Wave (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "../common/errors.js";
import { sameInt, sameString } from "../common/row-match.js";

export interface DispersionRow {
  OPT_ELEM: string;
  CENWAVE: number;
  /** One-indexed row the relation was measured at. */
  A2CENTER: number;
  REF_APER: string;
  NCOEFF: number;
  COEFF: readonly number[];
}

export interface IncidenceAngleRow {
  OPT_ELEM: string;
  CENWAVE: number;
  SPORDER: number;
  NCOEFF1: number;
  COEFF1: readonly number[];
  NCOEFF2: number;
  COEFF2: readonly number[];
}

/** The rows for a grating and central wavelength, by A2CENTER; none is an error naming the table and keys. */
export function dispersionRows(rows: readonly DispersionRow[], optElem: string, cenwave: number, where: string) {
  const found = rows.filter((r) => sameString(r.OPT_ELEM, optElem) && sameInt(r.CENWAVE, cenwave));
  if (found.length === 0) {
    throw new CalibrationError("TABLE_ROW_MISSING", `${where}: no row for OPT_ELEM ${optElem}, CENWAVE ${cenwave}`);
  }
  return [...found].sort((a, b) => a.A2CENTER - b.A2CENTER);
}

/** The incidence-angle row for a grating, central wavelength and order; none is an error naming them. */
export function incidenceAngleRow(
  rows: readonly IncidenceAngleRow[],
  optElem: string,
  cenwave: number,
  sporder: number,
  where: string,
): IncidenceAngleRow {
  const row = rows.find(
    (r) => sameString(r.OPT_ELEM, optElem) && sameInt(r.CENWAVE, cenwave) && sameInt(r.SPORDER, sporder),
  );
  if (!row) {
    const key = `OPT_ELEM ${optElem}, CENWAVE ${cenwave}, SPORDER ${sporder}`;
    throw new CalibrationError("TABLE_ROW_MISSING", `${where}: no row for ${key}`);
  }
  return row;
}

/**
 * The coefficients at a zero-indexed row: the first row's at or before it, the last row's beyond it, and
 * between two rows linearly interpolated (InterpDisp6).
 */
export function coefficientsAt(sorted: readonly DispersionRow[], row: number): number[] {
  const at = (r: DispersionRow) => r.A2CENTER - 1;
  const take = (r: DispersionRow) => r.COEFF.slice(0, r.NCOEFF).map(Number);
  for (let k = 0; k < sorted.length; k++) {
    const current = sorted[k];
    const next = sorted[k + 1];
    if (row <= at(current) || !next) return take(current);
    if (row < at(next)) {
      const p = (row - at(current)) / (at(next) - at(current));
      const n = Math.max(current.NCOEFF, next.NCOEFF);
      return Array.from({ length: n }, (_, i) => (1 - p) * (current.COEFF[i] ?? 0) + p * (next.COEFF[i] ?? 0));
    }
  }
  return take(sorted[sorted.length - 1]);
}

/** AdjustDisp6: the incidence-angle terms for `delta` arcsec of aperture offset, then the MSM offset. */
export function adjustedCoefficients(
  coeff: readonly number[],
  iac: IncidenceAngleRow | undefined,
  delta: number,
  shifta1: number,
): number[] {
  const out = [...coeff];
  if (iac) {
    const n = Math.min(out.length, iac.NCOEFF1);
    for (let i = 0; i < n; i++) out[i] += iac.COEFF1[i] * delta;
    if (iac.NCOEFF2 > 0) out[0] += iac.COEFF2[0] * delta;
    if (iac.NCOEFF2 > 1) out[0] += iac.COEFF2[1] * delta * delta;
  }
  out[0] += shifta1;
  return out;
}

/** The terms of evaldisp.c's polynomial in order m and wavelength λ, up to nine coefficients. */
function terms(m: number, wl: number): number[] {
  return [1, m * wl, m * m * wl * wl, m, wl, m * m * wl, m * wl * wl, m * m * m * wl * wl * wl, m * m];
}

/** Zero-indexed pixel of wavelength λ in order m (evalDisp). */
export function pixelOfWavelength(coeff: readonly number[], m: number, wl: number): number {
  if (coeff.length < 1 || coeff.length > 9) throw new RangeError(`${coeff.length} dispersion coefficients (1 to 9)`);
  const t = terms(m, wl);
  return coeff.reduce((sum, c, i) => sum + c * t[i], 0) - 1;
}

/** The wavelength at a zero-indexed pixel, by Newton's method from `estimate` (to 1e-9 Å). */
export function wavelengthOfPixel(coeff: readonly number[], m: number, pixel: number, estimate: number): number {
  let wl = estimate;
  for (let iteration = 0; iteration < 50; iteration++) {
    const h = Math.max(1e-3, Math.abs(wl) * 1e-7);
    const f = pixelOfWavelength(coeff, m, wl) - pixel;
    const slope = (pixelOfWavelength(coeff, m, wl + h) - pixelOfWavelength(coeff, m, wl - h)) / (2 * h);
    if (slope === 0 || !Number.isFinite(slope)) break;
    const step = f / slope;
    wl -= step;
    if (Math.abs(step) < 1e-9) return wl;
  }
  throw new CalibrationError("INVALID_VALUE", `the dispersion relation has no wavelength at pixel ${pixel}`);
}

/** Wave(): the wavelength of each of `npts` image columns (LTV1/LTM1_1 give reference pixels), × hfactor. */
export function spectrumWavelengths(
  coeff: readonly number[],
  o: { sporder: number; npts: number; cenwave: number; ltv1: number; ltm1: number; hfactor?: number },
): Float64Array {
  const out = new Float64Array(o.npts);
  let estimate = o.cenwave;
  for (let i = 0; i < o.npts; i++) {
    const wl = wavelengthOfPixel(coeff, o.sporder, (i - o.ltv1) / o.ltm1, estimate);
    estimate = wl;
    out[i] = wl * (o.hfactor ?? 1);
  }
  return out;
}
