/**
 * calcos' fpavg for several spectra of one segment or stripe (FP-POS exposures): an output wavelength grid
 * from the smallest first to the largest last wavelength at the smallest dispersion; each input mapped onto it
 * by wavelength (linear interpolation between its two nearest pixels) and added weighted by DQ_WGT × EXPTIME
 * (× the flat-field weight); FLUX, GROSS, NET and BACKGROUND divided by the summed weight, DQ the AND of the
 * inputs' (each the OR of its two pixels), DQ_WGT, GCOUNTS and the variances summed, ERROR/ERROR_LOWER from
 * the summed variances. Sums are kept in float32 as calcos' FITS columns keep them.
 */
import { frequentistErrors } from "./poisson-interval.js";

export const FLOAT_COLUMNS = [
  "flux",
  "error",
  "errorLower",
  "gross",
  "gcounts",
  "varianceFlat",
  "varianceCounts",
  "varianceBkg",
  "net",
  "background",
  "dqWgt",
] as const;
export type FloatColumn = (typeof FLOAT_COLUMNS)[number];

export type SpectrumRow = Record<FloatColumn, Float32Array> & {
  segment: string;
  exptime: number;
  wavelength: Float64Array;
  dq: Int16Array;
};

export interface InputSpectrum extends SpectrumRow {
  /** The flat-field weight along the spectrum (fpavg-flat.ts), or none. */
  flatWeight?: Float64Array;
}

const DQ_PIXEL_OUT_OF_BOUNDS = 128;

/** The output grid of one segment: first wavelength and dispersion (calcos' computeOutputInfo). */
export function outputGrid(spectra: readonly SpectrumRow[]): { first: number; dispersion: number; nelem: number } {
  let first = 1e9;
  let last = 1;
  let dispersion = 1e9;
  for (const sp of spectra) {
    const n = sp.wavelength.length;
    if (n < 2) continue;
    first = Math.min(first, sp.wavelength[0]);
    last = Math.max(last, sp.wavelength[n - 1]);
    dispersion = Math.min(dispersion, (sp.wavelength[n - 1] - sp.wavelength[0]) / (n - 1));
  }
  return { first, dispersion, nelem: dispersion > 0 ? Math.ceil((last - first) / dispersion) : 0 };
}

export function emptyRow(segment: string, nelem: number, first: number, dispersion: number): SpectrumRow {
  const row = { segment, exptime: 0, dq: new Int16Array(nelem).fill(DQ_PIXEL_OUT_OF_BOUNDS) } as SpectrumRow;
  row.wavelength = Float64Array.from({ length: nelem }, (_, i) => first + dispersion * i);
  for (const c of FLOAT_COLUMNS) row[c] = new Float32Array(nelem);
  return row;
}

/** Pixel (fractional) of the input at each output wavelength, two Newton-like steps (calcos' pixelsFromWl). */
export function pixelsFromWavelength(input: Float64Array, output: Float64Array): Float64Array {
  const n = input.length;
  const average = (input[n - 1] - input[0]) / (n - 1);
  const disp = new Float64Array(n);
  for (let i = 1; i < n - 1; i++) disp[i] = (input[i + 1] - input[i - 1]) / 2;
  disp[0] = input[1] - input[0];
  disp[n - 1] = input[n - 1] - input[n - 2];
  const clip = (x: number) => Math.min(Math.trunc(x < 0 ? 0 : x), n - 1);
  const out = new Float64Array(output.length);
  for (let k = 0; k < output.length; k++) {
    const i0 = clip((output[k] - input[0]) / average);
    const i1 = clip(i0 + (output[k] - input[i0]) / disp[i0]);
    out[k] = i1 + (output[k] - input[i1]) / disp[i1];
  }
  return out;
}

/** Adds one input spectrum to the output row (calcos' accumulateSums); `sumWeight` is updated in place. */
export function accumulate(out: SpectrumRow, sp: InputSpectrum, sumWeight: Float64Array): void {
  const ipixel = pixelsFromWavelength(sp.wavelength, out.wavelength);
  const last = sp.wavelength.length - 1;
  let minK = -1;
  let maxK = -1;
  for (let k = 0; k < ipixel.length; k++) {
    if (ipixel[k] >= 0 && ipixel[k] <= last) {
      if (minK < 0) minK = k;
      maxK = k;
    }
  }
  if (minK < 0) throw new Error(`${sp.segment}: no output wavelength within the input spectrum`);
  const first = out.exptime === 0;
  out.exptime += sp.exptime;
  const ff = sp.flatWeight;
  const add = (col: Float32Array, k: number, v: number) => {
    col[k] = col[k] + v;
  };
  for (let k = minK; k < maxK; k++) {
    const ix = Math.floor(ipixel[k]);
    const q = ipixel[k] - ix;
    const p = 1 - q;
    const i = ix;
    let w1 = sp.dqWgt[i] * sp.exptime;
    let w2 = sp.dqWgt[i + 1] * sp.exptime;
    if (ff) {
      w1 *= ff[i];
      w2 *= ff[i + 1];
    }
    sumWeight[k] += p * w1 + q * w2;
    for (const c of ["flux", "gross", "net", "background"] as const)
      add(out[c], k, sp[c][i] * p * w1 + sp[c][i + 1] * q * w2);
    const dq = sp.dq[i] | sp.dq[i + 1];
    out.dq[k] = first ? dq : out.dq[k] & dq;
    add(out.dqWgt, k, sp.dqWgt[i] * p + sp.dqWgt[i + 1] * q);
    for (const c of ["gcounts", "varianceFlat", "varianceCounts", "varianceBkg"] as const)
      add(out[c], k, sp[c][i] * p * sp.dqWgt[i] + sp[c][i + 1] * q * sp.dqWgt[i + 1]);
  }
}

/** Divides the sums by the weights and sets the errors (calcos' normalizeSums). */
export function normalize(out: SpectrumRow, sumWeight: Float64Array): void {
  const n = out.wavelength.length;
  const weight = (k: number) => (sumWeight[k] === 0 ? 1 : sumWeight[k]);
  for (const c of ["flux", "gross", "background"] as const) for (let k = 0; k < n; k++) out[c][k] /= weight(k);
  const lower = new Float32Array(n);
  const upper = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const v = Math.fround(Math.fround(out.varianceFlat[k] + out.varianceCounts[k]) + out.varianceBkg[k]);
    if (out.dqWgt[k] === 0) continue;
    [lower[k], upper[k]] = frequentistErrors(Math.max(v, 0.5));
  }
  // FLUX / NET (NET not yet normalised) converts the count errors to flux; 0/0 is interpolated in wavelength
  const conversion = new Float32Array(n);
  const goodWl: number[] = [];
  const goodConv: number[] = [];
  for (let k = 0; k < n; k++) {
    conversion[k] = out.flux[k] / out.net[k];
    if (!Number.isNaN(conversion[k])) {
      goodWl.push(out.wavelength[k]);
      goodConv.push(conversion[k]);
    }
  }
  for (let k = 0; k < n; k++) {
    if (Number.isNaN(conversion[k])) conversion[k] = interp(out.wavelength[k], goodWl, goodConv);
  }
  for (let k = 0; k < n; k++) {
    out.errorLower[k] = lower[k] * conversion[k];
    out.error[k] = upper[k] * conversion[k];
    out.net[k] /= weight(k);
  }
  for (let k = 0; k < n; k++) {
    if (!(out.dqWgt[k] < 0.1)) continue;
    for (const c of FLOAT_COLUMNS) out[c][k] = 0;
  }
}

/** numpy.interp: linear, clamped to the end values. */
function interp(x: number, xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n === 0) return Number.NaN;
  if (x <= xs[0]) return ys[0];
  if (x >= xs[n - 1]) return ys[n - 1];
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid;
  }
  const slope = (ys[hi] - ys[lo]) / (xs[hi] - xs[lo]);
  return slope * (x - xs[lo]) + ys[lo];
}
