/**
 * AstroDrizzle's cosmic-ray steps on the stage's chips: driz_separate (each exposure, sky subtracted, onto the
 * output grid: cps, weights the exposure time, as run_driz with single=True), median (numcombine types or minmed over the
 * singles, masks from combine_maskpt), blot (the median back onto each chip, times its exposure time, sky added) and
 * driz_cr (the CR mask of each chip against its blot; flagged pixels leave the final drizzle).
 */
import { blot } from "../../calib/drizzle/blot.js";
import { type NumCombineType, numCombine, weightMasks } from "../../calib/drizzle/combine.js";
import { createFrame, drizzle } from "../../calib/drizzle/drizzle.js";
import { minMed } from "../../calib/drizzle/minmed.js";
import { conversionFactor, cteDirection, defaultBits, pixelScale, readNoise } from "./chip-units.js";
import {
  blotsOnWorkers,
  type ChipBlot,
  crMasksOnWorkers,
  minMedOnWorkers,
  singleOnWorkers,
  stepsOnWorkers,
} from "./cr-steps-workers.js";
import { type ChipCrMaskArgs, chipCrMask } from "./driz-cr-tasks.js";
import { DrizzleStageError } from "./errors.js";
import { type ChipDrizzleInput, lessSky, sharedFloat32 } from "./final-drizzle-workers.js";
import type { InputChip } from "./inputs.js";
import { recordedSky } from "./sky-user.js";
import type { DrizzleStep, StageContext } from "./stage.js";

/** A chip's input to its exposure's single: data less sky, exposure-time weights where DQ and static mask allow. */
function separateInput(context: StageContext, chip: InputChip): ChipDrizzleInput {
  const { frame, params } = context;
  const size = chip.width * chip.height;
  const bits = params.driz_sep_bits < 0 ? defaultBits(chip) : params.driz_sep_bits;
  const stat = context.staticMask.get(chip);
  const weights = sharedFloat32(size);
  for (let k = 0; k < size; k++) {
    weights[k] = ((chip.dq?.[k] ?? 0) & ~bits) === 0 && !stat?.[k] ? chip.exposureTime : 0;
  }
  return {
    data: lessSky(chip.sci, context.sky.get(chip) ?? 0),
    weights,
    options: {
      kernel: params.driz_sep_kernel,
      pixfrac: params.driz_sep_pixfrac,
      scale: frame.scale / pixelScale(chip),
      inUnits: "counts",
      exposureTime: chip.exposureTime / conversionFactor(chip),
      weightScale: 1,
    },
  };
}

export const separateStep: DrizzleStep = {
  name: "driz_separate",
  enabled: (p) => p.driz_separate,
  parameters: ["driz_sep_kernel", "driz_sep_pixfrac", "driz_sep_bits"],
  async run(context) {
    const { frame } = context;
    const singles: { sci: Float32Array; wht: Float32Array }[] = [];
    for (const chips of context.exposures) {
      if (stepsOnWorkers(context)) {
        singles.push(await singleOnWorkers(context, chips, (chip) => separateInput(context, chip)));
        continue;
      }
      const image = createFrame(frame.width, frame.height, 1);
      for (const chip of chips) {
        const { data, weights, options } = separateInput(context, chip);
        const map = {
          width: chip.width,
          height: chip.height,
          xy: context.mapOf(chip),
          interpolation: context.options.interpolation,
        };
        drizzle({ width: chip.width, height: chip.height, data }, weights, map, image, options);
      }
      singles.push({ sci: image.sci, wht: image.wht });
    }
    context.singles = singles;
  },
};

export const medianStep: DrizzleStep = {
  name: "median",
  enabled: (p) => p.median,
  parameters: [
    "combine_type",
    "combine_nsigma",
    "combine_nlow",
    "combine_nhigh",
    "combine_lthresh",
    "combine_hthresh",
    "combine_grow",
    "combine_maskpt",
    "median_newmasks",
  ],
  async run(context) {
    const p = context.params;
    const singles = context.singles;
    if (!singles) throw new DrizzleStageError("median needs driz_separate's single images (driz_separate off)");
    const images = singles.map((s) => s.sci);
    const weights = singles.map((s) => s.wht);
    const masks = p.median_newmasks ? weightMasks(weights, p.combine_maskpt) : undefined;
    const width = context.frame.width;
    if (p.combine_type.endsWith("minmed")) {
      const input = {
        images,
        weights,
        masks,
        exposureTime: context.exposures.map((chips) => chips[0].exposureTime),
        readNoise: context.exposures.map((chips) =>
          Math.sqrt(chips.reduce((s, c) => s + readNoise(c) ** 2, 0) / chips.length),
        ),
        background: context.exposures.map((chips) => backgroundOf(context, chips)),
      };
      const options = { grow: p.combine_grow, nsigma: p.combine_nsigma, fill: p.combine_type === "iminmed" };
      context.median = stepsOnWorkers(context)
        ? await minMedOnWorkers(context, input, width, options)
        : minMed(input, width, options);
    } else {
      context.median = numCombine(images, width, masks, {
        type: p.combine_type as NumCombineType,
        nlow: p.combine_nlow,
        nhigh: p.combine_nhigh,
        lower: p.combine_lthresh,
        upper: p.combine_hthresh,
      });
    }
  },
};

/** createMedian's reference sky of an exposure, with its loop's quirk (compares with the unconverted sky). */
function backgroundOf(context: StageContext, chips: InputChip[]): number {
  let sky: number | undefined;
  for (const chip of chips) {
    const s = recordedSky(context, chip);
    if (sky === undefined || sky > s) sky = s * conversionFactor(chip);
  }
  return sky ?? 0;
}

/** How the median is blotted onto a chip and brought to its data units with its sky. */
function chipBlot(context: StageContext, chip: InputChip): ChipBlot {
  const { frame, params } = context;
  return {
    options: {
      interpolation: params.blot_interp,
      scale: frame.scale / pixelScale(chip),
      exposureTime: chip.exposureTime,
      sinscl: params.blot_sinscl,
    },
    conversion: conversionFactor(chip),
    sky: params.blot_addsky ? (context.sky.get(chip) ?? 0) : 0,
  };
}

export const blotStep: DrizzleStep = {
  name: "blot",
  enabled: (p) => p.blot,
  parameters: ["blot_interp", "blot_sinscl", "blot_addsky"],
  async run(context) {
    const { frame } = context;
    const median = context.median;
    if (!median) throw new DrizzleStageError("blot needs the median image (median off)");
    if (stepsOnWorkers(context)) {
      context.blots = await blotsOnWorkers(context, median, (chip) => chipBlot(context, chip));
      return;
    }
    for (const chip of context.chips) {
      const { options, conversion, sky } = chipBlot(context, chip);
      const out = blot(
        { width: frame.width, height: frame.height, data: median },
        { width: chip.width, height: chip.height, xy: context.mapOf(chip) },
        options,
      );
      for (let k = 0; k < out.length; k++) out[k] = out[k] / conversion + sky;
      context.blots.set(chip, out);
    }
  },
};

export const drizCrStep: DrizzleStep = {
  name: "driz_cr",
  enabled: (p) => p.driz_cr,
  parameters: ["driz_cr_snr", "driz_cr_scale", "driz_cr_grow", "driz_cr_ctegrow", "crbit"],
  async run(context) {
    const p = context.params;
    const jobs = context.chips.map((chip): ChipCrMaskArgs => {
      const blot = context.blots.get(chip);
      if (!blot) throw new DrizzleStageError("driz_cr needs the blotted median (blot off)", chip.file);
      const conversion = conversionFactor(chip);
      const options = {
        snr: p.driz_cr_snr,
        scale: p.driz_cr_scale,
        grow: p.driz_cr_grow,
        ctegrow: p.driz_cr_ctegrow,
        cteDirection: cteDirection(chip),
        gain: 1,
        readNoise: readNoise(chip),
        sky: recordedSky(context, chip) * conversion,
      };
      return { sci: chip.sci, blot, width: chip.width, height: chip.height, conversion, options };
    });
    const masks = stepsOnWorkers(context) ? await crMasksOnWorkers(context, jobs) : jobs.map(chipCrMask);
    for (const [i, chip] of context.chips.entries()) context.crMasks.set(chip, masks[i]);
  },
};
