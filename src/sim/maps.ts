/**
 * The detector's calibration maps per chip: the truths behind the synthetic BIASFILE, DARKFILE,
 * PFLTFILE and BPIXTAB, used both to expose the raws and to write the reference files, so that
 * calibration with those references recovers the scene.
 */
import type { ChipLayout, DetectorModel } from "./detectors.js";
import type { Random } from "./random.js";

export interface HotPixel {
  /** Science coordinates (0-based). */
  x: number;
  y: number;
  /** Dark current, e-/s. */
  rate: number;
}

export interface ChipMaps {
  chip: ChipLayout;
  /** Bias structure (DN) over the raw array, on top of each amplifier's bias level. */
  bias: Float32Array;
  /** Dark current (e-/s) per science pixel, hot pixels included. */
  dark: Float32Array;
  /** Pixel-to-pixel flat (unitless, mean 1) per science pixel. */
  flat: Float32Array;
  hotPixels: HotPixel[];
  /** Science columns with a charge-injecting defect (flagged DETECTORPROB = 4 in BPIXTAB). */
  badColumns: number[];
}

/** Dark current above which a pixel counts as hot (and is flagged 16 in the dark's DQ). */
export const HOT_PIXEL_THRESHOLD = 0.08;
/** Extra charge a bad column collects per second (e-). */
export const BAD_COLUMN_RATE = 0.5;
const HOT_PIXEL_FRACTION = 0.001;

export function makeChipMaps(model: DetectorModel, chip: ChipLayout, random: Random): ChipMaps {
  const { sciNx, sciNy, rawNx, rawNy } = chip;
  const bias = new Float32Array(rawNx * rawNy);
  const columnPattern = Float32Array.from({ length: rawNx }, () => 0.6 * random.normal());
  for (let y = 0; y < rawNy; y++) {
    const gradient = (1.5 * y) / rawNy;
    for (let x = 0; x < rawNx; x++) bias[y * rawNx + x] = columnPattern[x] + gradient + 0.3 * random.normal();
  }

  const dark = new Float32Array(sciNx * sciNy).fill(model.darkRate);
  const hotPixels: HotPixel[] = [];
  const nHot = Math.round(HOT_PIXEL_FRACTION * sciNx * sciNy);
  const taken = new Set<number>();
  while (hotPixels.length < nHot) {
    const x = random.int(sciNx);
    const y = random.int(sciNy);
    if (taken.has(y * sciNx + x)) continue;
    taken.add(y * sciNx + x);
    const rate = Math.fround(random.logUniform(HOT_PIXEL_THRESHOLD * 1.25, 3));
    dark[y * sciNx + x] = rate;
    hotPixels.push({ x, y, rate });
  }
  hotPixels.sort((a, b) => a.y - b.y || a.x - b.x);

  const flat = new Float32Array(sciNx * sciNy);
  const tiltX = 0.03 * random.normal();
  const tiltY = 0.03 * random.normal();
  const motes = Array.from({ length: 3 }, () => ({ x: random.uniform() * sciNx, y: random.uniform() * sciNy }));
  let sum = 0;
  for (let y = 0; y < sciNy; y++) {
    for (let x = 0; x < sciNx; x++) {
      flat[y * sciNx + x] = 1 + tiltX * (x / sciNx - 0.5) + tiltY * (y / sciNy - 0.5) + 0.01 * random.normal();
    }
  }
  for (const m of motes) {
    for (let y = Math.max(0, Math.floor(m.y - 20)); y < Math.min(sciNy, m.y + 20); y++) {
      for (let x = Math.max(0, Math.floor(m.x - 20)); x < Math.min(sciNx, m.x + 20); x++) {
        const r = Math.hypot(x - m.x, y - m.y);
        if (r > 12 && r < 20) flat[y * sciNx + x] *= 0.93;
      }
    }
  }
  for (let i = 0; i < flat.length; i++) sum += flat[i];
  const mean = sum / flat.length;
  for (let i = 0; i < flat.length; i++) flat[i] /= mean;

  const badColumns = [random.int(sciNx), random.int(sciNx)].sort((a, b) => a - b);
  return { chip, bias, dark, flat, hotPixels, badColumns };
}
