/**
 * WF3REJ's per-row thresholds (uvis-reject-loop.ts) in a first iteration after INITGUES minimum: σ² × the initial
 * guess's variance (the noise model's thresholds of the later iterations are the kernel noiseThresholds of
 * common/reject-kernels.ts), and the shading factors of a row.
 * Algorithms follow hstcal (BSD-3-Clause, AURA), wf3rej/rej_loop.c.
 */
import type { UvisNoise } from "./uvis-reject-noise.js";

/** What the threshold steps read, and the row of HIT thresholds they fill. */
export interface ThresholdState {
  nx: number;
  noise: UvisNoise;
  /** σ² of the current iteration, and SCALENSE / 100. */
  sig2: number;
  scale: number;
  ave: Float32Array;
  /** 1 + SHADFILE / EXPTIME of the row (all 1 without shading). */
  shadcorr: Float32Array;
  thresh: Float32Array;
}

const f = Math.fround;

// The thresholds of a row go to `thresh` and to the row's SPILL thresholds at `slot` of `spill` (the loop keeps
// the CRRADIUS rows around the current one there); `row` is the row's start in the images.

export function guessThresholds(
  s: ThresholdState,
  row: number,
  variance: Float32Array,
  spill: Float32Array,
  slot: number,
): void {
  for (let i = 0; i < s.nx; i++) {
    const t = f(s.sig2 * variance[row + i]!);
    s.thresh[i] = t;
    spill[slot + i] = t;
  }
}

/** 1 + shad / EXPTIME per pixel of a row (hstcal getShadcorr). */
export function shadingFactors(shading: Float32Array, row: number, efacn: number, out: Float32Array): void {
  const k = f(1 / efacn);
  for (let i = 0; i < out.length; i++) out[i] = f(f(shading[row + i]! * k) + 1);
}
