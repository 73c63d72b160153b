/**
 * The first rung and the kill time of a dataset, from its features and the metrics recorded by earlier runs.
 * Deliberately simple (CALCLOUD used Keras models): the peak of similar recorded runs (same instrument and
 * detector, input size within a factor 2) with a 10 % margin; with no history, 8 × the input size.
 */
import { binForPeakKb } from "./rungs.js";

export interface DatasetFeatures {
  instrument: string;
  detector: string;
  nFiles: number;
  totalMb: number;
}

export interface RecordedRun extends DatasetFeatures {
  maxRssKb: number;
  wallSeconds: number;
}

export interface Prediction {
  bin: number;
  clockSeconds: number;
  /** Relative spread of the recorded wall times (CALCLOUD's wc_std; 5 when nothing is known). */
  clockStd: number;
  basis: "history" | "size";
  similarRuns: number;
}

/** CALCLOUD's default recorded wall clock when DynamoDB has nothing. */
export const DEFAULT_CLOCK_SECONDS = 1200;
const INPUT_TO_PEAK = 8;
const PEAK_MARGIN = 1.1;

export function predict(features: DatasetFeatures, history: readonly RecordedRun[]): Prediction {
  const similar = history.filter(
    (run) =>
      run.instrument === features.instrument &&
      run.detector === features.detector &&
      run.totalMb <= 2 * Math.max(features.totalMb, 1e-6) &&
      2 * run.totalMb >= features.totalMb,
  );
  if (similar.length === 0) {
    return {
      bin: binForPeakKb(features.totalMb * INPUT_TO_PEAK * 1000),
      clockSeconds: DEFAULT_CLOCK_SECONDS,
      clockStd: 5,
      basis: "size",
      similarRuns: 0,
    };
  }
  const peak = Math.max(...similar.map((r) => r.maxRssKb));
  const walls = similar.map((r) => r.wallSeconds);
  const mean = walls.reduce((a, b) => a + b, 0) / walls.length;
  const std = Math.sqrt(walls.reduce((a, w) => a + (w - mean) ** 2, 0) / walls.length);
  return {
    bin: binForPeakKb(peak * PEAK_MARGIN),
    clockSeconds: Math.max(...walls),
    clockStd: mean > 0 ? Math.max(std / mean, 0.5) : 0.5,
    basis: "history",
    similarRuns: similar.length,
  };
}
