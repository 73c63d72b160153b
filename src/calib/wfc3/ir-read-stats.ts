/**
 * Statistics keywords of each `_ima` read and of the `_flt` (calibration.md §0.7, §5; hstcal
 * wf3ir/statcalc.c, stats.c qstats): over the pixels inside the reference-pixel border with no SDQFLAGS
 * bit and ERR > 0, SCI NGOODPIX, GOODMIN/MAX/MEAN and SNRMIN/MAX/MEAN, ERR NGOODPIX and GOODMIN/MAX/MEAN
 * (sums in double, keywords in float). With no good pixel only NGOODPIX (0) is written.
 * statcalc.c passes qstats its SNR and ERR outputs in each other's places, so calwf3.e writes the ERR
 * statistics as the SCI header's SNRMEAN/MIN/MAX and the SCI/ERR ratio's as the ERR header's
 * GOODMEAN/MIN/MAX. Kept for parity with calwf3.e and the archive's IR products (header keywords only).
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import type { Border, MultiAccumRead } from "./multiaccum.js";

export interface ReadStatistics {
  sci: Record<string, number>;
  err: Record<string, number>;
}

const f = Math.fround;

export function readStatistics(
  read: Pick<MultiAccumRead, "sci" | "err" | "dq">,
  nx: number,
  ny: number,
  border: Border,
  sdqflags: number,
): ReadStatistics {
  // [n, Σsci, Σerr, Σsnr, min/max of sci, err, snr]: array slots keep the loop's doubles unboxed.
  const a = Float64Array.of(0, 0, 0, 0, Infinity, -Infinity, Infinity, -Infinity, Infinity, -Infinity);
  const { sci, err, dq } = read;
  for (let j = border.y[0]; j < ny - border.y[1]; j++) {
    for (let k = j * nx + border.x[0], end = j * nx + nx - border.x[1]; k < end; k++) {
      const e = err[k];
      if ((dq[k] & sdqflags) !== 0 || !(e > 0)) continue;
      const s = sci[k];
      const snr = s / e;
      a[0]++;
      a[1] += s;
      a[2] += e;
      a[3] += snr;
      if (s < a[4]) a[4] = s;
      if (s > a[5]) a[5] = s;
      if (e < a[6]) a[6] = e;
      if (e > a[7]) a[7] = e;
      if (snr < a[8]) a[8] = snr;
      if (snr > a[9]) a[9] = snr;
    }
  }
  const n = a[0];
  if (n === 0) return { sci: { NGOODPIX: 0 }, err: { NGOODPIX: 0 } };
  return {
    sci: {
      NGOODPIX: n,
      GOODMEAN: f(a[1] / n),
      GOODMIN: f(a[4]),
      GOODMAX: f(a[5]),
      SNRMEAN: f(a[2] / n),
      SNRMIN: f(a[6]),
      SNRMAX: f(a[7]),
    },
    err: { NGOODPIX: n, GOODMEAN: f(a[3] / n), GOODMIN: f(a[8]), GOODMAX: f(a[9]) },
  };
}
