// The test oracle for the line-buffered rejection: the whole-image implementation as it was in src/calib before
// the rejection kept only the CRRADIUS rows it needs (commit d43bf9f). Not used by the engine.
/**
 * WF3REJ's per-row thresholds (uvis-reject-loop.ts): σ² × the noise model of the current average for the HIT test,
 * without SCALENSE for the SPILL test, or σ² × the initial guess's variance in a first iteration after INITGUES
 * minimum; and what hstcal's SPILL-threshold buffer holds for rows not yet tested (see the loop's header).
 * Algorithms follow hstcal (BSD-3-Clause, AURA), wf3rej/rej_loop.c.
 */
import { clipAtZero, type UvisNoise } from "../../../src/calib/wfc3/uvis-reject-noise.js";

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

export interface ExposedImage {
  efac: number;
  sky: number;
}

const f = Math.fround;

/** What hstcal's SPILL-threshold buffer holds for rows not yet tested: raw SCI up to row CRRADIUS, rates below. */
export function loadSpillThresholds(spill: Float32Array, sci: Float32Array, rates: Float32Array, rawEnd: number): void {
  spill.set(rates);
  spill.set(sci.subarray(0, Math.min(rawEnd, sci.length)));
}

export function guessThresholds(s: ThresholdState, row: number, variance: Float32Array, spill: Float32Array): void {
  for (let i = 0; i < s.nx; i++) {
    const t = f(s.sig2 * variance[row + i]!);
    s.thresh[i] = t;
    spill[row + i] = t;
  }
}

/** σ² (read variance + DN/gain [+ (scale × signal)²]) / EXPTIME² of the current average, per column. */
export function noiseThresholds(s: ThresholdState, row: number, image: ExposedImage, spill: Float32Array): void {
  const { nx, noise } = s;
  noiseThresholdRange(s, row, image, spill, 0, noise.ampx, noise.readVariance[0], noise.gain[0]);
  noiseThresholdRange(s, row, image, spill, noise.ampx, nx, noise.readVariance[1], noise.gain[1]);
}

function noiseThresholdRange(
  s: ThresholdState,
  row: number,
  image: ExposedImage,
  spill: Float32Array,
  from: number,
  to: number,
  readVariance: number,
  gain: number,
): void {
  const { sig2, scale, ave, shadcorr, thresh } = s;
  const efacn = f(image.efac);
  const sky = f(image.sky);
  const exp2n = f(efacn * efacn);
  for (let i = from; i < to; i++) {
    const dum = f(f(f(ave[row + i]! * efacn) / shadcorr[i]!) + sky);
    const val = clipAtZero(dum);
    const pixsky = f(scale * clipAtZero(f(dum - sky)));
    const base = f(readVariance + f(val / gain));
    thresh[i] = f(f(sig2 * f(base + f(pixsky * pixsky))) / exp2n);
    spill[row + i] = f(f(sig2 * base) / exp2n);
  }
}

/** 1 + shad / EXPTIME per pixel of a row (hstcal getShadcorr). */
export function shadingFactors(shading: Float32Array, row: number, efacn: number, out: Float32Array): void {
  const k = f(1 / efacn);
  for (let i = 0; i < out.length; i++) out[i] = f(f(shading[row + i]! * k) + 1);
}
