/**
 * AstroDrizzle's first two steps on the stage's chips: the static mask (one per chip signature: EXTVER and size,
 * over every exposure) and the sky (skymatch's localmin, globalmin, match or globalmin+match over the DQ-good,
 * unmasked pixels, in each exposure's brightness units; MDRIZSKY per chip in data units).
 */
import { type SkyChip, skyStatistic, skyValues, skyValuesFrom } from "../../calib/drizzle/sky.js";
import { type MatchChip, matchedSkyValues } from "../../calib/drizzle/sky-match.js";
import { pixToSky, skyToPix } from "../../wcs/index.js";
import { type TaskFunction, taskModule, WorkerPool } from "../worker-pool.js";
import { dataToBrightness } from "./chip-units.js";
import { DrizzleStageError } from "./errors.js";
import type { InputChip } from "./inputs.js";
import { skyFromSkyFile, skyWithoutSkysub } from "./sky-user.js";
import type { DrizzleStep, StageContext } from "./stage.js";
import { chipStaticMask } from "./stats-tasks.js";

const task = taskModule<typeof import("./stats-tasks.js")>(new URL("./stats-tasks.js", import.meta.url));

const signature = (chip: InputChip) => `${chip.extver}:${chip.width}x${chip.height}`;

/** Whether the chips' statistics go on workers (one chip a task; each chip's result is its own either way). */
function statisticsOnWorkers(context: StageContext): boolean {
  const pixels = context.chips.reduce((n, c) => n + c.width * c.height, 0);
  return context.workers > 1 && context.chips.length > 1 && pixels >= context.workerThreshold;
}

async function onWorkers<A, R>(context: StageContext, fn: TaskFunction<A, R>, jobs: A[]): Promise<R[]> {
  const pool = new WorkerPool(Math.min(context.workers, jobs.length));
  try {
    return await pool.run(fn, jobs);
  } finally {
    await pool.close();
  }
}

export const staticMaskStep: DrizzleStep = {
  name: "static_mask",
  enabled: (p) => p.static,
  parameters: ["static_sig"],
  async run(context) {
    const masks = new Map<string, Int16Array>();
    const jobs = context.chips.map((chip) => {
      const key = signature(chip);
      const mask = masks.get(key) ?? new Int16Array(new SharedArrayBuffer(2 * chip.width * chip.height)).fill(1);
      masks.set(key, mask);
      return { sci: chip.sci, mask, staticSig: context.params.static_sig };
    });
    if (statisticsOnWorkers(context)) await onWorkers(context, task("chipStaticMask"), jobs);
    else for (const job of jobs) chipStaticMask(job);
    // one array per signature, shared by its chips: every step only reads it
    const masked = new Map<string, Uint8Array>();
    for (const [key, mask] of masks) {
      // a loop: Uint8Array.from(mask, fn) first lists every value on the JS heap
      const out = new Uint8Array(mask.length);
      for (let k = 0; k < mask.length; k++) out[k] = mask[k] ? 0 : 1;
      masked.set(key, out);
    }
    for (const chip of context.chips) context.staticMask.set(chip, masked.get(signature(chip))!);
  },
};

/** The pixels the sky statistics use: DQ good under sky_bits and, with use_static, not in the static mask. */
function skyGood(context: StageContext, chip: InputChip): Uint8Array {
  const { sky_bits, use_static } = context.params;
  const good = new Uint8Array(chip.width * chip.height);
  const stat = use_static ? context.staticMask.get(chip) : undefined;
  for (let k = 0; k < good.length; k++) good[k] = ((chip.dq?.[k] ?? 0) & ~sky_bits) === 0 && !stat?.[k] ? 1 : 0;
  return good;
}

/** The chip as skypac sees it: data, good pixels, brightness factor, footprint (from_wcs corners) and WCS. */
function matchChip(context: StageContext, chip: InputChip): MatchChip & SkyChip {
  const [w, h] = [chip.width, chip.height];
  const corners: [number, number][] = [
    [1, 1],
    [w, 1],
    [w, h],
    [1, h],
  ];
  return {
    data: chip.sci,
    good: skyGood(context, chip),
    data2brightness: dataToBrightness(chip),
    width: w,
    height: h,
    footprint: corners.map(([x, y]) => pixToSky(chip.wcs, x, y)),
    toPixel(ra, dec) {
      const [x, y] = skyToPix(chip.wcs, ra, dec);
      return [x - 1, y - 1];
    },
  };
}

export const skyStep: DrizzleStep = {
  name: "sky",
  enabled: (p) => p.skysub,
  parameters: [
    "skymethod",
    "skystat",
    "skywidth",
    "skylower",
    "skyupper",
    "skyclip",
    "skylsigma",
    "skyusigma",
    "sky_bits",
    "use_static",
  ],
  whenOff: skyWithoutSkysub,
  async run(context) {
    const p = context.params;
    if (p.skyfile.trim() !== "") return skyFromSkyFile(context);
    const options = {
      skystat: p.skystat,
      skylower: p.skylower,
      skyupper: p.skyupper,
      skyclip: p.skyclip,
      skylsigma: p.skylsigma,
      skyusigma: p.skyusigma,
      skywidth: p.skywidth,
    };
    const exposures = context.exposures;
    const images: MatchChip[][] = exposures.map((chips) => chips.map((chip) => matchChip(context, chip)));
    let values: number[][];
    if (p.skymethod === "localmin" || p.skymethod === "globalmin") {
      const chips = images.flat();
      const stats = statisticsOnWorkers(context)
        ? await onWorkers(
            context,
            task("chipSkyStatistic"),
            chips.map((c) => ({ data: c.data, good: c.good!, data2brightness: c.data2brightness, options })),
          )
        : chips.map((chip) => skyStatistic(chip, options));
      let next = 0;
      values = skyValuesFrom(
        images,
        images.map((image) => image.map(() => stats[next++])),
        p.skymethod,
      );
    } else {
      try {
        values = matchedSkyValues(images, p.skymethod, options);
      } catch (e) {
        // drizzlepac's _skymatch: a match that fails falls back to the method without "match"
        const fallback = p.skymethod === "globalmin+match" ? "globalmin" : "localmin";
        const cause = (e as Error).message;
        context.warnings.push(`Reverting sky computation to "${fallback}" from "${p.skymethod}" (${cause})`);
        values = skyValues(images, fallback, options);
      }
    }
    exposures.forEach((chips, n) => {
      chips.forEach((chip, c) => {
        const sky = values[n][c];
        if (!Number.isFinite(sky)) throw new DrizzleStageError(`sky of [SCI,${chip.extver}] is ${sky}`, chip.file);
        context.sky.set(chip, sky);
      });
    });
  },
};
