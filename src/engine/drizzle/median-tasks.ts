/** Worker-thread task of the median step on workers (steps-cr.ts): minmed's rows of one band into the shared median. */
import { type MinMedInput, type MinMedOptions, minMedRowsInto } from "../../calib/drizzle/minmed.js";

export interface MinMedRowsArgs {
  /** The singles, their weights and masks in shared memory. */
  input: MinMedInput;
  width: number;
  options: MinMedOptions;
  rows: [number, number];
  /** The whole median (shared). */
  out: Float32Array;
}

export function minMedRows(args: MinMedRowsArgs): number {
  minMedRowsInto(args.input, args.width, args.options, args.rows, args.out);
  return args.rows[1] - args.rows[0];
}
