/**
 * When the wavecal lamp was on in TAGFLASH data (calcos' getStartStopTimes and findFlash): the commanded times
 * from LMP_ONn/LMPOFFn (AUTO) or from the first flash and the spacing (uniform), then the actual ones from the
 * count rate in the wavecal rows in 0.2 s bins: a histogram of the rates, the cutoff half the rate of its upper
 * peak, the first and last bins above it within 2 s before and 4 s after the commanded times; the middle of a
 * flash is the time of its middle event. `time` is the float32 TIME column.
 */

export interface Flash {
  on: number;
  off: number;
}

export interface FlashTimes extends Flash {
  median: number;
}

const DELTA_T = 0.2;
const BUFFER_ON = 2;
const BUFFER_OFF = 4;
const MIN_COUNT_RATE = 20;

/** The commanded flashes that overlap the events, clipped to them. */
export function commandedFlashes(
  card: (keyword: string) => number | undefined,
  auto: boolean,
  t0: number,
  tLast: number,
): Flash[] {
  const numflash = card("NUMFLASH") ?? 0;
  const out: Flash[] = [];
  if (numflash < 1) return out;
  const need = (k: string) => card(k) ?? Number.NaN;
  if (auto) {
    for (let n = 1; n <= numflash; n++) {
      const [on, off] = [need(`LMP_ON${n}`), need(`LMPOFF${n}`)];
      if (off < t0 || on > tLast) continue;
      out.push({ on: Math.max(on, t0), off: Math.min(off, tLast) });
    }
    return out;
  }
  let on = Math.max(need("LMP_ON1"), t0);
  const duration = need("LMPDUR1");
  const spacing = numflash > 1 ? need("LMP_ON2") - need("LMP_ON1") : 1;
  for (let n = 0; n < numflash && on <= tLast; n++, on += spacing) out.push({ on, off: on + duration });
  return out;
}

/** calcos' ccos.range on a float64 copy of TIME: the slice [i0, i1) of events between t0 and t1 (as float32). */
export function timeRange(time: ArrayLike<number>, t0: number, t1: number): [number, number] {
  const [a, b] = t1 < t0 ? [t1, t0] : [t0, t1];
  return [searchTime(time, Math.fround(a)), searchTime(time, Math.fround(b))];
}

function searchTime(time: ArrayLike<number>, t: number): number {
  let [low, high] = [0, time.length - 1];
  if (t <= time[0]) return 0;
  if (t >= time[high]) return high + 1;
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if (t <= time[mid]) high = mid;
    else low = mid;
  }
  return high;
}

/** Events per 0.2 s bin whose RAWY is in [srcLow, srcHigh] (calcos' getstartstop and getbkgcounts). */
function binnedRates(time: Float32Array, rawy: ArrayLike<number>, srcLow: number, srcHigh: number): Float64Array {
  const n = time.length;
  const nbins = Math.ceil(Math.fround(time[n - 1] - time[0]) / DELTA_T);
  const counts = new Float64Array(nbins);
  let k = 0;
  for (let i = 0; i < nbins; i++) {
    if (k >= n) break;
    const begin = time[0] + i * DELTA_T;
    const end = begin + DELTA_T;
    // calcos leaves a bin's start at 0 when no event follows its beginning
    let [start, stop] = [0, n];
    let done = false;
    for (; k < n; k++) {
      if (time[k] >= begin) {
        start = k;
        if (time[k] > end) {
          stop = k;
          done = true;
        }
        break;
      }
    }
    if (!done) {
      for (; k < n; k++) {
        if (time[k] >= end) {
          stop = time[k] >= begin + 2 * DELTA_T && k > 0 ? k - 1 : k;
          break;
        }
      }
    }
    let c = 0;
    for (let e = start; e < stop; e++) if (rawy[e] >= srcLow && rawy[e] <= srcHigh) c++;
    counts[i] = c / DELTA_T;
  }
  return counts;
}

/** The cutoff rate: half the rate of the highest bin in the upper half of the histogram; undefined if faint. */
function cutoffRate(rates: Float64Array): number | undefined {
  const maxval = rates.reduce((m, v) => Math.max(m, v), Number.NEGATIVE_INFINITY);
  if (!(maxval > MIN_COUNT_RATE)) return undefined;
  const nbins = Math.max(20, Math.floor(rates.length / 100));
  const step = maxval / nbins;
  const hist = new Int32Array(nbins);
  for (const r of rates) {
    const i = Math.trunc(r / step);
    if (i < nbins) hist[i]++;
  }
  let [index, maxhist] = [nbins >> 1, 0];
  for (let i = nbins >> 1; i < nbins; i++) {
    if (hist[i] > maxhist) [maxhist, index] = [hist[i], i];
  }
  return (index / 2) * step;
}

/** The flashes found in the data (none when the wavecal rows are too faint). */
export function findFlashes(
  time: Float32Array,
  rawy: ArrayLike<number>,
  src: { low: number; high: number },
  commanded: readonly Flash[],
): FlashTimes[] {
  const rates = binnedRates(time, rawy, src.low, src.high);
  const cutoff = cutoffRate(rates);
  if (cutoff === undefined) return [];
  const t0 = time[0];
  const nbins = rates.length;
  const found: Flash[] = [];
  for (const c of commanded) {
    let kOn = Math.floor((c.on - BUFFER_ON - t0) / DELTA_T);
    let kOff = Math.ceil((c.off + BUFFER_OFF - t0) / DELTA_T);
    if (kOn >= nbins || kOff < 0) continue;
    [kOn, kOff] = [Math.max(kOn, 0), Math.min(kOff, nbins - 1)];
    let first = -1;
    for (let k = kOn; k <= kOff && first < 0; k++) if (rates[k] > cutoff) first = k;
    if (first < 0) continue;
    let last = kOff;
    while (!(rates[last] > cutoff)) last--;
    found.push({ on: t0 + first * DELTA_T, off: Math.min(t0 + (last + 1) * DELTA_T, time[time.length - 1]) });
  }
  return found.map((f) => {
    const [i0, i1] = timeRange(time, f.on, f.off);
    return { ...f, median: time[(i0 + i1) >> 1] };
  });
}
