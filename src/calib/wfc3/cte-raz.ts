/**
 * WF3CTE's "RAZ" layout (hstcal razutil.c makeRAZ/undoRAZ): the four amps of a full-frame UVIS exposure side by
 * side, C, D, A, B, each 2103 columns (science and overscan) by 2070 rows, turned so that its amp reads out
 * at the lower left. Stored here column-major (`[column * 2070 + row]`), as the correction reads columns.
 * Chips are the raw's row-major 4206 × 2070 images: chip 2 (SCI,1) holds C and D, chip 1 (SCI,2) A and B.
 */
import { resistantMean } from "./resistant-mean.js";

export const RAZ_COLUMNS = 8412;
export const RAZ_ROWS = 2070;
export const UVIS_AMP_COLUMNS = RAZ_COLUMNS / 4;
export const UVIS_CHIP_COLUMNS = RAZ_COLUMNS / 2;
/** Rows of science pixels of an amp (the rest is parallel virtual overscan). */
export const UVIS_AMP_SCIENCE_ROWS = 2051;

/** The chip pixel (row-major) behind RAZ column `i`, row `j`, and which chip: 0 for C/D (SCI,1), 1 for A/B. */
function chipPixel(i: number, j: number): [number, number] {
  const quad = Math.floor(i / UVIS_AMP_COLUMNS);
  const k = i - quad * UVIS_AMP_COLUMNS;
  const flipped = quad % 2 === 1;
  const x = flipped ? UVIS_CHIP_COLUMNS - 1 - k : k;
  const y = quad < 2 ? j : RAZ_ROWS - 1 - j;
  return [quad < 2 ? 0 : 1, y * UVIS_CHIP_COLUMNS + x];
}

/** The RAZ image of the two chips (chip 2 = SCI,1 first), into `raz`. */
export function chipsToRaz(
  cd: Float32Array,
  ab: Float32Array,
  raz: Float32Array = new Float32Array(RAZ_COLUMNS * RAZ_ROWS),
): Float32Array {
  const chips = [cd, ab];
  for (let i = 0; i < RAZ_COLUMNS; i++) {
    for (let j = 0; j < RAZ_ROWS; j++) {
      const [chip, at] = chipPixel(i, j);
      raz[i * RAZ_ROWS + j] = chips[chip][at];
    }
  }
  return raz;
}

/** Writes a RAZ image back into the two chips. */
export function razToChips(raz: Float32Array, cd: Float32Array, ab: Float32Array): void {
  const chips = [cd, ab];
  for (let i = 0; i < RAZ_COLUMNS; i++) {
    for (let j = 0; j < RAZ_ROWS; j++) {
      const [chip, at] = chipPixel(i, j);
      chips[chip][at] = raz[i * RAZ_ROWS + j];
    }
  }
}

/** hstcal keeps at most this many overscan pixels per amp (27 columns × 2051 rows). */
const MAX_OVERSCAN_PIXELS = 55377;

/**
 * The residual bias of each amp (C, D, A, B) after the BIACFILE (hstcal findPostScanBias): the resistant mean
 * (7.5σ) of the serial virtual overscan, columns 2075–2102 of each amp in RAZ order, rows 0–2050, at most
 * 55377 pixels taken column by column.
 */
export function postScanBias(raz: Float32Array): number[] {
  const levels: number[] = [];
  for (let quad = 0; quad < 4; quad++) {
    const values = new Float32Array(MAX_OVERSCAN_PIXELS);
    let n = 0;
    for (let i = RAZ_ROWS + 5; i < UVIS_AMP_COLUMNS && n < MAX_OVERSCAN_PIXELS; i++) {
      const base = (i + quad * UVIS_AMP_COLUMNS) * RAZ_ROWS;
      for (let j = 0; j < UVIS_AMP_SCIENCE_ROWS && n < MAX_OVERSCAN_PIXELS; j++) values[n++] = raz[base + j];
    }
    levels.push(resistantMean(values.subarray(0, n), 7.5).mean);
  }
  return levels;
}

/** Subtracts each amp's level and converts to electrons, in place, in float as hstcal does. */
export function toElectrons(raz: Float32Array, levels: readonly number[], gain: number): void {
  const g = Math.fround(gain);
  for (let quad = 0; quad < 4; quad++) {
    const start = quad * UVIS_AMP_COLUMNS * RAZ_ROWS;
    const end = start + UVIS_AMP_COLUMNS * RAZ_ROWS;
    for (let k = start; k < end; k++) raz[k] = Math.fround(raz[k] - levels[quad]) * g;
  }
}

/**
 * The trap density of each row (hstcal's fff image): the scale fraction times (row + 1) / 2048, the same in
 * every column before the readout-cosmic-ray fix lowers some; stored as float as hstcal does.
 */
export function densityColumn(scaleFraction: number): Float64Array {
  const column = new Float64Array(RAZ_ROWS);
  for (let j = 0; j < RAZ_ROWS; j++) column[j] = Math.fround((scaleFraction * (j + 1)) / 2048);
  return column;
}
