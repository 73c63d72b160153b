/**
 * calstis4's first-order shift along the slit for long slits with occulting bars: the rectified wavecal's rows
 * averaged, weighted by the lamp spectrum (its median-subtracted column means); the slit profile normalised
 * by a natural spline through section medians (outliers such as the bars left out) and inverted, so that a bar
 * is a bump of height one; each bar found by cross-correlating with a box of the bar's width at its APDESTAB
 * place and taking the mean midpoint of the correlation's slopes; the bars' shifts averaged by weight. As in
 * hstcal's cs4 SpatialShift, InvertSlit, FindBars and splint_nr (BSD-3-Clause, AURA).
 */
import type { RectifiedImset } from "./wavecal-xcorr.js";

export interface SpatialShiftInput {
  /** Zero-indexed columns and rows for the slit profile (SP_TRIM1/SP_TRIM2) and rows for the weights (WL_TRIM2). */
  columns: [number, number];
  rows: [number, number];
  weightRows: [number, number];
  /** Zero-indexed reference row and degrees per row (CRPIX2 − 1, CD2_2). */
  crpix: number;
  cdelt: number;
  /** APDESTAB BARnLOCN and BARnWIDTH, arcseconds. */
  bars: { location: number; width: number }[];
  /** WCPTAB SP_RANGE: lags correlated (odd). */
  spRange: number;
  sdqflags: number;
}

const NPARTS1 = 8;
const NPARTS2 = 12;
const MAX_MAD = 6;
const MIN_BARWEIGHT = 0.5;
const MAX_BARWEIGHT = 1.5;
const CENTROID_CUTOFF = 0.5;
const OUTLIER_CUTOFF = 0.3;
const MAX_DIFF_WARNING = 5;
const MAX_DIFF_ERROR = 10;

function medianOf(values: number[]): number {
  const s = Float64Array.from(values).sort();
  const i = s.length >> 1;
  return s.length % 2 === 0 ? (s[i - 1] + s[i]) / 2 : s[i];
}

/** The median of the good values, or undefined when there is none (QMedian). */
function goodMedian(v: ArrayLike<number>, q: ArrayLike<number>, start: number, n: number): number | undefined {
  const good: number[] = [];
  for (let i = start; i < start + n; i++) if (q[i] === 0) good.push(v[i]);
  if (good.length === 0) return undefined;
  return good.length === 1 ? good[0] : medianOf(good);
}

/** A natural cubic spline through (xa, ya) evaluated at 0 … n − 1 (Numerical Recipes' spline and splint). */
export function naturalSpline(xa: number[], ya: number[], n: number): Float64Array {
  const m = xa.length;
  const y2 = new Float64Array(m);
  const u = new Float64Array(m);
  for (let i = 1; i < m - 1; i++) {
    const sig = (xa[i] - xa[i - 1]) / (xa[i + 1] - xa[i - 1]);
    const p = sig * y2[i - 1] + 2;
    y2[i] = (sig - 1) / p;
    u[i] =
      ((6 * ((ya[i + 1] - ya[i]) / (xa[i + 1] - xa[i]) - (ya[i] - ya[i - 1]) / (xa[i] - xa[i - 1]))) /
        (xa[i + 1] - xa[i - 1]) -
        sig * u[i - 1]) /
      p;
  }
  y2[m - 1] = 0;
  for (let i = m - 2; i >= 0; i--) y2[i] = y2[i] * y2[i + 1] + u[i];
  const out = new Float64Array(n);
  for (let x = 0; x < n; x++) {
    let lo = 0;
    let hi = m - 1;
    while (hi - lo > 1) {
      const k = (lo + hi) >> 1;
      if (xa[k] > x) hi = k;
      else lo = k;
    }
    const h = xa[hi] - xa[lo];
    const a = (xa[hi] - x) / h;
    const b = (x - xa[lo]) / h;
    out[x] = a * ya[lo] + b * ya[hi] + (((a * a * a - a) * y2[lo] + (b * b * b - b) * y2[hi]) * h * h) / 6;
  }
  return out;
}

/** Medians of up to `parts` sections between the first and last good values (MedianSections). */
function sectionMedians(v: Float64Array, q: ArrayLike<number>, first: number, last: number, parts: number) {
  let size = Math.trunc((last - first + 1) / parts);
  if (size * parts < last - first + 1) size++;
  const xs: number[] = [];
  const ys: number[] = [];
  let start = first;
  for (let i = 0; i < parts && start < last; i++) {
    const n = start + size - 1 <= last ? size : last - start + 1;
    const m = goodMedian(v, q, start, n);
    if (m !== undefined) {
      ys.push(m);
      xs.push(start + (n - 1) / 2);
    }
    start += n;
  }
  return { xs, ys };
}

/** The normalised, inverted slit profile (InvertSlit); undefined when nothing is good. */
export function invertSlit(v: Float64Array, q: Int32Array): Float64Array | undefined {
  const nv = v.length;
  const local = Int32Array.from(q, (f) => (f === 0 ? 0 : 1));
  const first = q.indexOf(0);
  const last = q.lastIndexOf(0);
  if (first < 0) return undefined;
  let s = sectionMedians(v, q, first, last, NPARTS1);
  let smooth = naturalSpline(s.xs, s.ys, nv);
  const mad = goodMedian(
    v.map((x, i) => Math.abs(x - smooth[i])),
    q,
    0,
    nv,
  );
  if (mad === undefined) return undefined;
  for (let i = 0; i < nv; i++) if (Math.abs(v[i] - smooth[i]) > MAX_MAD * mad) local[i] = 1;
  s = sectionMedians(v, local, first, last, NPARTS2);
  const globalMedian = goodMedian(v, local, 0, nv);
  if (globalMedian === undefined) return undefined;
  // non-positive medians take their neighbour's value, working out from the middle (CheckMedians)
  const ok = [...s.ys];
  const half = s.ys.length >> 1;
  for (const [from, to, step] of [
    [half, s.ys.length, 1],
    [half - 1, -1, -1],
  ]) {
    let previous = 0;
    for (let i = from; i !== to; i += step) {
      if (s.ys[i] <= 0) ok[i] = i === from ? globalMedian : previous;
      previous = ok[i];
    }
  }
  smooth = naturalSpline(s.xs, ok, nv);
  return Float64Array.from(v, (x, i) => (q[i] === 0 && smooth[i] > 0 ? (smooth[i] - x) / smooth[i] : 0));
}

/** A box of one bar, with fractional edge pixels (MakeTemplateBar). */
function barTemplate(center: number, width: number, nv: number): Float64Array {
  const t = new Float64Array(nv);
  const lower = center - width / 2;
  const upper = center + width / 2;
  const il = Math.round(lower);
  const iu = Math.round(upper);
  if (iu > 0 && il < nv - 1) t.fill(1, il < 0 ? 0 : il + 1, (iu >= nv ? nv - 1 : iu - 1) + 1);
  if (il >= 0 && il < nv) t[il] = 0.5 - lower + il;
  if (iu >= 0 && iu < nv) t[iu] = upper + 0.5 - iu;
  return t;
}

/** A bar's shift and weight from the cross-correlation (XCorr, Centroid); weight 0 when it was not found. */
function findBar(inv: Float64Array, template: Float64Array, range: number, width: number) {
  const nv = inv.length;
  const half = (range - 1) / 2;
  const xc = new Float64Array(range);
  for (let j = -half; j <= half; j++) {
    let sum = 0;
    for (let i = Math.max(0, j); i < Math.min(nv, nv + j); i++) sum += inv[i] * template[i - j];
    xc[half + j] = sum;
  }
  let imax = 0;
  for (let i = 1; i < range; i++) if (xc[i] > xc[imax]) imax = i;
  const weight = xc[imax] / width;
  if (imax === 0 || imax === range - 1 || weight < MIN_BARWEIGHT || weight > MAX_BARWEIGHT) {
    return { shift: 0, weight: 0 };
  }
  const centres: number[] = [];
  for (let value = xc[imax] - 1; value > xc[imax] * CENTROID_CUTOFF; value--) {
    let i = imax;
    while (i > 0 && !(xc[i] <= value && xc[i + 1] > value)) i--;
    if (i === 0) break;
    const left = i + (value - xc[i]) / (xc[i + 1] - xc[i]);
    i = imax;
    while (i < range - 1 && !(xc[i] >= value && xc[i + 1] < value)) i++;
    if (i === range - 1) break;
    const right = i + (xc[i] - value) / (xc[i] - xc[i + 1]);
    centres.push((left + right) / 2);
  }
  if (centres.length === 0) return { shift: 0, weight: 0 };
  if (centres.length === 1) return { shift: centres[0] - half, weight };
  const m = medianOf(centres);
  const kept = centres.filter((c) => Math.abs(c - m) <= OUTLIER_CUTOFF);
  if (kept.length === 0) return { shift: 0, weight: 0 };
  return { shift: kept.reduce((a, c) => a + c, 0) / kept.length - half, weight };
}

/** The bars' shifts averaged by weight; a bar far from the others by more than 5 pixels is dropped (AvgShifts). */
function averageShifts(bars: { shift: number; weight: number }[]): number | undefined {
  if (bars.reduce((a, b) => a + b.weight, 0) < MIN_BARWEIGHT) return undefined;
  const good = bars.filter((b) => b.weight > MIN_BARWEIGHT);
  if (good.length < 1) return undefined;
  const shifts = good.map((b) => b.shift);
  const spread = Math.max(...shifts) - Math.min(...shifts);
  if (spread > MAX_DIFF_ERROR) return undefined;
  let lightest = -1;
  if (spread > MAX_DIFF_WARNING) {
    lightest = bars.indexOf(good.reduce((a, b) => (b.weight < a.weight ? b : a)));
  }
  let sumw = 0;
  let sumsw = 0;
  bars.forEach((b, i) => {
    if (i === lightest || !(b.weight > MIN_BARWEIGHT)) return;
    sumw += b.weight;
    sumsw += b.shift * b.weight;
  });
  return sumsw / sumw;
}

/** The spatial profile of a rectified wavecal, weighted by its spectrum (SpatialShift, 2-D rectified case). */
export function slitProfile(image: RectifiedImset, o: SpatialShiftInput) {
  const { nx, ny } = image;
  const weight = new Float64Array(nx);
  for (let i = o.columns[0]; i <= o.columns[1]; i++) {
    let good = 0;
    for (let j = o.weightRows[0]; j <= o.weightRows[1]; j++) {
      if (image.dq[j * nx + i] & o.sdqflags) continue;
      weight[i] += image.sci[j * nx + i];
      good++;
    }
    if (good > 0) weight[i] /= good;
  }
  const m = medianOf(Array.from(weight));
  for (let i = 0; i < nx; i++) weight[i] = weight[i] < m ? 0 : weight[i] - m;
  const v = new Float64Array(ny);
  const q = new Int32Array(ny).fill(o.sdqflags);
  for (let j = o.rows[0]; j <= o.rows[1]; j++) {
    let sumw = 0;
    for (let i = o.columns[0]; i <= o.columns[1]; i++) {
      if (image.dq[j * nx + i] & o.sdqflags) continue;
      v[j] += image.sci[j * nx + i] * weight[i];
      sumw += weight[i];
    }
    if (sumw > 0) {
      v[j] /= sumw;
      q[j] = 0;
    }
  }
  return { v, q };
}

/** The shift along the slit in image rows, or undefined when no bar was found; each bar's result beside it. */
export function spatialShift(image: RectifiedImset, o: SpatialShiftInput) {
  const { v, q } = slitProfile(image, o);
  const inv = invertSlit(v, q);
  if (inv === undefined) return { shift: undefined, bars: [] };
  const scale = o.cdelt * 3600;
  const bars = o.bars.map((bar) => {
    const width = bar.width / scale;
    if (!(width > 0)) return { shift: 0, weight: 0 };
    return findBar(inv, barTemplate(o.crpix + bar.location / scale, width, v.length), o.spRange, width);
  });
  return { shift: averageShifts(bars), bars };
}
