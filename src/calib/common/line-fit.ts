/**
 * Unweighted straight-line least squares from running sums (hstcal's BlevFit / DriftFit), in double.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */

/** Smallest normal float32 (C's FLT_MIN). */
export const FLT_MIN = 1.1754943508222875e-38;

export class LineFitSums {
  n = 0;
  sumX = 0;
  sumY = 0;
  sumXY = 0;
  sumXX = 0;

  add(x: number, y: number): void {
    this.n++;
    this.sumX += x;
    this.sumY += y;
    this.sumXY += x * y;
    this.sumXX += x * x;
  }
}

export interface LineFit {
  slope: number;
  intercept: number;
}

/**
 * The fitted line, or undefined when there is no point or `isSingular(d)` holds for d = Sxx - Sx²/n
 * (the bias-level fit rejects |d| < FLT_MIN, the drift fit only d == 0).
 */
export function fitLine(sums: LineFitSums, isSingular: (d: number) => boolean): LineFit | undefined {
  if (sums.n < 1) return undefined;
  const d = sums.sumXX - (sums.sumX * sums.sumX) / sums.n;
  if (isSingular(d)) return undefined;
  const xmean = sums.sumX / sums.n;
  const ymean = sums.sumY / sums.n;
  const slope = (sums.sumXY - xmean * ymean * sums.n) / d;
  return { slope, intercept: ymean - slope * xmean };
}
