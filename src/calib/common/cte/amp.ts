/**
 * The CTE correction (or the forward model alone) of one amp's image, as hstcal's doPCTEGen3 applies it after
 * orienting the amp: smoothing, trap map, the column model, then the change added to SCI and 10% of it to ERR
 * in quadrature. Images are column-major (`[column * rows + row]`) with row 0 nearest the readout.
 * Columns are independent after the smoothing: `correctColumns` does a range of them (a worker's share).
 */
import { type ColumnScratch, columnScratch, correctColumn } from "./inversion.js";
import { simulateColumnReadout } from "./readout.js";
import { smoothReadNoise } from "./smoothing.js";
import { type ColumnScaling, trapPixelMap } from "./trap-map.js";
import type { CteIterations, TrapModel } from "./trap-model.js";

export interface CteAmpImage {
  readonly rows: number;
  readonly columns: number;
  readonly sci: Float32Array;
  readonly err: Float32Array;
}

export interface CteSettings {
  readonly model: TrapModel;
  readonly iterations: CteIterations;
  readonly scaling: ColumnScaling;
  /** Where the amp's column 0 lies in SCLBYCOL's IZ numbering. */
  readonly columnOffset: number;
  /** PCTEFRAC (cteScaleFraction). */
  readonly scaleFraction: number;
  /** The amp's read noise (e-, from CCDTAB for ACS). */
  readonly readNoise: number;
}

/** The corrected columns [first, end) of `smoothed` into `out` (float, as hstcal stores them). */
export function correctColumns(
  smoothed: Float32Array,
  traps: Float32Array,
  rows: number,
  first: number,
  end: number,
  settings: CteSettings,
  out: Float32Array,
  scratch: ColumnScratch = columnScratch(rows),
): void {
  const observed = new Float64Array(rows);
  for (let column = first; column < end; column++) {
    const base = column * rows;
    for (let i = 0; i < rows; i++) observed[i] = smoothed[base + i];
    const columnTraps = traps.subarray(base, base + rows);
    const corrected = correctColumn(
      observed,
      columnTraps,
      settings.model,
      settings.iterations,
      settings.readNoise,
      scratch,
    );
    out.set(corrected, base);
  }
}

/** The forward readout of columns [first, end) of `image` into `out`. */
export function forwardColumns(
  image: Float32Array,
  traps: Float32Array,
  rows: number,
  first: number,
  end: number,
  settings: CteSettings,
  out: Float32Array,
): void {
  const column = new Float64Array(rows);
  for (let c = first; c < end; c++) {
    const base = c * rows;
    for (let i = 0; i < rows; i++) column[i] = image[base + i];
    simulateColumnReadout(column, traps.subarray(base, base + rows), settings.model, settings.iterations, rows);
    out.set(column, base);
  }
}

/** Adds model − reference to SCI and 0.1 × |model − reference| to ERR in quadrature; returns the total change. */
function applyChange(amp: CteAmpImage, model: Float32Array, reference: Float32Array): number {
  let total = 0;
  for (let k = 0; k < model.length; k++) {
    const delta = Math.fround(model[k] - reference[k]);
    total += delta;
    amp.sci[k] += delta;
    const extra = 0.1 * Math.abs(delta);
    const err2 = Math.fround(amp.err[k] * amp.err[k]);
    amp.err[k] = Math.sqrt(err2 + extra * extra);
  }
  return total;
}

/**
 * Corrects the amp in place; returns the total change of SCI (e-). `only` limits the correction to some columns
 * (the smoothing still covers the whole amp, as the result depends on it); the others keep their values.
 */
export function correctAmp(amp: CteAmpImage, settings: CteSettings, only?: readonly number[]): number {
  const { rows, columns } = amp;
  const smoothed = smoothReadNoise(amp.sci, rows, columns, settings.readNoise);
  const traps = trapPixelMap(settings.scaling, settings.columnOffset, rows, columns, settings.scaleFraction);
  const corrected = Float32Array.from(smoothed);
  if (only === undefined) correctColumns(smoothed, traps, rows, 0, columns, settings, corrected);
  else for (const column of only) correctColumns(smoothed, traps, rows, column, column + 1, settings, corrected);
  return applyChange(amp, corrected, smoothed);
}

/** Adds CTE trails to the amp in place (the forward model alone, no smoothing); returns the total change. */
export function forwardAmp(amp: CteAmpImage, settings: CteSettings): number {
  const { rows, columns } = amp;
  const traps = trapPixelMap(settings.scaling, settings.columnOffset, rows, columns, settings.scaleFraction);
  const trailed = new Float32Array(rows * columns);
  forwardColumns(amp.sci, traps, rows, 0, columns, settings, trailed);
  return applyChange(amp, trailed, amp.sci.slice());
}
