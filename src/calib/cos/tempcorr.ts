/**
 * TEMPCORR for an FUV segment (calcos' computeThermalParam, findStim, thermalParam, thermalDistortion): in each
 * TIMESTEP-second interval the two stim pulses are found as the mean (XCORR, YCORR) of the events within
 * XWIDTH/YWIDTH of their BRFTAB positions (the last position found when one is missing); the linear map taking
 * them back to the reference positions is applied to that interval's events. numpy computes the sums in
 * single precision (pairwise, in blocks of 8192 elements); so does this, for bit-identical coordinates.
 */
import { searchTime } from "./deadcorr.js";
import type { CorrtagEvents } from "./events.js";
import { sparseNumpySum } from "./sparse-sum.js";

const f = Math.fround;
const BLOCK = 8192;

/** numpy's pairwise float32 sum of a[start, start + n). */
function pairwise(a: Float32Array, start: number, n: number): number {
  if (n < 8) {
    let r = 0;
    for (let i = 0; i < n; i++) r = f(r + a[start + i]);
    return r;
  }
  if (n <= 128) {
    const r = Array.from({ length: 8 }, (_, j) => a[start + j]);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] = f(r[j] + a[start + i + j]);
    let res = f(f(f(r[0] + r[1]) + f(r[2] + r[3])) + f(f(r[4] + r[5]) + f(r[6] + r[7])));
    for (; i < n; i++) res = f(res + a[start + i]);
    return res;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return f(pairwise(a, start, half) + pairwise(a, start + half, n - half));
}

/** np.sum of a contiguous float32 array: pairwise within blocks of 8192, the blocks added in order. */
export function numpySumFloat32(a: Float32Array): number {
  let res = 0;
  for (let i = 0; i < a.length; i += BLOCK) {
    const part = pairwise(a, i, Math.min(BLOCK, a.length - i));
    res = i === 0 ? part : f(res + part);
  }
  return res;
}

export interface StimReference {
  x: number;
  y: number;
}

export interface StimFound {
  n: number;
  x: number;
  y: number;
  sumsqX: number;
  sumsqY: number;
}

/** calcos' findStim on events [i, j): undefined when no event is near the reference position. */
export function findStim(
  x: Float32Array,
  y: Float32Array,
  i: number,
  j: number,
  ref: StimReference,
  width: { x: number; y: number },
): StimFound | undefined {
  const [xlow, xhigh] = [f(ref.x - width.x), f(ref.x + width.x)];
  const [ylow, yhigh] = [f(Math.max(ref.y - width.y, 1)), f(Math.min(ref.y + width.y, 1022))];
  const m = j - i;
  // the events inside the box, in order: numpy's mask is 1 there, 0 elsewhere (sparse-sum.ts)
  let inside = new Int32Array(64);
  let count = 0;
  for (let k = 0; k < m; k++) {
    const xk = x[i + k];
    const yk = y[i + k];
    if (xk > xhigh || xk < xlow || yk > yhigh || yk < ylow) continue;
    if (count === inside.length) {
      const grown = new Int32Array(2 * count);
      grown.set(inside);
      inside = grown;
    }
    inside[count++] = k;
  }
  const pos = inside.subarray(0, count);
  const terms = new Float32Array(count);
  const n = sparseNumpySum(terms.fill(1), pos, m);
  if (!(n > 0)) return undefined;
  const weighted = (v: Float32Array, center: number) => {
    const c = f(center);
    for (let q = 0; q < count; q++) terms[q] = f(v[i + pos[q]] - c);
    return sparseNumpySum(terms, pos, m);
  };
  const squares = (v: Float32Array, center: number) => {
    const c = f(center);
    for (let q = 0; q < count; q++) {
      const d = f(v[i + pos[q]] - c);
      terms[q] = f(d * d);
    }
    return sparseNumpySum(terms, pos, m);
  };
  const sx = f(weighted(x, ref.x) / n) + ref.x;
  const sy = f(weighted(y, ref.y) / n) + ref.y;
  return { n, x: sx, y: sy, sumsqX: squares(x, sx), sumsqY: squares(y, sy) };
}

/** One interval's map: x' = x0 + x × xslope, y' = y0 + y × yslope. */
export interface ThermalMap {
  i0: number;
  i1: number;
  x0: number;
  xslope: number;
  y0: number;
  yslope: number;
}

export interface StimSummary {
  maps: ThermalMap[];
  /** Average positions and their rms (undefined for a stim never found). */
  left?: { x: number; y: number; rmsX: number; rmsY: number };
  right?: { x: number; y: number; rmsX: number; rmsY: number };
}

function average(n: number, sumY: number, sumX: number, sqY: number, sqX: number) {
  if (!(n > 0)) return undefined;
  const d = n > 1 ? n - 1 : 1;
  return { x: sumX / n, y: sumY / n, rmsX: Math.sqrt(sqX / d), rmsY: Math.sqrt(sqY / d) };
}

export function thermalParameters(
  events: CorrtagEvents,
  refs: [StimReference, StimReference],
  width: { x: number; y: number },
  timestep: number,
): StimSummary {
  const { time, xcorr, ycorr } = events;
  const n = time.length;
  const maps: ThermalMap[] = [];
  const sums = [
    [0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0],
  ];
  let last: [StimReference, StimReference] = [refs[0], refs[1]];
  const tlast = time[n - 1];
  for (let t0 = time[0], t1 = t0 + timestep; t0 <= tlast; t0 = t1, t1 = t0 + timestep) {
    if (t1 < time[0] || t0 > tlast) continue;
    const i = searchTime(time, t0);
    const j = searchTime(time, t1);
    if (i >= j) continue;
    const found = refs.map((ref) => findStim(xcorr, ycorr, i, j, ref, width));
    found.forEach((s, k) => {
      if (!s) return;
      const sum = sums[k];
      sum[0] += s.n;
      sum[1] += s.y * s.n;
      sum[2] += s.x * s.n;
      sum[3] += s.sumsqY;
      sum[4] += s.sumsqX;
      last[k] = { x: s.x, y: s.y };
    });
    last = [last[0], last[1]];
    const [s1, s2] = last;
    const xslope = (refs[1].x - refs[0].x) / (s2.x - s1.x);
    const yslope = (refs[1].y - refs[0].y) / (s2.y - s1.y);
    maps.push({ i0: i, i1: j, x0: refs[0].x - s1.x * xslope, xslope, y0: refs[0].y - s1.y * yslope, yslope });
  }
  const [a, b] = sums;
  return { maps, left: average(a[0], a[1], a[2], a[3], a[4]), right: average(b[0], b[1], b[2], b[3], b[4]) };
}

/** calcos' thermalDistortion: false when every map is the identity (TEMPCORR then SKIPPED). */
export function applyThermalMaps(events: CorrtagEvents, maps: readonly ThermalMap[]): boolean {
  const { xcorr, ycorr } = events;
  let done = false;
  for (const m of maps) {
    if (m.x0 === 0 && m.xslope === 1 && m.y0 === 0 && m.yslope === 1) continue;
    const [x0, xs, y0, ys] = [f(m.x0), f(m.xslope), f(m.y0), f(m.yslope)];
    for (let k = m.i0; k < m.i1; k++) {
      xcorr[k] = f(x0 + f(xcorr[k] * xs));
      ycorr[k] = f(y0 + f(ycorr[k] * ys));
    }
    done = true;
  }
  return done;
}
