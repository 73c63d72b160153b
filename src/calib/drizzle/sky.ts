/**
 * AstroDrizzle's sky step for skymethod localmin and globalmin, as drizzlepac 3.6.2 runs it through stsci.skypac:
 * each chip's sky statistic (skystat over its good pixels, ImageStats with skylower/skyupper, skyclip,
 * skylsigma/skyusigma, skywidth) is turned into brightness (data × data2brightness: 1/pscale², exposure time, …);
 * an image's sky is the least of its chips' (localmin), or every image gets the least of all (globalmin); each chip
 * then subtracts that brightness back in its own data units. The "match" methods are not here.
 */
import { imageStats } from "./image-stats.js";

export type SkyStat = "median" | "mode" | "mean" | "midpt";

export interface SkyOptions {
  skystat?: SkyStat;
  skylower?: number;
  skyupper?: number;
  skyclip?: number;
  skylsigma?: number;
  skyusigma?: number;
  skywidth?: number;
}

export interface SkyChip {
  data: Float32Array;
  /** Non-zero = usable (the DQ bits and user masks already applied); all pixels when absent. */
  good?: Uint8Array;
  /** Data units to brightness (skypac's data2brightness_conv). */
  data2brightness: number;
}

/** skypac's SkyStats.calc_sky on the good pixels; undefined when ImageStats finds none (skypac then skips it). */
export function skyStatistic(chip: SkyChip, options: SkyOptions = {}): { sky: number; npix: number } | undefined {
  const { skystat = "median", skylower, skyupper, skyclip = 5, skylsigma = 4, skyusigma = 4, skywidth = 0.1 } = options;
  const data = chip.good ? goodPixels(chip.data, chip.good) : chip.data;
  if (data.length < 1) return undefined;
  try {
    const stats = imageStats(data, {
      lower: skylower,
      upper: skyupper,
      nclip: skyclip,
      lsig: skylsigma,
      usig: skyusigma,
      binwidth: skywidth,
    });
    return { sky: stats[skystat], npix: stats.npix };
  } catch {
    return undefined;
  }
}

/** The pixels of `data` where `good` is non-zero (a loop: a typed array's filter lists them on the JS heap first). */
function goodPixels(data: Float32Array, good: Uint8Array): Float32Array {
  let n = 0;
  for (let k = 0; k < good.length; k++) if (good[k]) n++;
  const out = new Float32Array(n);
  for (let k = 0, m = 0; k < good.length; k++) if (good[k]) out[m++] = data[k];
  return out;
}

/** A chip's sky statistic in its data units and the pixels it used; undefined when it has none (skyStatistic). */
export type ChipSkyStatistic = { sky: number; npix: number } | undefined;

/** skypac's _minsky: the least brightness of the image's chips from their statistics, undefined when none has one. */
function leastBrightness(chips: SkyChip[], stats: ChipSkyStatistic[]): number | undefined {
  let least: number | undefined;
  chips.forEach((chip, c) => {
    const s = stats[c];
    if (!s || s.npix < 1) return;
    const brightness = chip.data2brightness * s.sky;
    if (least === undefined || brightness < least) least = brightness;
  });
  return least;
}

/** skypac's _minsky: the least brightness of the image's chips, undefined when no chip has a sky. */
export function imageSkyBrightness(chips: SkyChip[], options: SkyOptions = {}): number | undefined {
  return leastBrightness(
    chips,
    chips.map((chip) => skyStatistic(chip, options)),
  );
}

/**
 * The sky each chip of each image subtracts (MDRIZSKY, its data units) for localmin or globalmin, from every chip's
 * statistic (`stats[image][chip]`, skyStatistic's, computed wherever the caller likes).
 */
export function skyValuesFrom(
  images: SkyChip[][],
  stats: ChipSkyStatistic[][],
  method: "localmin" | "globalmin",
): number[][] {
  const perImage = images.map((chips, n) => leastBrightness(chips, stats[n]));
  let global: number | undefined;
  for (const b of perImage) if (b !== undefined && (global === undefined || b < global)) global = b;
  return images.map((chips, n) => {
    const brightness = (method === "globalmin" ? global : perImage[n]) ?? 0;
    return chips.map((chip) => brightness / chip.data2brightness);
  });
}

/** The sky each chip of each image subtracts (MDRIZSKY, its data units) for localmin or globalmin. */
export function skyValues(images: SkyChip[][], method: "localmin" | "globalmin", options: SkyOptions = {}): number[][] {
  const stats = images.map((chips) => chips.map((chip) => skyStatistic(chip, options)));
  return skyValuesFrom(images, stats, method);
}
