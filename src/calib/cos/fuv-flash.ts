/**
 * The FUV side of calcos' TAGFLASH wavecal (FUVConcurrentWavecal and Shift1.findShiftsFUV): one segment per
 * exposure, its WCA spectrum matched against the LAMPTAB template without the NUV stripes' edge trimming or
 * repair; the shifts applied only inside the segment's active area (B_LOW–B_HIGH of the BRFTAB, tested on
 * YCORR): YFULL = YCORR − SHIFT2(t) for B_LOW ≤ YCORR ≤ B_HIGH, XFULL = XDOPP − SHIFT1(t) for
 * B_LOW ≤ YCORR < B_HIGH, both interpolated between the flashes' middles as for NUV.
 */
import { type Dispersion, SPEED_OF_LIGHT } from "./doppcorr.js";
import { roundHalfEven } from "./dqicorr.js";
import type { CorrtagEvents } from "./events.js";
import { chiSquare, DEFAULT_N_SIGMA, findShift, normalize, type ShiftSearch, type StripeShift } from "./findshift.js";
import { flashSpans, lessShift } from "./flash-apply.js";
import { wavelengthF32 } from "./wavecorr.js";

const MIN_COUNTS = 50;
const f = Math.fround;

/** calcos' findShiftsFUV for one segment: `found` is whether the cross-dispersion search found the spectrum. */
export function findFuvShift(
  spectrum: Float64Array,
  template: ArrayLike<number>,
  fpPixelShift: number,
  found: boolean,
  search: ShiftSearch,
): StripeShift {
  const nSigma = search.nSigma ?? DEFAULT_N_SIGMA;
  let total = 0;
  for (const v of spectrum) total += v;
  const r = findShift(spectrum, template, search);
  const out: StripeShift = {
    shift1: 0,
    measured: r.orig,
    fpPixelShift,
    found: found && total >= MIN_COUNTS && r.refined,
    scatter: r.scatter,
    chiSquare: 0,
    ndf: 0,
  };
  const fit = r.found ? normalize(spectrum, template, r.shift) : undefined;
  if (!fit) {
    out.found = false;
    out.shift1 = fpPixelShift;
    return out;
  }
  const { chisq, ndf } = chiSquare(spectrum, template, fit);
  [out.chiSquare, out.ndf] = [chisq, ndf];
  const ratio = ndf > 0 ? chisq / ndf : chisq;
  let shift = r.shift;
  if (ratio > nSigma || ratio < 1 / nSigma) {
    shift = 0;
    out.found = false;
  }
  out.shift1 = shift + fpPixelShift;
  return out;
}

export interface FuvFlashShifts {
  median: number[];
  shift1: number[];
  shift2: number[];
}

/** XFULL and YFULL from XDOPP and YCORR (calcos' applyCorrections with the FUV shift2Corr). */
export function applyFuvFlashShifts(events: CorrtagEvents, s: FuvFlashShifts, low: number, high: number): void {
  const { time, ycorr, xfull, yfull } = events;
  xfull.set(events.xdopp);
  yfull.set(ycorr);
  flashSpans(time, s.median).forEach(({ i0, i1, t0, last, slope }, m) => {
    const slope1 = slope(s.shift1[m], last ? 0 : s.shift1[m + 1]);
    const slope2 = slope(s.shift2[m], last ? 0 : s.shift2[m + 1]);
    for (let k = i0; k < i1; k++) {
      const eta = ycorr[k];
      if (eta < low || eta > high) continue;
      yfull[k] = lessShift(yfull[k], s.shift2[m], slope2, time[k] - t0, last);
      if (eta >= high) continue;
      xfull[k] = lessShift(xfull[k], s.shift1[m], slope1, time[k] - t0, last);
    }
  });
}

/** DPIXEL1: the mean of XFULL − round(XFULL) over the events with B_LOW ≤ YCORR < B_HIGH. */
export function fuvMeanFraction(events: CorrtagEvents, low: number, high: number): number {
  let [sum, count] = [0, 0];
  for (let k = 0; k < events.xfull.length; k++) {
    const eta = events.ycorr[k];
    if (eta < low || eta >= high) continue;
    const x = events.xfull[k];
    sum += f(x - roundHalfEven(x));
    count++;
  }
  return count > 0 ? sum / count : 0;
}

/**
 * WAVELENGTH of the active area's events at XFULL (calcos' computeWavelengths for FUV): the PSA relation below
 * the boundary row between the PSA and WCA spectra (by YFULL), heliocentric when `vHelio` is given, the WCA's above.
 */
export function fuvWavelengths(
  events: CorrtagEvents,
  active: Uint8Array,
  boundary: number,
  relations: { psa: Dispersion; wca: Dispersion },
  vHelio?: number,
): void {
  const { xfull, yfull, wavelength } = events;
  const [minusV, c] = [f(-(vHelio ?? 0)), f(SPEED_OF_LIGHT)];
  for (let k = 0; k < xfull.length; k++) {
    if (!active[k]) continue;
    if (yfull[k] >= boundary) wavelength[k] = wavelengthF32(relations.wca, xfull[k]);
    else {
      const w = wavelengthF32(relations.psa, xfull[k]);
      wavelength[k] = vHelio === undefined ? w : f(w + f(f(w * minusV) / c));
    }
  }
}
