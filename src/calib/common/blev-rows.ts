/**
 * The classic BLEVCORR fit of the bias level against row number (calibration.md §2.5; hstcal
 * findblev.c, doblev.c FitToOverscan/cleanBiasFit, blevfit.c). Values are in electrons, sums in double.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { intAbs } from "./c-numbers.js";
import type { ImageSet } from "./imset.js";
import { FLT_MIN, fitLine, LineFitSums } from "./line-fit.js";
import { medianOfDoubles } from "./median.js";

/** 0-based inclusive columns [a0, a1, b0, b1]; a1 == 0 turns the first range off, b0 == 0 the second. */
export type BiasSections = [number, number, number, number];

/** A pixel usable for a bias level: DQ 0 or no serious bit set. */
export function isGoodOverscanPixel(dq: number, sdqflags: number): boolean {
  return dq === 0 || (dq & sdqflags) === 0;
}

/** Median of the good bias-section pixels of one row (hstcal FindBlev), or undefined if there is none. */
export function rowBiasLevel(set: ImageSet, row: number, sections: BiasSections, sdqflags: number): number | undefined {
  const values: number[] = [];
  const take = (from: number, to: number) => {
    for (let i = from; i <= to; i++) {
      const k = row * set.nx + i;
      if (isGoodOverscanPixel(set.dq[k], sdqflags)) values.push(set.sci[k]);
    }
  };
  if (sections[1] !== 0) take(sections[0], sections[1]);
  if (sections[2] !== 0) take(sections[2], sections[3]);
  return values.length < 1 ? undefined : medianOfDoubles(values);
}

/**
 * hstcal's cleanBiasFit: reject (mask = 0) row levels above |3·sdev + mean|, sdev limited to
 * sqrt(mean), then above |3·rn + mean| with the recomputed mean. `abs` is C's *integer* abs, so both
 * thresholds are truncated to int. Rows already masked keep value 0. Returns the number of rejections
 * counted the way hstcal logs them.
 */
export function cleanBiasFit(values: Float64Array, mask: Uint8Array, readnoise: number): number {
  const clip = 3;
  let sum = 0;
  let n = 0;
  for (let j = 0; j < values.length; j++) {
    if (mask[j] === 1) {
      sum += values[j];
      n++;
    }
  }
  if (n === 0) return 0;
  let mean = sum / n;
  let variance = 0;
  for (let j = 0; j < values.length; j++) {
    if (mask[j] === 1) {
      const d = values[j] - mean;
      variance += d * d;
    }
  }
  let sdev = Math.sqrt(variance / (n - 1));
  if (sdev > Math.sqrt(mean)) sdev = Math.sqrt(mean);
  let rejected = 0;
  const first = intAbs(clip * sdev + mean);
  for (let j = 0; j < values.length; j++) {
    if (values[j] > first) {
      mask[j] = 0;
      rejected++;
    }
  }
  sum = 0;
  n = 0;
  for (let j = 0; j < values.length; j++) {
    if (mask[j] !== 0) {
      sum += values[j];
      n++;
    }
  }
  mean = sum / n;
  const second = intAbs(Math.fround(clip * Math.fround(readnoise)) + mean);
  for (let j = 0; j < values.length; j++) {
    if (values[j] > second) {
      mask[j] = 0;
      rejected++;
    }
  }
  return rejected;
}

/** b(j) = (j - middle)·slope + intercept. */
export interface BiasLevelFit {
  middle: number;
  slope: number;
  intercept: number;
  /** False when the fit had no data or was singular and the CCDTAB default was used. */
  fromOverscan: boolean;
  /** Rows without a usable overscan pixel. */
  rowsWithoutData: number;
  rejected: number;
}

export function evaluateBiasFit(fit: BiasLevelFit, row: number): number {
  return (row - fit.middle) * fit.slope + fit.intercept;
}

/**
 * Row levels of input rows trimy1 .. trimy1+nrows-1, cleaned, fitted against the output row index
 * 0..nrows-1 centred on floor(nrows/2). No data or |d| < FLT_MIN → the constant `defaultBias`.
 */
export function fitBiasLevels(
  set: ImageSet,
  nrows: number,
  trimy1: number,
  sections: BiasSections,
  defaultBias: number,
  sdqflags: number,
  readnoise: number,
): BiasLevelFit {
  const middle = Math.trunc(nrows / 2);
  const values = new Float64Array(Math.max(nrows, 0));
  const mask = new Uint8Array(Math.max(nrows, 0));
  let rowsWithoutData = 0;
  for (let j = 0; j < nrows; j++) {
    const level = rowBiasLevel(set, j + trimy1, sections, sdqflags);
    if (level === undefined) rowsWithoutData++;
    else {
      values[j] = level;
      mask[j] = 1;
    }
  }
  const rejected = cleanBiasFit(values, mask, readnoise);
  const sums = new LineFitSums();
  for (let j = 0; j < nrows; j++) if (mask[j] === 1) sums.add(j - middle, values[j]);
  const line = fitLine(sums, (d) => d < FLT_MIN && d > -FLT_MIN);
  if (!line) return { middle, slope: 0, intercept: defaultBias, fromOverscan: false, rowsWithoutData, rejected };
  return { middle, ...line, fromOverscan: true, rowsWithoutData, rejected };
}
