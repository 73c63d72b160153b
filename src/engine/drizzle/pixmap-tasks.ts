/** Worker-thread task of the drizzle stage: one block of rows of a chip's pixel map onto the output frame. */
import { pixelMap, type Wcs } from "../../wcs/index.js";

export interface PixelMapRowsArgs {
  input: Wcs;
  output: Wcs;
  width: number;
  height: number;
  rows: [number, number];
}

export function pixelMapRows(args: PixelMapRowsArgs): Float64Array {
  return pixelMap(args.input, args.output, args.width, args.height, { rows: args.rows });
}
