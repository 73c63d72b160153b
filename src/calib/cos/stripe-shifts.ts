/**
 * The NUV stripes' dispersion shifts of one lamp flash (calcos' Shift1.findShifts for NUV): the spectra (gross
 * counts, extended by the template offset on both sides) trimmed of edge lines, each stripe's shift checked
 * against the shift of the three summed and by its χ², stripes not found repaired from the others.
 */
import { chiSquare, DEFAULT_N_SIGMA, findShift, normalize, type ShiftSearch, type StripeShift } from "./findshift.js";

const MIN_COUNTS = 50;
const SLOP = 25;
const NUV_X = 1024;
const BIN = 3;

/** calcos' estimate of each stripe's shift relative to NUVB: c0 + c1 × (the FP shift), per grating. */
function offsetToNuvb(stripe: string, grating: string, shift0: number): number {
  if (grating === "G230L" || stripe === "NUVB") return 0;
  const [c0, c1] = stripe === "NUVA" ? [-0.5, 0.02307692] : [1.0, 0.02307692];
  return c0 + c1 * shift0;
}

/** Zero bright lines cut by the detector's left and right edges (calcos' trimSpectra), in place. */
export function trimEdgeLines(spec: Float64Array, xOffset: number): { left: boolean; right: boolean } {
  const sorted = Float64Array.from(spec).sort();
  const cutoff = Math.max(BIN * 10, BIN * Math.max(1, sorted[Math.floor(spec.length / 2)]));
  const left = Math.trunc(xOffset);
  const right = left + NUV_X - 1;
  const binned = (from: number) =>
    [0, 1, 2, 3].map((b) => spec[from + 3 * b] + spec[from + 3 * b + 1] + spec[from + 3 * b + 2]);
  const sl = binned(left);
  const sr = binned(right - 11);
  const trimmed = { left: false, right: false };
  if (sl[0] > cutoff) {
    for (let i = 0, j = left; i < 3 && sl[i] > sl[i + 1]; i++, j += BIN) {
      trimmed.left = true;
      spec.fill(0, j, j + BIN);
    }
  }
  if (sr[3] > cutoff) {
    // calcos compares s_r[0] with s_r[-1], i.e. s_r[3], at the last step
    for (let i = 3, j = right + 1; i >= 0 && sr[i] > sr[(i + 3) % 4]; i--, j -= BIN) {
      trimmed.right = true;
      spec.fill(0, j - BIN, j);
    }
  }
  return trimmed;
}

export interface StripeInput {
  stripe: string;
  /** Gross counts of the flash (not a rate), extended length. */
  spectrum: Float64Array;
  template: Float64Array | Float32Array;
  fpPixelShift: number;
  /** The cross-dispersion search found the stripe (calcos' initial spec_found). */
  found: boolean;
}

export function findStripeShifts(inputs: readonly StripeInput[], search: ShiftSearch): Map<string, StripeShift> {
  const nSigma = search.nSigma ?? DEFAULT_N_SIGMA;
  const stripes = [...inputs].sort((a, b) => (a.stripe < b.stripe ? -1 : 1));
  for (const s of stripes) trimEdgeLines(s.spectrum, search.xOffset);
  const found = new Map(stripes.map((s) => [s.stripe, s.found && sum(s.spectrum) >= MIN_COUNTS]));
  const global = globalShift(stripes, found, search);
  const out = new Map<string, StripeShift>();
  for (const s of stripes) {
    const r = findShift(s.spectrum, s.template, search);
    let ok = found.get(s.stripe) === true && r.refined;
    if (!r.found || (global !== undefined && Math.abs(r.shift - global) > SLOP)) ok = false;
    const result: StripeShift = {
      shift1: r.shift,
      measured: r.orig,
      fpPixelShift: s.fpPixelShift,
      found: ok,
      scatter: r.scatter,
      chiSquare: 0,
      ndf: 0,
    };
    const fit = normalize(s.spectrum, s.template, r.shift);
    if (!fit) {
      result.shift1 = 0;
      result.found = false;
    } else {
      const { chisq, ndf } = chiSquare(s.spectrum, s.template, fit);
      [result.chiSquare, result.ndf] = [chisq, ndf];
      const ratio = ndf > 0 ? chisq / ndf : chisq;
      if (ratio > nSigma || ratio < 1 / nSigma) result.found = false;
    }
    out.set(s.stripe, result);
  }
  repair(out, search);
  for (const r of out.values()) r.shift1 += r.fpPixelShift;
  return out;
}

const sum = (a: ArrayLike<number>) => {
  let t = 0;
  for (let k = 0; k < a.length; k++) t += a[k];
  return t;
};

/** The shift of all found stripes summed; 0 when none is found (as calcos), undefined when not found. */
function globalShift(stripes: readonly StripeInput[], found: Map<string, boolean>, search: ShiftSearch) {
  const n = stripes[0].spectrum.length;
  const [spec, tmpl] = [new Float64Array(n), new Float64Array(n)];
  const used = stripes.filter((s) => found.get(s.stripe));
  if (used.length === 0) return 0;
  for (const s of used) {
    for (let k = 0; k < n; k++) {
      spec[k] += s.spectrum[k];
      tmpl[k] += s.template[k];
    }
  }
  const r = findShift(spec, tmpl, search);
  return r.found ? r.shift : undefined;
}

/** Stripes not found take the mean NUVB-equivalent shift of those found (calcos' repairNUV). */
function repair(shifts: Map<string, StripeShift>, search: ShiftSearch) {
  const toNuvb = (stripe: string, r: StripeShift) =>
    offsetToNuvb(stripe, search.opticalElement, search.initialOffset + r.fpPixelShift);
  const good = [...shifts].filter(([, r]) => r.found);
  if (good.length === 0) return;
  const mean = good.reduce((t, [stripe, r]) => t + (r.shift1 - toNuvb(stripe, r)), 0) / good.length;
  for (const [stripe, r] of shifts) if (!r.found) r.shift1 = mean + toNuvb(stripe, r);
}
