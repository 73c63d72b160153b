/**
 * Worker-thread tasks of the final drizzle on workers (final-drizzle-workers.ts), on arrays in shared memory:
 * a block of rows of a chip's pixel map (exact, or interpolated from its stepped nodes) written into the shared
 * map, and one band of output rows drizzled
 * from every input pixel that can reach it.
 */
import { type DrizzleOptions, drizzle } from "../../calib/drizzle/drizzle.js";
import type { DrizzleFrame } from "../../calib/drizzle/types.js";
import { pixelMap, type Wcs } from "../../wcs/index.js";
import { interpolateRows, type SteppedNodes } from "./stepped-map.js";

export interface MapRowsArgs {
  input: Wcs;
  output: Wcs;
  width: number;
  height: number;
  rows: [number, number];
  /** The chip's whole map (shared): x, y per input pixel. */
  map: Float64Array;
  /** Per input row (shared): the least and greatest output y of its pixel centres. */
  yRange: Float64Array;
}

export interface SteppedRowsArgs {
  nodes: SteppedNodes;
  rows: [number, number];
  map: Float64Array;
  yRange: Float64Array;
}

/** A block of rows of a stepped map interpolated into the shared map, and their output y ranges. */
export function steppedRowsInto(args: SteppedRowsArgs): number {
  const { nodes, rows, map, yRange } = args;
  interpolateRows(nodes, rows, map);
  rowRanges(map, nodes.width, rows, yRange);
  return rows[1] - rows[0];
}

export function mapRowsInto(args: MapRowsArgs): number {
  const { width, rows, map, yRange } = args;
  map.set(pixelMap(args.input, args.output, width, args.height, { rows }), 2 * rows[0] * width);
  rowRanges(map, width, rows, yRange);
  return rows[1] - rows[0];
}

/** Into `yRange`, for each input row of `rows`, the least and greatest output y of its mapped pixel centres. */
export function rowRanges(map: Float64Array, width: number, rows: [number, number], yRange: Float64Array): void {
  for (let j = rows[0]; j < rows[1]; j++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 2 * j * width + 1, end = 2 * (j + 1) * width; k < end; k += 2) {
      const y = map[k];
      if (y < lo) lo = y;
      if (y > hi) hi = y;
    }
    yRange[2 * j] = lo;
    yRange[2 * j + 1] = hi;
  }
}

export interface BandArgs {
  width: number;
  height: number;
  data: Float32Array;
  weights: Float32Array;
  map: Float64Array;
  yRange: Float64Array;
  frame: DrizzleFrame;
  /** The output rows [first, end) this task writes. */
  rows: [number, number];
  /** How far (output pixels) from its mapped centre an input pixel's kernel can reach. */
  reach: number;
  options: DrizzleOptions;
}

/**
 * Drizzles into output rows `rows` every input pixel whose centre maps within `reach` of them, line by line,
 * in input order: each output pixel of the band gets the updates one call over the whole input gives it.
 * Returns the number of input pixels visited.
 */
export function drizzleBand(args: BandArgs): number {
  const { width, height, map, yRange, rows } = args;
  const lo = rows[0] - args.reach;
  const hi = rows[1] - 1 + args.reach;
  const input = { width, height, data: args.data };
  const pixmap = { width, height, xy: map };
  let visited = 0;
  for (let j = 0; j < height; j++) {
    if (!(yRange[2 * j + 1] >= lo && yRange[2 * j] <= hi)) continue;
    let first = -1;
    let last = -1;
    for (let i = 0, k = 2 * j * width + 1; i < width; i++, k += 2) {
      const y = map[k];
      if (y >= lo && y <= hi) {
        if (first < 0) first = i;
        last = i;
      }
    }
    if (first < 0) continue;
    const box = { xmin: first, xmax: last + 1, ymin: j, ymax: j + 1, outputRows: rows };
    drizzle(input, args.weights, pixmap, args.frame, { ...args.options, ...box });
    visited += last + 1 - first;
  }
  return visited;
}
