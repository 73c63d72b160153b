/** The static mask's and the sky's statistics of one chip, on this thread or on a worker (steps-mask-sky.ts). */
import { type ChipSkyStatistic, type SkyOptions, skyStatistic } from "../../calib/drizzle/sky.js";
import { addToStaticMask } from "../../calib/drizzle/static-mask.js";

export interface ChipStaticMaskArgs {
  /** The chip's SCI and its signature's mask (1 = good), both in shared memory. */
  sci: Float32Array;
  mask: Int16Array;
  staticSig: number;
}

/**
 * Folds the chip into its signature's mask. Chips of one signature may fold at once on several workers: each only
 * writes zeros, so the mask is the same whatever the order.
 */
export function chipStaticMask(args: ChipStaticMaskArgs): { mode: number; rms: number; used: boolean } {
  return addToStaticMask(args.mask, args.sci, { staticSig: args.staticSig });
}

export interface ChipSkyArgs {
  data: Float32Array;
  good: Uint8Array;
  data2brightness: number;
  options: SkyOptions;
}

export function chipSkyStatistic(args: ChipSkyArgs): ChipSkyStatistic {
  return skyStatistic(args, args.options);
}
