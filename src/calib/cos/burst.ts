/**
 * BRSTCORR for an FUV segment (calcos' burstFilter with ccos getstartstop, getbkgcounts, smallerbursts): the
 * events are binned in time (DELTA_T, or DELTA_T_HIGH above HIGH_RATE counts/s); per bin the unflagged events
 * on the background rows and on the source rows are counted. Bins above MEDIAN_N × the median are large bursts;
 * then, up to MAX_ITER times, bins whose background exceeds its running median (MEDIAN_DT wide) by more than
 * BURST_MIN × DELTA_T, STDREJ σ and SOURCE_FRAC of the source are small bursts. The runs of burst bins are
 * returned as [start, stop] times (they leave the good-time intervals). The events of a large burst's bin are
 * flagged 64 (DQ_BURST); those of a small burst are not: calcos 3.4.7's ccos smallerbursts sets the flag in a
 * contiguous copy of the strided DQ column that is never written back, so its products lack it and so do ours.
 * The BRSTTAB's float32 columns are computed in float32 where numpy does.
 */
import { roundHalfEven } from "./dqicorr.js";

export const DQ_BURST = 64;
const LARGE_BURST = -20;
const SMALL_BURST = -10;

export interface BurstParameters {
  medianN: number;
  deltaT: number;
  deltaTHigh: number;
  medianDt: number;
  burstMin: number;
  stdrej: number;
  sourceFrac: number;
  maxIter: number;
  highRate: number;
  /** The table's real columns are float32 (1E): numpy then divides and multiplies them in single precision. */
  single: boolean;
}

/** Rows (inclusive) of the source band and the two background bands. */
export interface BurstRegions {
  srcLow: number;
  srcHigh: number;
  bkg1Low: number;
  bkg1High: number;
  bkg2Low: number;
  bkg2High: number;
}

export function findBursts(
  time: Float32Array,
  y: Float32Array,
  dq: Int16Array,
  exptime: number,
  p: BurstParameters,
  r: BurstRegions,
): [number, number][] | undefined {
  const n = time.length;
  const f = p.single ? Math.fround : (x: number) => x;
  if (!(exptime > 0) || n === 0) return undefined;
  const t0 = time[0];
  const last = time[n - 1];
  if (last <= t0) return undefined;
  const deltaT = n / exptime > p.highRate ? p.deltaTHigh : p.deltaT;
  // last − t0 is a float32 difference; numpy divides it by a float32 DELTA_T in float32 too
  const nbins = Math.ceil(f(Math.fround(last - t0) / deltaT));
  if (nbins <= 3) return undefined;
  const { istart, istop } = startStop(time, nbins, deltaT);
  const bkgsf = (r.srcHigh - r.srcLow + 1) / (r.bkg1High - r.bkg1Low + r.bkg2High - r.bkg2Low + 2);
  const bkg = new Int32Array(nbins);
  const src = new Int32Array(nbins);
  for (let i = 0; i < nbins; i++) {
    let nSrc = 0;
    let nBkg = 0;
    for (let k = istart[i]; k < istop[i]; k++) {
      if (dq[k] !== 0) continue;
      const jy = Math.floor(y[k] + 0.5);
      if (jy >= r.srcLow && jy <= r.srcHigh) nSrc++;
      else if ((jy >= r.bkg1Low && jy <= r.bkg1High) || (jy >= r.bkg2Low && jy <= r.bkg2High)) nBkg++;
    }
    bkg[i] = nBkg;
    src[i] = Math.trunc(nSrc - nBkg * bkgsf);
  }
  const median = Math.max(Int32Array.from(bkg).sort()[nbins >> 1], 1);
  const cutoff = p.medianN * median;
  for (let i = 0; i < nbins; i++) {
    if (bkg[i] <= cutoff) continue;
    for (let k = istart[i]; k < istop[i]; k++) dq[k] |= DQ_BURST;
    bkg[i] = LARGE_BURST;
  }
  const smallest = f(p.burstMin * deltaT);
  const halfBlock = Math.trunc(roundHalfEven(f(p.medianDt / deltaT)) / 2);
  for (let iter = 0; iter < p.maxIter; iter++) {
    const filtered = medianBoxcar(bkg, halfBlock);
    let rejected = 0;
    for (let i = 0; i < nbins; i++) {
      const excess = bkg[i] - filtered[i];
      if (bkg[i] > 0 && excess > smallest && excess > p.stdrej * Math.sqrt(bkg[i]) && excess > p.sourceFrac * src[i]) {
        rejected++;
        bkg[i] = SMALL_BURST;
      }
    }
    if (rejected < 1) break;
  }
  return intervals(time, istart, bkg);
}

/** ccos getStartStopTimes: each bin's first event and the end of its slice. */
function startStop(time: Float32Array, nbins: number, deltaT: number) {
  const n = time.length;
  const istart = new Int32Array(nbins);
  const istop = new Int32Array(nbins).fill(n);
  let k = 0;
  for (let i = 0; i < nbins; i++) {
    if (k >= n) {
      istart[i] = n;
      istop[i] = n;
      continue;
    }
    const begin = time[0] + i * deltaT;
    const end = begin + deltaT;
    const endNext = begin + 2 * deltaT;
    let done = false;
    for (; k < n; k++) {
      if (time[k] >= begin) {
        istart[i] = k;
        if (time[k] > end) {
          istop[i] = k;
          done = true;
        }
        break;
      }
    }
    if (done) continue;
    for (; k < n; k++) {
      if (time[k] >= end) {
        istop[i] = time[k] >= endNext && k > 0 ? k - 1 : k;
        break;
      }
    }
  }
  return { istart, istop };
}

/** ccos median_boxcar: the median of the non-negative counts in a box truncated at the ends. */
function medianBoxcar(bkg: Int32Array, halfBlock: number): Int32Array {
  const nbins = bkg.length;
  const out = new Int32Array(nbins);
  for (let i = 0; i < nbins; i++) {
    const block = bkg.slice(Math.max(i - halfBlock, 0), Math.min(i + halfBlock, nbins - 1) + 1).sort();
    let base = 0;
    while (base < block.length && block[base] < 0) base++;
    out[i] = base >= block.length - 1 ? LARGE_BURST : block[base + ((block.length - 1 - base) >> 1)];
  }
  return out;
}

/** calcos' extractIntervals: runs of flagged bins, from the first event of the first to that of the next. */
function intervals(time: Float32Array, istart: Int32Array, bkg: Int32Array): [number, number][] | undefined {
  if (bkg.every((b) => b >= 0)) return undefined;
  const out: [number, number][] = [];
  let start: number | undefined;
  for (let i = 0; i < bkg.length; i++) {
    if (bkg[i] < 0 && start === undefined) start = time[istart[i]];
    else if (bkg[i] >= 0 && start !== undefined) {
      out.push([start, time[istart[i]]]);
      start = undefined;
    }
  }
  if (start !== undefined) out.push([start, time[time.length - 1]]);
  return out;
}
