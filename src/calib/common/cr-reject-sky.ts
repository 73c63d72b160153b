/**
 * ACSREJ sky levels (calibration.md §2.12 step 1): SKYSUB "none" → 0; "mode" → the mode of each
 * image's histogram of pixels with DQ == 0, with the range and bin width fixed from image 0.
 * Each image is read by bands of rows in row order (one member at a time), which gives the whole image's bits.
 * Float arithmetic as hstcal. Algorithms follow hstcal (BSD-3-Clause, AURA), acsrej_sky.c, cr_mode.c.
 */
import { toCInt } from "./c-numbers.js";
import { CalibrationError } from "./errors.js";
import { forEachBand, MEMBER_BAND_ROWS, type MemberRows } from "./member-rows.js";

const MINVAL = -15000;
const MIN_BINS = 1000;
const MAX_BINS = 10000;
const INT_MAX = 2147483647;

const f = Math.fround;

export interface SkyImage {
  sci: Float32Array;
  dq: Uint16Array;
}

/** An image's pixels band after band, in row order. */
export type SkyBands = (visit: (band: SkyImage) => void) => void;

const whole =
  (image: SkyImage): SkyBands =>
  (visit) =>
    visit(image);

/** The bands of a member's rows (`ny` rows). */
export function bandsOf(rows: MemberRows, ny: number): SkyBands {
  return (visit) => forEachBand(ny, MEMBER_BAND_ROWS, (y0, n) => visit(rows.band(y0, n)));
}

export interface Histogram {
  counts: Int32Array;
  /** Bin width and lower edge (float32). */
  width: number;
  min: number;
}

/** Histogram range from image 0's pixels without `badinpdq` bits: [min, 2·mean − min] (ints). */
export function histogramLayout(image: SkyImage, badinpdq: number): { nbins: number; width: number; min: number } {
  return histogramLayoutOf(whole(image), badinpdq);
}

function histogramLayoutOf(bands: SkyBands, badinpdq: number): { nbins: number; width: number; min: number } {
  const bad = badinpdq & 0xffff;
  // Minimum and float sum in a Float32Array (rounded as the float variables they are in hstcal): loop-carried
  // doubles in a long loop entered once would be boxed by V8's on-stack replacement.
  const acc = Float32Array.of(INT_MAX, 0);
  let npt = 0;
  bands(({ sci, dq }) => {
    for (let k = 0; k < sci.length; k++) {
      if ((dq[k]! & bad) !== 0) continue;
      const v = sci[k]!;
      if (v < acc[0]!) acc[0] = v;
      acc[1] = acc[1]! + v;
      npt++;
    }
  });
  const dataMin = acc[0]!;
  const sum = acc[1]!;
  if (npt === 0) npt = 1;
  const min = dataMin < MINVAL ? MINVAL : toCInt(dataMin);
  const mean = sum > 0 ? toCInt(f(f(sum / f(npt)) + 1)) : 1;
  const max = toCInt(f(f(2 * mean) - min));
  let nbins = max - min + 1;
  let width = 1;
  if (nbins < MIN_BINS) {
    nbins = MIN_BINS;
    width = f(nbins / MIN_BINS);
  } else if (nbins > MAX_BINS) {
    width = f(nbins / MAX_BINS);
    nbins = MAX_BINS;
  }
  return { nbins, width, min };
}

export function histogram(
  image: SkyImage | SkyBands,
  layout: { nbins: number; width: number; min: number },
): Histogram {
  const counts = new Int32Array(layout.nbins);
  const min = f(layout.min);
  const { width, nbins } = layout;
  const bands = typeof image === "function" ? image : whole(image);
  bands(({ sci, dq }) => {
    for (let k = 0; k < sci.length; k++) {
      if (dq[k] !== 0) continue;
      const position = f(f(sci[k]! - min) / width);
      if (!(Math.abs(position) < INT_MAX)) continue;
      const h = position | 0; // |position| < 2^31: truncation toward zero
      if (h >= 0 && h < nbins) counts[h]!++;
    }
  });
  return { counts, width: layout.width, min: min };
}

/** The mode: the peak bin refined by a parabola through its neighbours (hstcal cr_mode). */
export function histogramMode({ counts, width, min }: Histogram): number {
  const nbins = counts.length;
  if (nbins === 1) return f(min + 0.5 * width);
  if (nbins === 2) {
    if (counts[0]! > counts[1]!) return f(min + 0.5 * width);
    if (counts[1]! > counts[0]!) return f(min + 1.5 * width);
    return f(min + width);
  }
  let peak = f(counts[0]!);
  let bpeak = 0;
  for (let i = 1; i < nbins; i++) {
    if (counts[i]! > peak) {
      peak = f(counts[i]!);
      bpeak = i;
    }
  }
  if (bpeak === 0) return f(min + 0.5 * width);
  if (bpeak === nbins - 1) return f(min + (nbins - 0.5) * width);
  const dh1 = f(counts[bpeak]! - counts[bpeak - 1]!);
  const dh2 = f(counts[bpeak]! - counts[bpeak + 1]!);
  const denom = f(dh1 + dh2);
  if (Math.abs(denom) < 1e-20) return f(min + (bpeak + 0.5) * width);
  const position = f(bpeak + 0.5 + (0.5 * f(dh1 - dh2)) / denom);
  return f(min + f(position * width));
}

/** Sky level (e) of every image (whole, or band after band). */
export function skyLevels(method: string, images: readonly (SkyImage | SkyBands)[], badinpdq: number): number[] {
  if (method === "none") return images.map(() => 0);
  if (method !== "mode") throw new CalibrationError("INVALID_VALUE", `illegal sky value '${method}'`);
  const bands = images.map((image) => (typeof image === "function" ? image : whole(image)));
  const layout = histogramLayoutOf(bands[0]!, badinpdq);
  return bands.map((image) => histogramMode(histogram(image, layout)));
}
