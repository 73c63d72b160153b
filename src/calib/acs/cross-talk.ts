/**
 * Amplifier cross-talk of post-SM4 WFC (calibration.md §2.5 path B, §9 trap 3; hstcal
 * blev_funcs_postsm4.c cross_talk_corr): each pixel gets 9.1e-5 × the pixel mirrored across the chip's
 * row, where the other amplifier was reading at the same moment. In place and in ascending x, so the
 * right half adds mirrors that were already corrected. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import type { ImageSet } from "../common/imset.js";

export const CROSS_TALK_SCALE = 9.1e-5;

export function correctCrossTalk(set: Pick<ImageSet, "nx" | "ny" | "sci">): void {
  const { nx, ny, sci } = set;
  for (let j = 0; j < ny; j++) {
    const row = j * nx;
    for (let x = 0; x < nx; x++) sci[row + x] = sci[row + x] + Math.fround(sci[row + nx - 1 - x] * CROSS_TALK_SCALE);
  }
}
