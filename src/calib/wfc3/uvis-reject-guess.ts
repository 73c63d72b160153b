/**
 * WF3REJ's initial guess (calibration.md §2.12 step 2, WFC3): per pixel the median or the minimum of the
 * sky-subtracted count rates (SCI − sky) / EXPTIME over the inputs whose DQ has no BADINPDQ bit, and its
 * variance from the noise model (uvis-reject-noise.ts), which the first iteration's thresholds use with
 * INITGUES "minimum". hstcal's quirks are kept for parity:
 * - median: the variance is computed from the median rate itself as if it were DN, and a pixel with no good
 *   input takes the variance divisor of the pixel before it;
 * - minimum: the left amp's columns take 0 when the lower value is flagged, the right amp's columns keep
 *   the first image's value even when it is flagged and ignore flagged lower values.
 * `uvisInitialGuessByBands` reads the members a band of rows at a time, in row order (the median's carried
 * divisor goes from one band to the next), with the same bits as the whole images.
 * Algorithms follow hstcal (BSD-3-Clause, AURA), wf3rej/rej_init.c.
 */
import { forEachBand, MEMBER_BAND_ROWS, type MemberRows } from "../common/member-rows.js";
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
  const npix = images[0]!.sci.length;
  const guess = { ave: new Float32Array(npix), variance: new Float32Array(npix) };
  const args = { images, bad: badinpdq & 0xffff, noise, scale: f(scalense / 100), nx, carried: { expn: 0 } };
  if (initgues.startsWith("med")) medianGuess(args, guess);
  else minimumGuess(args, guess);
  return guess;
}

/** The guess of an nx × ny chip from its members' rows, a band at a time. */
export function uvisInitialGuessByBands(
  initgues: string,
  images: readonly { rows: MemberRows; efac: number; sky: number }[],
  badinpdq: number,
  noise: UvisNoise,
  scalense: number,
  nx: number,
  ny: number,
): UvisGuess {
  const guess = { ave: new Float32Array(nx * ny), variance: new Float32Array(nx * ny) };
  const carried = { expn: 0 };
  const median = initgues.startsWith("med");
  forEachBand(ny, MEMBER_BAND_ROWS, (y0, n) => {
    const band = images.map(({ rows, efac, sky }) => ({ ...rows.band(y0, n), efac, sky }));
    const args = { images: band, bad: badinpdq & 0xffff, noise, scale: f(scalense / 100), nx, carried };
    const [from, to] = [y0 * nx, (y0 + n) * nx];
    const out = { ave: guess.ave.subarray(from, to), variance: guess.variance.subarray(from, to) };
    if (median) medianGuess(args, out);
    else minimumGuess(args, out);
  });
  return guess;
}

interface GuessArgs {
  images: readonly UvisGuessImage[];
  bad: number;
  noise: UvisNoise;
  scale: number;
  nx: number;
  /** The median's divisor, not reset between pixels (hstcal): carried from band to band. */
  carried: { expn: number };
}

/** (read variance + DN / gain + (scale × signal)²) / divisor, in float as hstcal. */
function variance(noise: UvisNoise, side: 0 | 1, dn: number, signal: number, scale: number, divisor: number): number {
  const s = f(scale * signal);
  return f(f(f(noise.readVariance[side] + f(dn / noise.gain[side])) + f(s * s)) / divisor);
}

function medianGuess({ images, bad, noise, scale, nx, carried }: GuessArgs, guess: UvisGuess): void {
  const npix = images[0]!.sci.length;
  const { ave, variance: out } = guess;
  const exp2 = images.map((image) => f(image.efac * image.efac));
  const stack = new Float32Array(images.length);
  const order = new Int32Array(images.length);
  let expn = carried.expn; // not reset between pixels (hstcal)
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
  carried.expn = expn;
}

function minimumGuess({ images, bad, noise, scale, nx }: GuessArgs, guess: UvisGuess): void {
  const npix = images[0]!.sci.length;
  const { ave, variance: out } = guess;
  for (let n = 0; n < images.length; n++) {
    const { sci, dq, efac } = images[n]!;
    const pass: MinimumPass = { sci, dq, ave, out, n, bad, efac, exp2: f(efac * efac), sky: f(images[n]!.sky), scale };
    for (let row = 0; row < npix; row += nx) {
      minimumLeft(pass, row, noise.ampx, noise.readVariance[0], noise.gain[0]);
      minimumRight(pass, row + noise.ampx, row + nx, noise.readVariance[1], noise.gain[1]);
    }
  }
}

/** One input's pass of the minimum guess (the amps' loops apart: each is a tight loop without the side test). */
interface MinimumPass {
  sci: Float32Array;
  dq: Uint16Array;
  ave: Float32Array;
  out: Float32Array;
  n: number;
  bad: number;
  efac: number;
  exp2: number;
  sky: number;
  scale: number;
}

/** The left amp's columns [row, row + ampx): a lower value flagged or unexposed gives 0. */
function minimumLeft(p: MinimumPass, row: number, ampx: number, readVariance: number, gain: number): void {
  const { sci, dq, ave, out, n, bad, efac, exp2, sky, scale } = p;
  const exposed = efac > 0;
  for (let k = row; k < row + ampx; k++) {
    const raw = sci[k]!;
    const value = exposed ? f(f(raw - sky) / efac) : 0;
    if (!(n === 0 || value < ave[k]!)) continue;
    if (!((dq[k]! & bad) === 0 && exposed)) {
      ave[k] = 0;
      out[k] = 0;
      continue;
    }
    ave[k] = value;
    const s = f(scale * clipAtZero(f(raw - sky)));
    out[k] = f(f(f(readVariance + f(clipAtZero(raw) / gain)) + f(s * s)) / exp2);
  }
}

/** The right amp's columns [from, to): the first image's value is kept even when flagged; flagged lower ones are not taken. */
function minimumRight(p: MinimumPass, from: number, to: number, readVariance: number, gain: number): void {
  const { sci, dq, ave, out, n, bad, efac, exp2, sky, scale } = p;
  const exposed = efac > 0;
  for (let k = from; k < to; k++) {
    const raw = sci[k]!;
    const value = exposed ? f(f(raw - sky) / efac) : 0;
    if (!(n === 0 || (value < ave[k]! && (dq[k]! & bad) === 0))) continue;
    ave[k] = value;
    if (!exposed) {
      out[k] = 0;
      continue;
    }
    const s = f(scale * clipAtZero(f(raw - sky)));
    out[k] = f(f(f(readVariance + f(clipAtZero(raw) / gain)) + f(s * s)) / exp2);
  }
}
