/**
 * AstroDrizzle's driz_cr step (drizCR.py + quickDeriv.py): compares each input with the median blotted back onto
 * it, flags the pixels that differ by more than the noise and the blot's local derivative allow (two snr/scale
 * passes, the second over the 3×3 neighbours of the first's hits), grows the flags, and marks them with DQ 4096.
 */
import { CalibrationError } from "../common/errors.js";

/** The DQ bit driz_cr sets on cosmic-ray pixels (AstroDrizzle's crbit). */
export const CR_BIT = 4096;

/**
 * quickDeriv.qderiv: per pixel, the largest |difference| with its four neighbours. Its numpy slicing is kept: the
 * last row and column take no part in the shifts, and a neighbour missing there counts as 0.
 */
export function quickDeriv(image: Float32Array, width: number, height: number): Float32Array {
  const out = new Float32Array(image.length);
  // the module's four shifts (numpy's axis 1, x, first, as its "Y" loop, then axis 0) folded in that order into
  // each pixel's running maximum, kept as a double until it is stored as the float32 result
  const fold = (max: number, d: number) => (d > max || Number.isNaN(d) ? d : max);
  for (let j = 0; j < height; j++) {
    const inner = j < height - 1;
    for (let i = 0, k = j * width; i < width; i++, k++) {
      const v = image[k];
      let max = 0;
      max = fold(max, Math.abs(v - (inner && i >= 1 && i < width - 1 ? image[k - 1] : 0)));
      max = fold(max, Math.abs(v - (inner && i < width - 2 ? image[k + 1] : 0)));
      max = fold(max, Math.abs(v - (i < width - 1 && j >= 1 && j < height - 1 ? image[k - width] : 0)));
      max = fold(max, Math.abs(v - (i < width - 1 && j < height - 2 ? image[k + width] : 0)));
      out[k] = max;
    }
  }
  return out;
}

export interface DrizCrOptions {
  /** driz_cr_snr: the two signal-to-noise limits (default "3.5 3.0"). */
  snr?: [number, number];
  /** driz_cr_scale: the two derivative scales (default "1.2 0.7"). */
  scale?: [number, number];
  /** driz_cr_grow: side of the square grown around each CR (default 1: none). */
  grow?: number;
  /** driz_cr_ctegrow: length of the CTE tail grown along the readout (default 0). */
  ctegrow?: number;
  /** Readout direction for the CTE tail: 1 (ACS/WFC chip 1, HRC amps C/D) or -1. */
  cteDirection?: 1 | -1 | 0;
  /** Effective gain (e-/DN) and read noise (e-) of the chip. */
  gain: number;
  readNoise: number;
  /** The sky subtracted from the input, in electrons. */
  sky?: number;
}

/**
 * The CR mask (1 = good, 0 = cosmic ray, as drizzlepac's _crmask) of `input` against `blot`, both in electrons,
 * the blot with the sky added back as ablot does; `sky` is drizCR's backg (the chip's subtracted sky, electrons).
 */
export function crMask(
  input: Float32Array,
  blot: Float32Array,
  width: number,
  height: number,
  options: DrizCrOptions,
): Uint8Array {
  const size = width * height;
  if (input.length !== size || blot.length !== size) {
    throw new CalibrationError("SIZE_MISMATCH", `driz_cr: input ${input.length}, blot ${blot.length}, frame ${size}`, {
      step: "DRIZ_CR",
    });
  }
  const { snr = [3.5, 3.0], scale = [1.2, 0.7], grow = 1, ctegrow = 0, cteDirection = 0, gain, readNoise } = options;
  const sky = options.sky ?? 0;
  const deriv = quickDeriv(blot, width, height);
  // numpy does this in float32 (float32 arrays with python scalars): every operation is rounded to float32 here too
  const f = Math.fround;
  const [s1, s2, m1, m2, g] = [f(snr[0]), f(snr[1]), f(scale[0]), f(scale[1]), f(gain)];
  const rn2 = f(readNoise * readNoise);
  const diff = new Float32Array(size);
  const noise = new Float32Array(size);
  const pass1 = new Uint8Array(size);
  for (let k = 0; k < size; k++) {
    diff[k] = Math.abs(input[k] - blot[k]);
    noise[k] = Math.sqrt(f(f(g * Math.abs(f(blot[k] + f(sky)))) + rn2));
    pass1[k] = diff[k] <= f(f(m1 * deriv[k]) + f(f(s1 * noise[k]) / g)) ? 1 : 0;
  }
  const around = boxSum(pass1, width, height, 3, 3, 1, 1);
  const mask = new Uint8Array(size);
  for (let k = 0; k < size; k++) {
    const ok = diff[k] <= f(f(m2 * deriv[k]) + f(f(s2 * noise[k]) / g));
    mask[k] = ok || around[k] >= 9 ? 1 : 0;
  }
  return growMask(mask, width, height, grow, ctegrow, cteDirection);
}

/**
 * drizCR's growth: a pixel stays good only if the grow×grow box around it (scipy convolve2d 'same', symmetric
 * boundary) is all good and, with a CTE tail, the ctegrow pixels on the readout side are.
 */
function growMask(mask: Uint8Array, width: number, height: number, grow: number, ctegrow: number, dir: number) {
  const half = Math.floor((grow - 1) / 2);
  const radial = boxSum(mask, width, height, grow, grow, half, half);
  // The tail kernel is a column of (2·ctegrow+1) rows with ones above or below its centre; convolution flips it.
  const size = 2 * ctegrow + 1;
  const tail = new Uint8Array(size);
  if (dir === 1) tail.fill(1, 0, ctegrow);
  else if (dir === -1) tail.fill(1, ctegrow + 1, size);
  const out = new Uint8Array(mask.length);
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const k = j * width + i;
      let t = 0;
      for (let r = 0; r < size; r++) {
        if (tail[r]) t += mask[symmetric(j + ctegrow - r, height) * width + i];
      }
      out[k] = radial[k] >= grow * grow && t >= ctegrow ? 1 : 0;
    }
  }
  return out;
}

/** scipy's 'symm' boundary: the image mirrored with its edge pixel repeated. */
function symmetric(i: number, n: number): number {
  let k = i;
  for (;;) {
    if (k < 0) k = -k - 1;
    else if (k >= n) k = 2 * n - k - 1;
    else return k;
  }
}

/** Sum over a kw×kh box of ones whose origin sits `ox`,`oy` from its corner (convolve2d 'same', 'symm'). */
function boxSum(a: Uint8Array, width: number, height: number, kw: number, kh: number, ox: number, oy: number) {
  const out = new Int32Array(a.length);
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      let s = 0;
      for (let dj = 0; dj < kh; dj++) {
        const row = symmetric(j + oy - dj, height) * width;
        for (let di = 0; di < kw; di++) s += a[row + symmetric(i + ox - di, width)];
      }
      out[j * width + i] = s;
    }
  }
  return out;
}

/** Sets CR_BIT in `dq` where `mask` is 0 (drizzlepac's corrDQMask, ORed into the input DQ). */
export function flagCosmicRays(dq: Uint16Array, mask: Uint8Array): number {
  let flagged = 0;
  for (let k = 0; k < dq.length; k++) {
    if (!mask[k]) {
      dq[k] |= CR_BIT;
      flagged++;
    }
  }
  return flagged;
}
