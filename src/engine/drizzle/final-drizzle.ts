/**
 * The stage's final drizzle: every chip, less its sky and with the static and cosmic-ray masks, onto the output
 * frame, on worker threads when there are several and the inputs are large (bit-identical either way).
 */
import { createFrame, drizzle } from "../../calib/drizzle/drizzle.js";
import type { DrizzleFrame, DrizzleKernel, PixmapInterpolation } from "../../calib/drizzle/types.js";
import { weightMap } from "../../calib/drizzle/weights.js";
import type { OutputFrame } from "../../wcs/index.js";
import { defaultBits, inUnits, pixelScale } from "./chip-units.js";
import { DrizzleStageError } from "./errors.js";
import { type ChipDrizzleInput, finalDrizzleOnWorkers, lessSky, sharedFloat32 } from "./final-drizzle-workers.js";
import type { InputChip } from "./inputs.js";
import type { SteppedNodes } from "./stepped-map.js";

/** What the final drizzle reads of the stage's context (stage.ts StageContext). */
export interface FinalDrizzleContext {
  chips: InputChip[];
  frame: OutputFrame;
  options: {
    kernel: DrizzleKernel;
    pixfrac: number;
    weightType: "EXP" | "ERR";
    bits: number;
    interpolation: PixmapInterpolation;
  };
  mapOf(chip: InputChip): Float64Array;
  nodes?: Map<InputChip, SteppedNodes>;
  sky: Map<InputChip, number>;
  staticMask: Map<InputChip, Uint8Array>;
  crMasks: Map<InputChip, Uint8Array>;
}

/** Chip i's input to the final drizzle: data less sky, weights (DQ, static and CR masks, final_wht_type), kernel. */
function chipDrizzleInput(context: FinalDrizzleContext, chip: InputChip, i: number): ChipDrizzleInput {
  const { frame, options } = context;
  const size = chip.width * chip.height;
  const bad = new Uint8Array(size);
  const stat = context.staticMask.get(chip);
  const cr = context.crMasks.get(chip);
  const bits = options.bits < 0 ? defaultBits(chip) : options.bits;
  for (let k = 0; k < size; k++) {
    bad[k] = ((chip.dq?.[k] ?? 0) & ~bits) !== 0 || stat?.[k] || (cr && !cr[k]) ? 1 : 0;
  }
  if (options.weightType === "ERR" && !chip.err) {
    throw new DrizzleStageError(`[SCI,${chip.extver}] has no ERR array for final_wht_type ERR`, chip.file);
  }
  const weights = weightMap(options.weightType, size, { bad, err: chip.err }, sharedFloat32(size));
  return {
    data: lessSky(chip.sci, context.sky.get(chip) ?? 0),
    weights,
    options: {
      kernel: options.kernel,
      pixfrac: options.pixfrac,
      scale: frame.scale / pixelScale(chip),
      uniqid: i + 1,
      inUnits: inUnits(chip),
      exposureTime: chip.exposureTime,
      weightScale: options.weightType === "EXP" ? chip.exposureTime : 1,
    },
  };
}

function finalDrizzle(context: FinalDrizzleContext, image: DrizzleFrame): void {
  const { options } = context;
  context.chips.forEach((chip, i) => {
    const { data, weights, options: kernel } = chipDrizzleInput(context, chip, i);
    const map = {
      width: chip.width,
      height: chip.height,
      xy: context.mapOf(chip),
      interpolation: options.interpolation,
    };
    const counts = drizzle({ width: chip.width, height: chip.height, data }, weights, map, image, kernel);
    if (counts.nmiss === chip.width * chip.height) {
      throw new DrizzleStageError(`[SCI,${chip.extver}] falls outside the output frame (no overlap)`, chip.file);
    }
  });
}

/** The final drizzle of every chip (on workers from `threshold` input pixels in all: final-drizzle-workers.ts). */
export async function drizzleAll(
  context: FinalDrizzleContext,
  workers: number,
  threshold: number,
): Promise<DrizzleFrame> {
  const { chips, frame, options } = context;
  const pixels = chips.reduce((n, c) => n + c.width * c.height, 0);
  if (workers > 1 && pixels >= threshold && options.interpolation === "bilinear") {
    const prepare = (i: number) => chipDrizzleInput(context, chips[i], i);
    const nodes = context.nodes;
    const mapOf = (i: number) => nodes?.get(chips[i]) ?? context.mapOf(chips[i]);
    return finalDrizzleOnWorkers(chips, frame.wcs, frame, prepare, workers, mapOf);
  }
  const image = createFrame(frame.width, frame.height, chips.length);
  finalDrizzle(context, image);
  return image;
}
