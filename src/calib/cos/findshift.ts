/**
 * The dispersion shift of lamp spectra against their LAMPTAB templates, as calcos' findshift1 finds it for NUV:
 * bright lines cut by the detector edges trimmed, spectra under 50 counts not found, the template fitted to the
 * spectrum (baseline + factor × template) at every integer lag within ±XC_RANGE of the search offset, the local
 * minima of the fit's RMS with positive curvature, the one of smallest reduced χ², its χ² refined by quadratics
 * over 3–7 lags; a stripe far (> 25 px) from the shift of all stripes summed, or with χ²/ndf outside
 * [1/N_SIGMA, N_SIGMA], is not found and takes the others' mean shift (stripe offsets per grating).
 */
import { centerOfQuadratic, fitQuadratic } from "./quadratic.js";

const NPTS_RANGE = [3, 4, 6, 7, 5];
export const DEFAULT_N_SIGMA = 15;

export interface ShiftSearch {
  opticalElement: string;
  /** Where the detector starts in the extended spectrum (LAMPTAB template offset). */
  xOffset: number;
  xcRange: number;
  /** SEARCH_OFFSET (+ FPOFFSET × STEPSIZE without FP_PIXEL_SHIFT). */
  initialOffset: number;
  nSigma?: number;
}

export interface StripeShift {
  /** The shift applied: measured (or repaired) + FP_PIXEL_SHIFT. */
  shift1: number;
  /** The shift found even where not trusted (calcos' orig_shift1). */
  measured: number;
  fpPixelShift: number;
  found: boolean;
  scatter: number;
  chiSquare: number;
  ndf: number;
}

interface Fit {
  factor: number;
  baseline: number;
  rms: number;
  s0: number;
  s1: number;
  t0: number;
}

/** Python's round(): halves to even. */
const roundHalfEven = (x: number) => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

/** spectrum ≈ baseline + factor × template over the overlap at an integer lag (calcos' computeNormalization). */
export function normalize(spec: ArrayLike<number>, tmpl: ArrayLike<number>, shift: number): Fit | undefined {
  const lag = roundHalfEven(shift);
  const len = spec.length;
  let [s0, s1, t0, t1] = lag >= 0 ? [lag, len, 0, len - lag] : [0, len + lag, -lag, len];
  for (;;) {
    if (spec[s0] !== 0 && tmpl[t0] !== 0) break;
    s0++;
    t0++;
    if (s0 >= s1 - 1) return undefined;
  }
  for (;;) {
    if (spec[s1 - 1] !== 0 && tmpl[t1 - 1] !== 0) break;
    s1--;
    t1--;
    if (s1 <= s0) return undefined;
  }
  const n = s1 - s0;
  // a float32 template (the LAMPTAB's) is squared and scaled in single precision, as numpy does
  const single = tmpl instanceof Float32Array;
  let [ss, st, st2, sst] = [0, 0, 0, 0];
  for (let k = 0; k < n; k++) {
    const [s, t] = [spec[s0 + k], tmpl[t0 + k]];
    ss += s;
    st += t;
    st2 += single ? Math.fround(t * t) : t * t;
    sst += s * t;
  }
  const denominator = st * st - n * st2;
  if (denominator === 0) return undefined;
  const factor = (ss * st - n * sst) / denominator;
  if (!(factor > 0)) return undefined;
  const baseline = (ss - factor * st) / n;
  let sum2 = 0;
  for (let k = 0; k < n; k++) {
    const model = single
      ? Math.fround(baseline + Math.fround(factor * tmpl[t0 + k]))
      : baseline + factor * tmpl[t0 + k];
    sum2 += (spec[s0 + k] - model) ** 2;
  }
  return { factor, baseline, rms: n > 1 ? Math.sqrt(sum2 / (n - 1)) : 0, s0, s1, t0 };
}

/** χ² of the normalised spectrum against the template, and its degrees of freedom (calcos' computeChiSquare). */
export function chiSquare(spec: ArrayLike<number>, tmpl: ArrayLike<number>, fit: Fit): { chisq: number; ndf: number } {
  let [chisq, nelem] = [0, 0];
  for (let k = 0; k < fit.s1 - fit.s0; k++) {
    const [s, t] = [spec[fit.s0 + k], tmpl[fit.t0 + k]];
    if (s > 0 || t > 0) nelem++;
    if (s === 0 && t === 0) continue;
    const variance = s / fit.factor ** 2 + t;
    let term = ((s - fit.baseline) / fit.factor - t) ** 2 / (variance > 0 ? variance : 1);
    if (s <= 1.5 && t <= 1.5) term = Math.min(term, 1);
    chisq += term;
  }
  return { chisq, ndf: Math.max(0, nelem - 1) };
}

interface Found {
  shift: number;
  orig: number;
  scatter: number;
  found: boolean;
  /** false when a quadratic over the lags had no extremum (calcos then marks the stripe not found) */
  refined: boolean;
}

/** The best lag and its refinement (calcos' findShift and findMinimum). */
export function findShift(spec: ArrayLike<number>, tmpl: ArrayLike<number>, search: ShiftSearch): Found {
  const lenxc = 2 * search.xcRange + 1;
  const maxlag = Math.floor(lenxc / 2);
  const rms = new Float32Array(lenxc);
  const chisq = new Float32Array(lenxc);
  const good = new Uint8Array(lenxc);
  for (let i = 0; i < lenxc; i++) {
    const fit = normalize(spec, tmpl, i - maxlag + search.initialOffset);
    if (!fit) continue;
    const c = chiSquare(spec, tmpl, fit);
    chisq[i] = c.chisq / Math.max(c.ndf, 1);
    good[i] = 1;
    rms[i] = fit.rms;
  }
  const maxChisq = chisq.reduce((m, v) => Math.max(m, v), Number.NEGATIVE_INFINITY);
  for (let i = 0; i < lenxc; i++) if (!good[i]) chisq[i] = 2 * maxChisq;
  const none: Found = { shift: 0, orig: 0, scatter: 0, found: false, refined: true };
  if (!good.some((g) => g === 1)) return none;
  const window = (center: number, npts: number) => {
    const i2 = Math.min(Math.max(center - Math.floor(npts / 2), 0) + npts, lenxc);
    return [i2 - npts, i2];
  };
  const minima: number[] = [];
  for (let i = 1; i < lenxc - 1; i++) {
    if (!(rms[i] <= rms[i - 1] && rms[i] <= rms[i + 1])) continue;
    const [i1, i2] = window(i, Math.max(...NPTS_RANGE));
    if (good.subarray(i1, i2).every((g) => g === 1)) minima.push(i);
  }
  if (minima.length === 0) return none;
  const byRms = minima.map((_, k) => k).sort((a, b) => rms[minima[a]] - rms[minima[b]]);
  let best: number | undefined;
  for (const k of byRms.slice(0, 10)) {
    const [j1, j2] = window(minima[k], 5);
    const q = fitQuadratic(rms.subarray(j1, j2));
    if (!q || q.coeff[2] <= 0) continue;
    if (best === undefined || chisq[minima[k]] < chisq[minima[best]]) best = k;
  }
  if (best === undefined) return none;
  return refine(minima[best], maxlag, chisq, search.initialOffset);
}

function refine(imin: number, maxlag: number, chisq: Float32Array, initialOffset: number): Found {
  const lenxc = chisq.length;
  let [minShift, maxShift] = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  let [shift, orig, sigma, refined] = [0, 0, 0, true];
  for (const npts of NPTS_RANGE) {
    const i2 = Math.min(Math.max(imin - Math.floor(npts / 2), 0) + npts, lenxc);
    const i1 = i2 - npts;
    const center = centerOfQuadratic(fitQuadratic(chisq.subarray(i1, i2)));
    if (!center) {
      [shift, orig, sigma, refined] = [0, imin + initialOffset - maxlag, 0, false];
      continue;
    }
    shift = center.x + i1 + initialOffset - maxlag;
    [orig, sigma] = [shift, center.sigma];
    minShift = Math.min(minShift, shift);
    maxShift = Math.max(maxShift, shift);
  }
  const scatter = minShift > maxShift ? sigma : Math.max(sigma, (maxShift - minShift) / 2);
  return { shift, orig, scatter, found: true, refined };
}
