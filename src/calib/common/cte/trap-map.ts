/**
 * The trap density of every pixel of an amp (hstcal ctegen2 populateTrapPixelMap): the PCTETAB's per-column
 * sensitivity at rows 512, 1024, 1536 and 2048 (SCLBYCOL), interpolated along the column, times the fraction of
 * the transfers a row's charge makes ((row + 1) / 2048), times the growth of the traps since launch.
 */
import { CalibrationError } from "../errors.js";

/** SCLBYCOL: for each table row, the column (IZ, 0-based in the 4-amp "RAZ" layout) and its sensitivities. */
export interface ColumnScaling {
  readonly columns: Int32Array;
  readonly at512: Float64Array;
  readonly at1024: Float64Array;
  readonly at1536: Float64Array;
  readonly at2048: Float64Array;
}

/**
 * How far the traps have grown at the exposure's start, relative to the model's pinning date
 * ((EXPSTART − CTEDATE0) / (CTEDATE1 − CTEDATE0), PCTEFRAC). All dates are MJD. An exposure before CTEDATE0
 * has no traps to correct and is refused, as is a table whose two dates are equal.
 */
export function cteScaleFraction(expstart: number, date0: number, date1: number, where: string): number {
  if (!Number.isFinite(expstart) || !Number.isFinite(date0) || !Number.isFinite(date1)) {
    throw new CalibrationError("INVALID_VALUE", `${where}: EXPSTART ${expstart}, CTEDATE0 ${date0}, CTEDATE1 ${date1}`);
  }
  if (date1 === date0) {
    throw new CalibrationError("INVALID_VALUE", `${where}: CTEDATE0 and CTEDATE1 are both ${date0}`);
  }
  if (expstart < date0) {
    throw new CalibrationError(
      "INVALID_VALUE",
      `${where}: the exposure (EXPSTART ${expstart}) starts before CTEDATE0 ${date0}, the table's first date`,
    );
  }
  return (expstart - date0) / (date1 - date0);
}

/**
 * The trap densities of an amp image, column-major (`[column * rows + row]`, row 0 read out first).
 * `columnOffset` is where the image's column 0 lies in SCLBYCOL's IZ numbering; columns no table row names
 * stay 0 (the reader checks that the table covers them).
 */
export function trapPixelMap(
  scaling: ColumnScaling,
  columnOffset: number,
  rows: number,
  columns: number,
  scaleFraction: number,
): Float32Array {
  const map = new Float32Array(rows * columns);
  const sensitivity = new Float64Array(4);
  for (let k = 0; k < scaling.columns.length; k++) {
    const column = scaling.columns[k] - columnOffset;
    if (column < 0 || column >= columns) continue;
    sensitivity[0] = scaling.at512[k];
    sensitivity[1] = scaling.at1024[k];
    sensitivity[2] = scaling.at1536[k];
    sensitivity[3] = scaling.at2048[k];
    const base = column * rows;
    for (let row = 0; row < rows; row++) {
      const position = Math.min(row / 512, 2.999);
      const below = Math.floor(position);
      const perColumn = sensitivity[below] + (sensitivity[below + 1] - sensitivity[below]) * (position - below);
      map[base + row] = perColumn * ((row + 1) / 2048) * scaleFraction;
    }
  }
  return map;
}
