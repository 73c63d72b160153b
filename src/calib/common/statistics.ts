/** The statistics keywords written at the end of the 2-D steps (calibration.md §0.7, hstcal doStat). */
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

/** Over pixels with (DQ & sdqflags) == 0 and ERR > 0; all zero when there is none. */
export function imageStatistics(set: ImageSet, sdqflags = 65535): { sci: SciStatistics; err: ErrStatistics } {
  let n = 0;
  let sciMin = Number.POSITIVE_INFINITY;
  let sciMax = Number.NEGATIVE_INFINITY;
  let sciSum = 0;
  let errMin = Number.POSITIVE_INFINITY;
  let errMax = Number.NEGATIVE_INFINITY;
  let errSum = 0;
  let snrMin = Number.POSITIVE_INFINITY;
  let snrMax = Number.NEGATIVE_INFINITY;
  let snrSum = 0;
  const { sci, err, dq } = set;
  for (let k = 0; k < sci.length; k++) {
    const e = err[k];
    if ((dq[k] & sdqflags) !== 0 || !(e > 0)) continue;
    const s = sci[k];
    const snr = s / e;
    n++;
    sciSum += s;
    errSum += e;
    snrSum += snr;
    if (s < sciMin) sciMin = s;
    if (s > sciMax) sciMax = s;
    if (e < errMin) errMin = e;
    if (e > errMax) errMax = e;
    if (snr < snrMin) snrMin = snr;
    if (snr > snrMax) snrMax = snr;
  }
  if (n === 0) {
    const zero = { NGOODPIX: 0, GOODMIN: 0, GOODMAX: 0, GOODMEAN: 0 };
    return { sci: { ...zero, SNRMIN: 0, SNRMAX: 0, SNRMEAN: 0 }, err: zero };
  }
  return {
    sci: {
      NGOODPIX: n,
      GOODMIN: sciMin,
      GOODMAX: sciMax,
      GOODMEAN: sciSum / n,
      SNRMIN: snrMin,
      SNRMAX: snrMax,
      SNRMEAN: snrSum / n,
    },
    err: { NGOODPIX: n, GOODMIN: errMin, GOODMAX: errMax, GOODMEAN: errSum / n },
  };
}
