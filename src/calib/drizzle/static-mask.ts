/**
 * AstroDrizzle's static mask (staticMask.py): per chip signature, the pixels that fall below the sky mode minus
 * static_sig × rms (ImageStats with nclip=3) in any of the exposures are masked, as bad columns and dead pixels.
 */
import { imageStats } from "./image-stats.js";

export interface StaticMaskOptions {
  /** static_sig: how many rms below the mode a pixel is masked (default 4). */
  staticSig?: number;
}

/**
 * Folds one chip's image into its signature's mask (1 = good, 0 = masked; start from all ones), in place. As
 * drizzlepac, a chip whose clipped histogram holds a single bin leaves the mask unchanged. Returns the mode and rms.
 */
export function addToStaticMask(
  mask: Int16Array,
  chip: Float32Array,
  options: StaticMaskOptions = {},
): { mode: number; rms: number; used: boolean } {
  const { staticSig = 4 } = options;
  // drizzlepac asks ImageStats for fields="mode" (the clipped stddev comes with it): no median
  const stats = imageStats(chip, { nclip: 3, median: false });
  const used = stats.nbins >= 2;
  if (used) {
    // numpy compares the float32 image with the limit rounded to float32
    const limit = Math.fround(stats.mode - staticSig * stats.stddev);
    for (let k = 0; k < chip.length; k++) if (chip[k] < limit) mask[k] = 0;
  }
  return { mode: stats.mode, rms: stats.stddev, used };
}
