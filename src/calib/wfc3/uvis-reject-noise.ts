/**
 * WF3REJ's noise model for a UVIS chip (calibration.md §2.12, WFC3): unlike ACSREJ it ignores the ERR
 * arrays and predicts each pixel's variance in DN² from the readout noise and gain of the amp that read it,
 * (READNSE/ATODGN)² + DN/ATODGN. The left columns (i < AMPX) take the chip's first amp (A on UVIS1, C on
 * UVIS2), the others its second (B, D), whatever CCDAMP says: hstcal does so for subarrays too.
 * Algorithms follow hstcal (BSD-3-Clause, AURA), wf3rej/rej_check.c and lib/detnsegn.c.
 */

const f = Math.fround;

export interface UvisNoise {
  /** First column read by the second amp (AMPX of CCDTAB, at most the image width). */
  ampx: number;
  /** (READNSE/ATODGN)² of the left and right amp (DN²). */
  readVariance: [number, number];
  /** ATODGN of the left and right amp (e/DN). */
  gain: [number, number];
}

/**
 * From the primary READNSEA..D and ATODGNA..D of the first input (A..D order) and the chip's CCDCHIP.
 * A chip other than 1 or 2 leaves the gains 0, as hstcal does (thresholds then become infinite).
 */
export function uvisNoise(
  readnoise: readonly number[],
  atodgain: readonly number[],
  chip: number,
  ampx: number,
  nx: number,
): UvisNoise {
  const perAmp = (k: number) => {
    const gain = f(atodgain[k] ?? 0);
    const noise = gain === 0 ? 0 : f(f(readnoise[k] ?? 0) / gain);
    return { gain, variance: f(noise * noise) };
  };
  const [left, right] = chip === 2 ? [perAmp(2), perAmp(3)] : chip === 1 ? [perAmp(0), perAmp(1)] : [null, null];
  return {
    ampx: Math.min(ampx, nx),
    readVariance: [left?.variance ?? 0, right?.variance ?? 0],
    gain: [left?.gain ?? 0, right?.gain ?? 0],
  };
}

/** 0 for the left amp's columns, 1 for the right's. */
export function ampSide(noise: UvisNoise, i: number): 0 | 1 {
  return i < noise.ampx ? 0 : 1;
}

/** x where x > 0, else 0 (a NaN gives 0, as the C comparison does). */
export function clipAtZero(x: number): number {
  // biome-ignore lint/complexity/useMathMinMax: Math.max would keep NaN and -0
  return x > 0 ? x : 0;
}
