/** driz_cr's mask of one chip, as the step computes it on this thread or on a worker (cr-steps-workers.ts). */
import { crMask, type DrizCrOptions } from "../../calib/drizzle/driz-cr.js";

export interface ChipCrMaskArgs {
  /** The chip's data and the median blotted onto it, in its data units. */
  sci: Float32Array;
  blot: Float32Array;
  width: number;
  height: number;
  /** Electrons per data unit. */
  conversion: number;
  options: DrizCrOptions;
}

/** 1 = good, 0 = cosmic ray (AstroDrizzle's _crmask). */
export function chipCrMask(args: ChipCrMaskArgs): Uint8Array {
  const { conversion } = args;
  const input = conversion === 1 ? args.sci : args.sci.map((v) => v * conversion);
  const blot = conversion === 1 ? args.blot : args.blot.map((v) => v * conversion);
  return crMask(input, blot, args.width, args.height, args.options);
}
