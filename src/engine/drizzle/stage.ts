/**
 * The native stage 2: AstroDrizzle's steps in their order, each a DrizzleStep, then the final drizzle of every
 * chip of every exposure onto one output frame. Steps not yet native (static mask, sky, separate drizzle,
 * median, blot, driz_cr) plug in through `steps`; the product's header says which ran and which did not.
 */
import { availableParallelism } from "node:os";
import { createFrame, drizzle } from "../../calib/drizzle/drizzle.js";
import type { DrizzleFrame, DrizzleKernel, PixmapInterpolation } from "../../calib/drizzle/types.js";
import { weightMap } from "../../calib/drizzle/weights.js";
import { footprint, type OutputFrame, outputFrame, skyToPix } from "../../wcs/index.js";
import { DrizzleStageError } from "./errors.js";
import { type ChipDrizzleInput, finalDrizzleOnWorkers } from "./final-drizzle-workers.js";
import type { InputChip } from "./inputs.js";
import { pixelMaps, WORKER_THRESHOLD } from "./pixmaps.js";

/** AstroDrizzle's steps, in the order it runs them. */
export const STEP_ORDER = [
  "static_mask",
  "sky",
  "driz_separate",
  "median",
  "blot",
  "driz_cr",
  "final_drizzle",
] as const;
export type StepName = (typeof STEP_ORDER)[number];

export interface StageContext {
  chips: InputChip[];
  frame: OutputFrame;
  options: Required<Omit<DrizzleStageOptions, "rotation" | "scale" | "workers" | "workerThreshold">>;
  /** Sky per chip (subtracted before the final drizzle), set by the sky step (MDRIZSKY). */
  sky: Map<InputChip, number>;
  /** Extra bad pixels per chip (cosmic rays, static mask), set by the steps before the final drizzle. */
  masks: Map<InputChip, Uint8Array>;
}

/** A step before the final drizzle; it changes the context's sky and masks. */
export interface DrizzleStep {
  name: Exclude<StepName, "final_drizzle">;
  run(context: StageContext): void;
}

export interface DrizzleStageOptions {
  kernel?: DrizzleKernel;
  pixfrac?: number;
  /** final_wht_type: EXP (default) or ERR. */
  weightType?: "EXP" | "ERR";
  /** final_bits: DQ bits that are not bad. */
  bits?: number;
  rotation?: number;
  scale?: number;
  /** Value of output pixels without weight; undefined = 0 as drizzlepac's INDEF final_fillval leaves them. */
  fillValue?: number;
  /** How pixel maps are read between centres (default bilinear; "drizzle-1.13.4" to compare with Debian's). */
  interpolation?: PixmapInterpolation;
  /** Worker threads for the pixel maps and the final drizzle (default: the machine's cores; 1 = none). */
  workers?: number;
  /** Input pixels in all from which workers are used (default WORKER_THRESHOLD, 16 M). */
  workerThreshold?: number;
}

export interface StageResult {
  frame: OutputFrame;
  image: DrizzleFrame;
  ran: StepName[];
  skipped: StepName[];
  /** Per chip, in order: the input chip and the unit scale it went in with. */
  chips: InputChip[];
  options: StageContext["options"];
}

/** The DQ bits AstroDrizzle's MDRIZTAB rows leave good by default for ACS and WFC3 UVIS (16+64+256), IR (512+256). */
export function defaultBits(chip: InputChip): number {
  return String(chip.primary.get("DETECTOR") ?? "").trim() === "IR" ? 768 : 336;
}

function inUnits(chip: InputChip): "cps" | "counts" {
  const bunit = String(chip.header.get("BUNIT") ?? chip.primary.get("BUNIT") ?? "ELECTRONS").toUpperCase();
  return bunit.includes("/S") ? "cps" : "counts";
}

function pixelScale(chip: InputChip): number {
  const idc = chip.header.get("IDCSCALE");
  if (typeof idc === "number" && idc > 0) return idc;
  const [[a, b], [c, d]] = chip.wcs.cd;
  return Math.sqrt(Math.abs(a * d - b * c)) * 3600;
}

/** Chip i's input to the final drizzle: data less sky, weights (DQ, masks, final_wht_type) and kernel options. */
function chipDrizzleInput(context: StageContext, chip: InputChip, i: number): ChipDrizzleInput {
  const { frame, options } = context;
  const size = chip.width * chip.height;
  const bad = new Uint8Array(size);
  const extra = context.masks.get(chip);
  const bits = options.bits < 0 ? defaultBits(chip) : options.bits;
  for (let k = 0; k < size; k++) bad[k] = ((chip.dq?.[k] ?? 0) & ~bits) !== 0 || extra?.[k] ? 1 : 0;
  if (options.weightType === "ERR" && !chip.err) {
    throw new DrizzleStageError(`[SCI,${chip.extver}] has no ERR array for final_wht_type ERR`, chip.file);
  }
  const weights = weightMap(options.weightType, size, { bad, err: chip.err });
  const sky = context.sky.get(chip) ?? 0;
  const data = sky === 0 ? chip.sci : chip.sci.map((v) => v - sky);
  return {
    data,
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

function finalDrizzle(context: StageContext, image: DrizzleFrame, maps: Float64Array[]): void {
  const { options } = context;
  context.chips.forEach((chip, i) => {
    const { data, weights, options: kernel } = chipDrizzleInput(context, chip, i);
    const map = { width: chip.width, height: chip.height, xy: maps[i], interpolation: options.interpolation };
    const counts = drizzle({ width: chip.width, height: chip.height, data }, weights, map, image, kernel);
    if (counts.nmiss === chip.width * chip.height) {
      throw new DrizzleStageError(`[SCI,${chip.extver}] falls outside the output frame (no overlap)`, chip.file);
    }
  });
}

/**
 * The final drizzle of every chip, on worker threads when there are several and the inputs are large (the
 * result is bit-identical either way: final-drizzle-workers.ts).
 */
async function drizzleAll(context: StageContext, workers: number, threshold: number): Promise<DrizzleFrame> {
  const { chips, frame, options } = context;
  const pixels = chips.reduce((n, c) => n + c.width * c.height, 0);
  if (workers > 1 && pixels >= threshold && options.interpolation === "bilinear") {
    const prepare = (i: number) => chipDrizzleInput(context, chips[i], i);
    return finalDrizzleOnWorkers(chips, frame.wcs, frame, prepare, workers);
  }
  const image = createFrame(frame.width, frame.height, chips.length);
  finalDrizzle(context, image, await pixelMaps(chips, frame.wcs, workers));
  return image;
}

type Box = [number, number, number, number];

/** Every exposure must share sky with another (AstroDrizzle would stack unrelated fields into one frame). */
function checkOverlap(chips: InputChip[], frame: OutputFrame): void {
  const boxes = new Map<string, Box[]>();
  for (const chip of chips) {
    const corners = footprint(chip).map(([ra, dec]) => skyToPix(frame.wcs, ra, dec));
    const xs = corners.map((p) => p[0]);
    const ys = corners.map((p) => p[1]);
    const box: Box = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    boxes.set(chip.file, [...(boxes.get(chip.file) ?? []), box]);
  }
  if (boxes.size < 2) return;
  const meets = (a: Box, b: Box) => a[0] < b[1] && b[0] < a[1] && a[2] < b[3] && b[2] < a[3];
  for (const [file, own] of boxes) {
    const others = [...boxes].filter(([f]) => f !== file).flatMap(([, b]) => b);
    if (!own.some((a) => others.some((b) => meets(a, b)))) {
      throw new DrizzleStageError("does not overlap any other exposure on the sky (check CRVAL1/CRVAL2)", file);
    }
  }
}

/** Runs the steps given (in AstroDrizzle's order) and the final drizzle of `chips`. */
export async function runDrizzleStage(
  chips: InputChip[],
  options: DrizzleStageOptions = {},
  steps: DrizzleStep[] = [],
): Promise<StageResult> {
  if (chips.length === 0) throw new DrizzleStageError("no chip to drizzle");
  const frame = outputFrame(
    chips.map((c) => ({
      wcs: c.wcs,
      width: c.width,
      height: c.height,
      idcscale: c.header.get("IDCSCALE") as number | undefined,
      name: c.file,
    })),
    { rotation: options.rotation, scale: options.scale },
  );
  checkOverlap(chips, frame);
  const context: StageContext = {
    chips,
    frame,
    options: {
      kernel: options.kernel ?? "square",
      pixfrac: options.pixfrac ?? 1,
      weightType: options.weightType ?? "EXP",
      bits: options.bits ?? -1,
      fillValue: options.fillValue ?? 0,
      interpolation: options.interpolation ?? "bilinear",
    },
    sky: new Map(),
    masks: new Map(),
  };
  const ordered = [...steps].sort((a, b) => STEP_ORDER.indexOf(a.name) - STEP_ORDER.indexOf(b.name));
  for (const step of ordered) step.run(context);
  const threshold = options.workerThreshold ?? WORKER_THRESHOLD;
  const image = await drizzleAll(context, options.workers ?? availableParallelism(), threshold);
  for (let k = 0; k < image.wht.length; k++) if (image.wht[k] === 0) image.sci[k] = context.options.fillValue;
  const ran: StepName[] = [...ordered.map((s) => s.name), "final_drizzle"];
  return { frame, image, ran, skipped: STEP_ORDER.filter((s) => !ran.includes(s)), chips, options: context.options };
}
