/**
 * WAVECORR for COS NUV TIME-TAG without a wavecal (calcos' noWavecal, updateFromWavecal, computeWavelengths):
 * each stripe's shift is the LAMPTAB's FP_PIXEL_SHIFT for its FPOFFSET (0 when the table has none), constant in
 * time; XFULL = XDOPP − SHIFT1 for the events of the stripe's PSA and WCA rows, YFULL = YCORR − SHIFT2 (0);
 * WAVELENGTH from the DISPTAB relation of the stripe's PSA or WCA at XFULL. calcos records WAVECORR = SKIPPED
 * (no wavecal was found) but the columns are filled. Single precision where calcos' numpy works in it.
 */
import { type Dispersion, SPEED_OF_LIGHT } from "./doppcorr.js";
import { roundHalfEven, type ShiftSlice } from "./dqicorr.js";
import type { CorrtagEvents } from "./events.js";

const f = Math.fround;

/** [lower, upper) rows of the three stripes in the PSA and in the WCA. */
export interface StripeRows {
  psa: [number, number][];
  wca: [number, number][];
}

/** calcos' nuvWcaBoundaries: the WCA stripes from the PSA's NUVC/WCA's NUVA midpoint to the top of the detector. */
export function nuvWcaBoundaries(bSpec: { c: number; wcaA: number; wcaB: number; wcaC: number }, ny: number) {
  const mid = (p: number, q: number) => roundHalfEven((p + q) / 2);
  const cw = mid(bSpec.c, bSpec.wcaA);
  const ab = mid(bSpec.wcaA, bSpec.wcaB);
  const bc = mid(bSpec.wcaB, bSpec.wcaC);
  return [
    [cw, ab],
    [ab, bc],
    [bc, ny],
  ] as [number, number][];
}

const inRows = (eta: number, [lower, upper]: [number, number]) => eta >= lower && eta < upper;

/** XFULL and YFULL from the stripes' constant shifts (shift1 per stripe, shift2 one value). */
export function applyWavecalShifts(events: CorrtagEvents, rows: StripeRows, shift1: readonly number[], shift2: number) {
  const { xdopp, ycorr, xfull, yfull } = events;
  const s2 = f(shift2);
  for (let k = 0; k < xdopp.length; k++) {
    const eta = ycorr[k];
    let x = xdopp[k];
    for (let s = 0; s < 3; s++) {
      if (inRows(eta, rows.psa[s]) || inRows(eta, rows.wca[s])) x = f(xdopp[k] - f(shift1[s]));
    }
    xfull[k] = x;
    yfull[k] = f(eta - s2);
  }
}

/** calcos' getWavecalOffsets for NUV: per PSA and WCA stripe the range of XDOPP − XFULL of its events. */
export function wavecalSlices(events: CorrtagEvents, rows: StripeRows): ShiftSlice[] {
  const { xdopp, ycorr, xfull, yfull } = events;
  let min2 = Number.POSITIVE_INFINITY;
  let max2 = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < ycorr.length; k++) {
    const d = f(ycorr[k] - yfull[k]);
    min2 = Math.min(min2, d);
    max2 = Math.max(max2, d);
  }
  return [...rows.psa, ...rows.wca].map(([lower, upper]) => {
    let min1 = Number.POSITIVE_INFINITY;
    let max1 = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < ycorr.length; k++) {
      if (ycorr[k] < lower || ycorr[k] >= upper) continue;
      const d = f(xdopp[k] - xfull[k]);
      min1 = Math.min(min1, d);
      max1 = Math.max(max1, d);
    }
    return min1 > max1
      ? { lower, upper, min1: 0, max1: 0, min2: 0, max2: 0 }
      : { lower, upper, min1, max1, min2, max2 };
  });
}

/** λ(x) as numpy evaluates it on a float32 column: every operation rounded to single precision. */
export function wavelengthF32(d: Dispersion, x: number): number {
  const xp = f(x + f(d.delta));
  const n = d.coeff.length;
  let sum = f(d.coeff[n - 1]);
  for (let i = n - 2; i >= 0; i--) sum = f(f(sum * xp) + f(d.coeff[i]));
  return sum;
}

/**
 * Per detector row from `first`: the relation its events take (1 + 2 × stripe for the PSA, 2 + 2 × stripe for
 * the WCA, 0 none), the later stripe winning as in calcos' loop over stripes. Undefined when a bound is not an
 * integer row (then rows are tested per event).
 */
function relationByRow(rows: StripeRows): { first: number; index: Uint8Array } | undefined {
  const bounds = [...rows.psa, ...rows.wca];
  if (!bounds.flat().every(Number.isInteger)) return undefined;
  const first = Math.min(...bounds.map((b) => b[0]));
  const index = new Uint8Array(Math.max(0, Math.max(...bounds.map((b) => b[1])) - first));
  for (let s = 0; s < 3; s++) {
    for (let r = rows.psa[s][0]; r < rows.psa[s][1]; r++) index[r - first] = 1 + 2 * s;
    for (let r = rows.wca[s][0]; r < rows.wca[s][1]; r++) index[r - first] = 2 + 2 * s;
  }
  return { first, index };
}

/** WAVELENGTH of the events in each stripe's PSA and WCA rows (by YFULL), at XFULL; others keep theirs. */
export function computeWavelengths(
  events: CorrtagEvents,
  rows: StripeRows,
  relations: readonly { psa: Dispersion; wca: Dispersion }[],
  vHelio?: number,
): void {
  const { xfull, yfull, wavelength } = events;
  // HELCORR: λ += λ × (−V_HELIO) / c, in single precision, for the PSA only
  const [minusV, c] = [f(-(vHelio ?? 0)), f(SPEED_OF_LIGHT)];
  const helio = (w: number) => (vHelio === undefined ? w : f(w + f(f(w * minusV) / c)));
  const byRow = relationByRow(rows);
  if (!byRow) {
    for (let k = 0; k < xfull.length; k++) {
      const eta = yfull[k];
      for (let s = 0; s < 3; s++) {
        if (inRows(eta, rows.psa[s])) wavelength[k] = helio(wavelengthF32(relations[s].psa, xfull[k]));
        if (inRows(eta, rows.wca[s])) wavelength[k] = wavelengthF32(relations[s].wca, xfull[k]);
      }
    }
    return;
  }
  // per event only typed-array reads: the relations' coefficients rounded to single precision once
  const all = relations.flatMap((r) => [r.psa, r.wca]);
  const degree = Math.max(...all.map((d) => d.coeff.length));
  const coeff = new Float64Array(all.length * degree);
  const delta = Float64Array.from(all, (d) => f(d.delta));
  const terms = Int32Array.from(all, (d) => d.coeff.length);
  for (const [r, d] of all.entries()) coeff.set(d.coeff.map(f), r * degree);
  const { first, index } = byRow;
  for (let k = 0; k < xfull.length; k++) {
    const row = Math.floor(yfull[k]) - first;
    const which = row >= 0 && row < index.length ? index[row] : 0;
    if (which === 0) continue;
    const base = (which - 1) * degree;
    const xp = f(xfull[k] + delta[which - 1]);
    const n = terms[which - 1];
    let sum = coeff[base + n - 1];
    for (let i = n - 2; i >= 0; i--) sum = f(f(sum * xp) + coeff[base + i]);
    wavelength[k] = which & 1 ? helio(sum) : sum;
  }
}

/** DPIXEL1[ABC]: the mean fractional pixel of XFULL over each stripe's PSA events (0 when it has none). */
export function meanFractionalPixel(events: CorrtagEvents, psa: [number, number]): number {
  let sum = 0;
  let n = 0;
  for (let k = 0; k < events.xfull.length; k++) {
    if (!inRows(events.ycorr[k], psa)) continue;
    const x = events.xfull[k];
    sum += f(x - roundHalfEven(x));
    n++;
  }
  return n > 0 ? sum / n : 0;
}
