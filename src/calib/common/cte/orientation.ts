/**
 * Turning an amp's region of a chip image so that its readout runs towards row 0 of a column-major array, the
 * shape the CTE model works on, and back (hstcal acscte extractAmp/rotateAmp/alignAmp/insertAmp). For the
 * serial correction the amp is transposed first, so the serial register's trails run along the columns too.
 */
import type { CteAmp } from "./trap-model.js";

export type CteDirection = "parallel" | "serial";

/** SM4 (MJD): calacs applies the serial correction to ACS/WFC data taken from this date on. */
export const SM4_MJD = 54962;

/** The corrections applied to ACS/WFC data of this date, in hstcal's order (the reverse of the readout's). */
export function acsWfcCorrections(expstart: number): CteDirection[] {
  return expstart >= SM4_MJD ? ["serial", "parallel"] : ["parallel"];
}

/** An amp's pixels in a row-major chip image `chipWidth` wide: columns [x0, x0 + width), rows [0, height). */
export interface AmpRegion {
  readonly chipWidth: number;
  readonly x0: number;
  readonly width: number;
  readonly height: number;
}

export interface AmpOrientation {
  readonly transpose: boolean;
  readonly flipX: boolean;
  readonly flipY: boolean;
}

/**
 * ACS/WFC in the trimmed image: chip 2 (SCI,1) has C at its left and D at its right, read out at row 0;
 * chip 1 (SCI,2) has A and B, read out at its top row. The serial registers run towards the chip's sides.
 */
export function acsWfcOrientation(amp: CteAmp, direction: CteDirection): AmpOrientation {
  const parallel = direction === "parallel";
  const right = amp === "B" || amp === "D";
  const top = amp === "A" || amp === "B";
  if (parallel) return { transpose: false, flipX: right, flipY: top };
  // Transposed: flipY reverses the amp's x (readout towards x = 0 for the left amps), flipX its y.
  return { transpose: true, flipX: !top, flipY: right };
}

/** Rows and columns of the oriented array. */
export function orientedShape(region: AmpRegion, o: AmpOrientation): { rows: number; columns: number } {
  return o.transpose ? { rows: region.width, columns: region.height } : { rows: region.height, columns: region.width };
}

/** The chip pixel index of oriented (column k, row r). */
function chipIndex(region: AmpRegion, o: AmpOrientation, k: number, r: number): number {
  const { rows, columns } = orientedShape(region, o);
  const a = o.flipX ? columns - 1 - k : k;
  const b = o.flipY ? rows - 1 - r : r;
  const x = o.transpose ? b : a;
  const y = o.transpose ? a : b;
  return y * region.chipWidth + region.x0 + x;
}

/** The amp's pixels, oriented, column-major (`[k * rows + r]`). */
export function extractAmp(chip: Float32Array, region: AmpRegion, o: AmpOrientation): Float32Array {
  const { rows, columns } = orientedShape(region, o);
  const out = new Float32Array(rows * columns);
  for (let k = 0; k < columns; k++) {
    for (let r = 0; r < rows; r++) out[k * rows + r] = chip[chipIndex(region, o, k, r)];
  }
  return out;
}

/** Writes oriented pixels back into the chip image. */
export function insertAmp(chip: Float32Array, region: AmpRegion, o: AmpOrientation, oriented: Float32Array): void {
  const { rows, columns } = orientedShape(region, o);
  for (let k = 0; k < columns; k++) {
    for (let r = 0; r < rows; r++) chip[chipIndex(region, o, k, r)] = oriented[k * rows + r];
  }
}
