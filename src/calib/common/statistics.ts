/** The statistics keywords written at the end of the 2-D steps (calibration.md §0.7, hstcal doStat). */
import { imageKernels } from "./image-kernels.js";
import type { ImageSet } from "./imset.js";

export interface SciStatistics {
  NGOODPIX: number;
  GOODMIN: number;
  GOODMAX: number;
  GOODMEAN: number;
  SNRMIN: number;
  SNRMAX: number;
  SNRMEAN: number;
}

export type ErrStatistics = Pick<SciStatistics, "NGOODPIX" | "GOODMIN" | "GOODMAX" | "GOODMEAN">;

// Accumulator slots. The sums, minima and maxima live in a Float64Array rather than in local variables: a
// loop entered once over millions of pixels runs as on-stack-replaced code, where V8 boxes loop-carried
// doubles (a heap number per pixel); array slots stay raw doubles.
const N = 0;
const SCI_SUM = 1;
const ERR_SUM = 2;
const SNR_SUM = 3;
const SCI_MIN = 4;
const SCI_MAX = 5;
const ERR_MIN = 6;
const ERR_MAX = 7;
const SNR_MIN = 8;
const SNR_MAX = 9;

/** Over pixels with (DQ & sdqflags) == 0 and ERR > 0; all zero when there is none. */
export function imageStatistics(set: ImageSet, sdqflags = 65535): { sci: SciStatistics; err: ErrStatistics } {
  const a = statisticsAccumulator();
  accumulateStatistics(set, sdqflags, a);
  return summary(a);
}

/** Empty accumulators for accumulateStatistics (sums, counts, minima, maxima). */
export function statisticsAccumulator(): Float64Array {
  return Float64Array.of(0, 0, 0, 0, Infinity, -Infinity, Infinity, -Infinity, Infinity, -Infinity);
}

/**
 * Adds a set's pixels to `a`: image sets read by bands of rows, in order, give the bits of the whole
 * (the sums go pixel by pixel in both kernels).
 */
export function accumulateStatistics(set: ImageSet, sdqflags: number, a: Float64Array): void {
  const kernels = imageKernels();
  if (kernels) kernels.statistics(set, sdqflags, a);
  else accumulate(set, sdqflags, a);
}

/** The keywords of what accumulateStatistics gathered. */
export function accumulatedStatistics(a: Float64Array): { sci: SciStatistics; err: ErrStatistics } {
  return summary(a);
}

function accumulate({ sci, err, dq }: ImageSet, sdqflags: number, a: Float64Array): void {
  for (let k = 0; k < sci.length; k++) {
    const e = err[k];
    if ((dq[k] & sdqflags) !== 0 || !(e > 0)) continue;
    const s = sci[k];
    const snr = s / e;
    a[N]++;
    a[SCI_SUM] += s;
    a[ERR_SUM] += e;
    a[SNR_SUM] += snr;
    if (s < a[SCI_MIN]) a[SCI_MIN] = s;
    if (s > a[SCI_MAX]) a[SCI_MAX] = s;
    if (e < a[ERR_MIN]) a[ERR_MIN] = e;
    if (e > a[ERR_MAX]) a[ERR_MAX] = e;
    if (snr < a[SNR_MIN]) a[SNR_MIN] = snr;
    if (snr > a[SNR_MAX]) a[SNR_MAX] = snr;
  }
}

function summary(a: Float64Array): { sci: SciStatistics; err: ErrStatistics } {
  const n = a[N];
  if (n === 0) {
    const zero = { NGOODPIX: 0, GOODMIN: 0, GOODMAX: 0, GOODMEAN: 0 };
    return { sci: { ...zero, SNRMIN: 0, SNRMAX: 0, SNRMEAN: 0 }, err: zero };
  }
  return {
    sci: {
      NGOODPIX: n,
      GOODMIN: a[SCI_MIN],
      GOODMAX: a[SCI_MAX],
      GOODMEAN: a[SCI_SUM] / n,
      SNRMIN: a[SNR_MIN],
      SNRMAX: a[SNR_MAX],
      SNRMEAN: a[SNR_SUM] / n,
    },
    err: { NGOODPIX: n, GOODMIN: a[ERR_MIN], GOODMAX: a[ERR_MAX], GOODMEAN: a[ERR_SUM] / n },
  };
}
