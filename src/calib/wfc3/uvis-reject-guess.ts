/**
 * WF3REJ's initial guess (calibration.md §2.12 step 2, WFC3): per pixel the median or the minimum of the
 * sky-subtracted count rates (SCI − sky) / EXPTIME over the inputs whose DQ has no BADINPDQ bit, and its
 * variance from the noise model (uvis-reject-noise.ts), which the first iteration's thresholds use with
 * INITGUES "minimum". hstcal's quirks are kept for parity:
 * - median: the variance is computed from the median rate itself as if it were DN, and a pixel with no good
 *   input takes the variance divisor of the pixel before it;
 * - minimum: the left amp's columns take 0 when the lower value is flagged, the right amp's columns keep
 *   the first image's value even when it is flagged and ignore flagged lower values.
 * Algorithms follow hstcal (BSD-3-Clause, AURA), wf3rej/rej_init.c.
 */
import { ampSide, clipAtZero, type UvisNoise } from "./uvis-reject-noise.js";

export interface UvisGuessImage {
  sci: Float32Array;
  dq: Uint16Array;
  /** EXPTIME (1 for all when every EXPTIME is 0). */
  efac: number;
  sky: number;
}

export interface UvisGuess {
  /** Rate (DN/s) and its variance. */
  ave: Float32Array;
  variance: Float32Array;
}

const f = Math.fround;

export function uvisInitialGuess(
  initgues: string,
  images: readonly UvisGuessImage[],
  badinpdq: number,
  noise: UvisNoise,
  scalense: number,
  nx: number,
): UvisGuess {
  const args = { images, bad: badinpdq & 0xffff, noise, scale: f(scalense / 100), nx };
  return initgues.startsWith("med") ? medianGuess(args) : minimumGuess(args);
}

interface GuessArgs {
  images: readonly UvisGuessImage[];
  bad: number;
  noise: UvisNoise;
  scale: number;
  nx: number;
}

/** (read variance + DN / gain + (scale × signal)²) / divisor, in float as hstcal. */
function variance(noise: UvisNoise, side: 0 | 1, dn: number, signal: number, scale: number, divisor: number): number {
  const s = f(scale * signal);
  return f(f(f(noise.readVariance[side] + f(dn / noise.gain[side])) + f(s * s)) / divisor);
}

function medianGuess({ images, bad, noise, scale, nx }: GuessArgs): UvisGuess {
  const npix = images[0]!.sci.length;
  const ave = new Float32Array(npix);
  const out = new Float32Array(npix);
  const exp2 = images.map((image) => f(image.efac * image.efac));
  const stack = new Float32Array(images.length);
  const order = new Int32Array(images.length);
  let expn = 0; // not reset between pixels (hstcal)
  for (let k = 0; k < npix; k++) {
    let count = 0;
    images.forEach((image, n) => {
      if (!(image.efac > 0) || (image.dq[k]! & bad) !== 0) return;
      // straight insertion, as hstcal's ipiksrt (the exposure follows its value)
      const value = f(f(image.sci[k]! - image.sky) / image.efac);
      let position = count++;
      while (position > 0 && stack[position - 1]! > value) {
        stack[position] = stack[position - 1]!;
        order[position] = order[position - 1]!;
        position--;
      }
      stack[position] = value;
      order[position] = n;
    });
    if (count > 0) {
      const half = count >> 1;
      if (count % 2 === 0) {
        ave[k] = f(f(stack[half - 1]! + stack[half]!) / 2);
        expn = f(f(exp2[order[half - 1]!]! + exp2[order[half]!]!) / 2);
      } else {
        ave[k] = stack[half]!;
        expn = exp2[order[half]!]!;
      }
    }
    const raw = ave[k]!;
    out[k] = variance(noise, ampSide(noise, k % nx), raw, raw, scale, expn > 0 ? expn : 1);
  }
  return { ave, variance: out };
}

function minimumGuess({ images, bad, noise, scale, nx }: GuessArgs): UvisGuess {
  const npix = images[0]!.sci.length;
  const ave = new Float32Array(npix);
  const out = new Float32Array(npix);
  for (let n = 0; n < images.length; n++) {
    const { sci, dq, efac } = images[n]!;
    const exposed = efac > 0;
    const exp2 = f(efac * efac);
    const sky = f(images[n]!.sky);
    for (let row = 0; row < npix; row += nx) {
      for (let i = 0; i < nx; i++) {
        const k = row + i;
        const raw = sci[k]!;
        const value = exposed ? f(f(raw - sky) / efac) : 0;
        const good = (dq[k]! & bad) === 0;
        const left = i < noise.ampx;
        if (left ? !(n === 0 || value < ave[k]!) : !(n === 0 || (value < ave[k]! && good))) continue;
        if (left && !(good && exposed)) {
          ave[k] = 0;
          out[k] = 0;
          continue;
        }
        ave[k] = value;
        const side = left ? 0 : 1;
        const signal = clipAtZero(f(raw - sky));
        out[k] = exposed ? variance(noise, side, clipAtZero(raw), signal, scale, exp2) : 0;
      }
    }
  }
  return { ave, variance: out };
}
