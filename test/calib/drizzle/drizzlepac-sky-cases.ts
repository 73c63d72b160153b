/** The drizzlepac cases of the sky statistics, the sky step and the static mask (see drizzlepac-cases.ts). */
import { type ImageStatsOptions, imageStats } from "../../../src/calib/drizzle/image-stats.js";
import { type SkyChip, type SkyOptions, skyValues } from "../../../src/calib/drizzle/sky.js";
import { addToStaticMask } from "../../../src/calib/drizzle/static-mask.js";
import { Random } from "../../../src/sim/random.js";
import { concat, type DrizzlepacCase } from "./drizzlepac-fingerprint.js";
import { starField } from "./scenes.js";

/** A sky with stars, a few dead pixels and a low column: what the sky statistics and the static mask look at. */
function skyChip(width: number, height: number, seed: number, sky: number): Float32Array {
  const random = new Random(seed);
  const chip = starField(width, height, seed, 15);
  for (let k = 0; k < chip.length; k++) chip[k] += sky + 6 * (random.uniform() + random.uniform() - 1);
  for (let j = 0; j < height; j++) chip[j * width + 11] -= 40;
  for (let c = 0; c < 25; c++) chip[Math.floor(random.uniform() * chip.length)] = -5;
  return chip;
}

export function statsCase(name: string, options: ImageStatsOptions): DrizzlepacCase {
  const image = skyChip(96, 64, 600, 20);
  return {
    name: `imagestats ${name}`,
    spec: { op: "stats", width: 96, height: 64, image: "image", ...options },
    files: { image },
    rtol: 1e-6,
    ours: () => ({}),
    oursStats: () => {
      const { npix, min, max, mean, stddev, mode, median, midpt, nbins } = imageStats(image, options);
      return { npix, min, max, mean, stddev, mode, median, midpt, nbins };
    },
  };
}

export function staticCase(): DrizzlepacCase {
  const chips = [0, 1, 2].map((n) => skyChip(96, 64, 700 + n, 15 + 5 * n));
  return {
    name: "static mask of three chips, static_sig 4",
    spec: { op: "static", n: 3, width: 96, height: 64, images: "images", staticSig: 4 },
    files: { images: concat(chips) },
    rtol: 0,
    ours: () => {
      const mask = new Int16Array(96 * 64).fill(1);
      for (const chip of chips) addToStaticMask(mask, chip, { staticSig: 4 });
      return { mask: new Uint8Array(mask.buffer) };
    },
  };
}

/** Two or three images of two chips with different skies, pixel areas and DQ masks. */
export function skyCase(
  method: "localmin" | "globalmin",
  options: Required<Pick<SkyOptions, "skystat">> & SkyOptions,
): DrizzlepacCase {
  const [n, chips, W, H] = [3, 2, 96, 64];
  const random = new Random(800);
  const images: SkyChip[][] = [];
  for (let i = 0; i < n; i++) {
    images.push(
      Array.from({ length: chips }, (_, c) => {
        const data = skyChip(W, H, 810 + 10 * i + c, 12 + 6 * i + 3 * c);
        const good = Uint8Array.from(data, () => (random.uniform() < 0.05 ? 0 : 1));
        return { data, good, data2brightness: 1 / (0.05 * (1 + 0.02 * c)) ** 2 / (400 + 100 * i) };
      }),
    );
  }
  const flat = images.flat();
  const spec = { skyclip: 5, skylsigma: 4, skyusigma: 4, skywidth: 0.1, ...options };
  return {
    name: `sky ${method}, skystat ${options.skystat}${options.skylower !== undefined ? `, skylower ${options.skylower}` : ""}`,
    spec: {
      op: "sky",
      method,
      n,
      chips,
      width: W,
      height: H,
      images: "images",
      good: "good",
      conv: images.map((cs) => cs.map((c) => c.data2brightness)),
      ...spec,
    },
    files: { images: concat(flat.map((c) => c.data)), good: concat(flat.map((c) => c.good!)) },
    rtol: 0,
    ours: () => ({}),
    oursSky: () => skyValues(images, method, spec),
  };
}
