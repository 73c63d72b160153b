/**
 * AstroDrizzle's pixel maps with a stepsize (drizzlepac's DefaultWCSMapping): the exact map at nodes every `step`
 * pixels, every pixel bilinearly interpolated between them. The nodes are small; the interpolation of any block
 * of rows can run where the map is used (a worker), so whole maps need not be kept.
 */
import { pixelMap, type Wcs } from "../../wcs/index.js";

export interface MappedChip {
  wcs: Wcs;
  width: number;
  height: number;
}

/** The nodes of a stepped map: the exact map (1-based) at the pixels (i·step, j·step), snx nodes a row. */
export interface SteppedNodes {
  table: Float64Array;
  snx: number;
  step: number;
  width: number;
}

/** drizzlepac's DefaultWCSMapping table: the exact map at (i·step, j·step), i up to ⌊width/step⌋ + 1. */
export function steppedNodes(chip: MappedChip, output: Wcs, step: number): SteppedNodes {
  const snx = Math.trunc(chip.width / step) + 2;
  const sny = Math.trunc(chip.height / step) + 2;
  const table = pixelMap(chip.wcs, output, snx, sny, { step });
  for (let k = 0; k < table.length; k++) table[k] += 1;
  return { table, snx, step, width: chip.width };
}

/**
 * drizzlepac's DefaultWCSMapping with a stepsize: the exact map at the nodes and every pixel bilinearly
 * interpolated between them, as AstroDrizzle drizzles and blots.
 */
export function steppedPixelMap(chip: MappedChip, output: Wcs, step: number): Float64Array {
  const map = new Float64Array(2 * chip.width * chip.height);
  interpolateRows(steppedNodes(chip, output, step), [0, chip.height], map);
  return map;
}

/**
 * Input rows [first, end) of the stepped map into `map`: the whole chip's, at their place, or (`mapFirstRow` =
 * first) a map of those rows alone.
 */
export function interpolateRows(nodes: SteppedNodes, rows: [number, number], map: Float64Array, mapFirstRow = 0): void {
  const { table, snx, step } = nodes;
  for (let j = rows[0]; j < rows[1]; j++) {
    const y = (j + 1) / step;
    const yi = Math.floor(y);
    const yf = y - yi;
    const iyf = 1 - yf;
    for (let i = 0; i < nodes.width; i++) {
      const x = (i + 1) / step;
      const xi = Math.floor(x);
      const xf = x - xi;
      const ixf = 1 - xf;
      const n00 = 2 * (yi * snx + xi);
      const n10 = n00 + 2;
      const n01 = n00 + 2 * snx;
      const n11 = n01 + 2;
      const k = 2 * ((j - mapFirstRow) * nodes.width + i);
      for (let c = 0; c < 2; c++) {
        const v =
          table[n00 + c] * ixf * iyf + table[n10 + c] * xf * iyf + table[n01 + c] * ixf * yf + table[n11 + c] * xf * yf;
        map[k + c] = v - 1;
      }
    }
  }
}
