/**
 * ACSREJ initial guess (calibration.md §2.12 step 2): per pixel the median, or the minimum, of the
 * sky-subtracted count rates (SCI − sky) / EXPTIME. The minimum keeps hstcal's quirk: when an image's
 * value is lower than the running minimum (or it is image 0) but the pixel is bad there, the minimum
 * becomes 0. Every pixel's guess depends on that pixel alone: `initialGuessByBands` reads the members a band
 * of rows at a time. Algorithms follow hstcal (BSD-3-Clause, AURA), acsrej_init.c.
 */
import { forEachBand, MEMBER_BAND_ROWS, type MemberRows } from "./member-rows.js";

export interface GuessImage {
  sci: Float32Array;
  dq: Uint16Array;
  /** EXPTIME (1 for all when every EXPTIME is 0). */
  efac: number;
  sky: number;
}

const f = Math.fround;

/** "med…" selects the median; anything else the minimum (hstcal compares the first 3 characters). */
export function usesMedian(initgues: string): boolean {
  return initgues.startsWith("med");
}

export function initialGuess(
  initgues: string,
  images: readonly GuessImage[],
  badinpdq: number,
  npix: number,
): Float32Array {
  return usesMedian(initgues) ? medianGuess(images, badinpdq, npix) : minimumGuess(images, badinpdq, npix);
}

/** The guess of an image of nx × ny pixels from its members' rows, a band at a time. */
export function initialGuessByBands(
  initgues: string,
  images: readonly { rows: MemberRows; efac: number; sky: number }[],
  badinpdq: number,
  nx: number,
  ny: number,
): Float32Array {
  const guess = new Float32Array(nx * ny);
  forEachBand(ny, MEMBER_BAND_ROWS, (y0, n) => {
    const band = images.map(({ rows, efac, sky }) => ({ ...rows.band(y0, n), efac, sky }));
    guess.set(initialGuess(initgues, band, badinpdq, n * nx), y0 * nx);
  });
  return guess;
}

function medianGuess(images: readonly GuessImage[], badinpdq: number, npix: number): Float32Array {
  const bad = badinpdq & 0xffff;
  const guess = new Float32Array(npix);
  const stack = new Float32Array(images.length);
  for (let k = 0; k < npix; k++) {
    let count = 0;
    for (const image of images) {
      if (!(image.efac > 0) || (image.dq[k]! & bad) !== 0) continue;
      // straight insertion, as hstcal's ipiksrt
      const value = f(f(image.sci[k]! - image.sky) / image.efac);
      let position = count++;
      while (position > 0 && stack[position - 1]! > value) {
        stack[position] = stack[position - 1]!;
        position--;
      }
      stack[position] = value;
    }
    if (count === 0) continue;
    const half = count >> 1;
    guess[k] = count % 2 === 0 ? f(stack[half - 1]! + stack[half]!) / 2 : stack[half]!;
  }
  return guess;
}

function minimumGuess(images: readonly GuessImage[], badinpdq: number, npix: number): Float32Array {
  const bad = badinpdq & 0xffff;
  const guess = new Float32Array(npix);
  for (let n = 0; n < images.length; n++) {
    const { sci, dq, sky, efac } = images[n]!;
    const exposed = efac > 0;
    for (let k = 0; k < npix; k++) {
      const value = exposed ? f(f(sci[k]! - sky) / efac) : 0;
      if (n === 0 || value < guess[k]!) guess[k] = (dq[k]! & bad) === 0 && exposed ? value : 0;
    }
  }
  return guess;
}
