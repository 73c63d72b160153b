/**
 * Worker-thread task of the blot step on workers (cr-steps-workers.ts): a block of a chip's rows, its stepped map
 * interpolated for those rows alone, the median (shared) blotted there and converted to the chip's data units
 * with its sky, written into the chip's shared blot at their place.
 */
import { type BlotOptions, blot } from "../../calib/drizzle/blot.js";
import { interpolateRows, type SteppedNodes } from "./stepped-map.js";

export interface BlotRowsArgs {
  median: { width: number; height: number; data: Float32Array };
  nodes: SteppedNodes;
  height: number;
  rows: [number, number];
  options: BlotOptions;
  /** Divides each value (the chip's electrons per data unit), then `sky` is added. */
  conversion: number;
  sky: number;
  /** The chip's whole blot (shared). */
  out: Float32Array;
}

export function blotRows(args: BlotRowsArgs): number {
  const { nodes, rows, conversion, sky } = args;
  const { width } = nodes;
  const height = rows[1] - rows[0];
  const xy = new Float64Array(2 * width * height);
  interpolateRows(nodes, rows, xy, rows[0]);
  const block = blot(args.median, { width, height, xy }, args.options);
  const offset = rows[0] * width;
  for (let k = 0; k < block.length; k++) args.out[offset + k] = block[k] / conversion + sky;
  return height;
}
