/**
 * The native stage 2: AstroDrizzle's steps in its order (static mask, sky, driz_separate, median, blot, driz_cr;
 * each with its switch and parameters, AdrizParameters), then the final drizzle of every chip of every exposure
 * onto one output frame with the sky subtracted and the static and cosmic-ray masks applied. The result says which
 * steps ran with which parameters; the product's header records them.
 */
import { availableParallelism } from "node:os";
import type { DrizzleFrame, DrizzleKernel, PixmapInterpolation } from "../../calib/drizzle/types.js";
import { logMemory } from "../../core/memory-log.js";
import { type FrameChip, footprint, type OutputFrame, outputFrame, parityOf, skyToPix } from "../../wcs/index.js";
import { collectGarbage } from "../worker-pool.js";
import { DrizzleStageError } from "./errors.js";
import { drizzleAll } from "./final-drizzle.js";
import type { InputChip } from "./inputs.js";
import { ADRIZ_DEFAULTS, type AdrizParameters, CR_STEPS, checkParameters } from "./parameters.js";
import { pixelMaps, WORKER_THRESHOLD } from "./pixmaps.js";
import { interpolateRows, type SteppedNodes, steppedNodes } from "./stepped-map.js";

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
  /** The chips grouped by exposure (file), in input order. */
  exposures: InputChip[][];
  frame: OutputFrame;
  options: Required<
    Omit<
      DrizzleStageOptions,
      "rotation" | "scale" | "workers" | "workerThreshold" | "adriz" | "stepsize" | "keepIntermediates"
    >
  >;
  params: AdrizParameters;
  /** Worker threads the steps may use, and the input pixels in all from which they do. */
  workers: number;
  workerThreshold: number;
  /**
   * Each chip's pixel map onto the output frame: with a stepsize, interpolated from its nodes each time a step asks
   * (cheap next to holding every chip's map), else the exact maps made once.
   */
  mapOf(chip: InputChip): Float64Array;
  /** The stepped maps' nodes per chip (stepsize > 0): the final drizzle's workers interpolate them. */
  nodes?: Map<InputChip, SteppedNodes>;
  /** Sky per chip in its data units, set by the sky step; subtracted before each drizzle (computedSky). */
  sky: Map<InputChip, number>;
  /** MDRIZSKY per chip where it differs from `sky` (skyuser, an applied skyfile): median and driz_cr read it. */
  mdrizsky: Map<InputChip, number>;
  /** What a step did differently from what was asked (skymatch's fallback, an image without a skyfile line). */
  warnings: string[];
  /** Static mask per chip (1 = masked), for the sky, the single and the final drizzle. */
  staticMask: Map<InputChip, Uint8Array>;
  /** The single-drizzled image and weight of each exposure (cps, exptime² weights). */
  singles?: { sci: Float32Array; wht: Float32Array }[];
  median?: Float32Array;
  /** The median blotted back onto each chip, in its data units with its sky. */
  blots: Map<InputChip, Float32Array>;
  /** driz_cr's mask per chip as AstroDrizzle's _crmask: 1 = good, 0 = cosmic ray. */
  crMasks: Map<InputChip, Uint8Array>;
}

/** A step before the final drizzle: its switch, the parameters it reads (recorded), and what it does. */
export interface DrizzleStep {
  name: Exclude<StepName, "final_drizzle">;
  enabled(params: AdrizParameters): boolean;
  parameters: (keyof AdrizParameters)[];
  run(context: StageContext): void | Promise<void>;
  /** What the step still does when switched off (the sky step's skyuser). */
  whenOff?(context: StageContext): void;
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
  /** Value of output pixels without weight; undefined (final_fillval INDEF) = NaN, as AstroDrizzle 3.6.2 writes them. */
  fillValue?: number;
  /** How pixel maps are read between centres (default bilinear; "drizzle-1.13.4" to compare with Debian's). */
  interpolation?: PixmapInterpolation;
  /** Worker threads for the pixel maps and the final drizzle (default: the machine's cores; 1 = none). */
  workers?: number;
  /** Input pixels in all from which workers are used (default WORKER_THRESHOLD, 16 M). */
  workerThreshold?: number;
  /** AstroDrizzle's stepsize: the pixel maps interpolated between nodes this far apart (default 10; 0 = exact). */
  stepsize?: number;
  /** Keep the singles and the median in the result (for writing them); else each is let go once used. */
  keepIntermediates?: boolean;
  /** The steps' switches and parameters over AstroDrizzle's defaults. */
  adriz?: Partial<AdrizParameters>;
}

export interface StepRecord {
  name: StepName;
  ran: boolean;
  /** name=value of the parameters it used, or why it did not run. */
  detail: string;
  /** Wall seconds the step took (steps that ran). */
  seconds?: number;
}

export interface StageResult {
  frame: OutputFrame;
  image: DrizzleFrame;
  ran: StepName[];
  skipped: StepName[];
  steps: StepRecord[];
  /** Per chip, in order: the input chip and the unit scale it went in with. */
  chips: InputChip[];
  options: StageContext["options"];
  params: AdrizParameters;
  sky: Map<InputChip, number>;
  mdrizsky: Map<InputChip, number>;
  warnings: string[];
  crMasks: Map<InputChip, Uint8Array>;
  singles?: StageContext["singles"];
  median?: Float32Array;
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

function formatValue(v: unknown): string {
  if (v === undefined) return "None";
  return Array.isArray(v) ? v.join(" ") : String(v);
}

/** What stwcs's make_orthogonal_cd orients the default frame by, when the chip's headers have it. */
function apertureOf(chip: InputChip): FrameChip["aperture"] {
  const [pav3, v2ref, v3ref] = [chip.primary.get("PA_V3"), chip.header.get("IDCV2REF"), chip.header.get("IDCV3REF")];
  if (typeof pav3 !== "number" || typeof v2ref !== "number" || typeof v3ref !== "number") return undefined;
  const theta = chip.header.get("IDCTHETA");
  const parity = parityOf(
    String(chip.primary.get("INSTRUME") ?? "").trim(),
    String(chip.primary.get("DETECTOR") ?? "").trim(),
  );
  return { pav3, v2ref, v3ref, theta: typeof theta === "number" ? theta : 0, parity };
}

/** The exposures of `chips`, each the chips of one file, in input order. */
function byExposure(chips: InputChip[]): InputChip[][] {
  const files = new Map<string, InputChip[]>();
  for (const c of chips) files.set(c.file, [...(files.get(c.file) ?? []), c]);
  return [...files.values()];
}

const memoryLog = (line: string) => process.stderr.write(`${line}\n`);

/** Lets go of what no later step reads: the singles after the median, the blots after driz_cr. */
function releaseAfter(step: StepName, context: StageContext, keepIntermediates: boolean): void {
  if (step === "median" && !keepIntermediates) context.singles = undefined;
  if (step === "driz_cr") {
    context.blots.clear();
    if (!keepIntermediates) context.median = undefined;
  }
}

/** Runs AstroDrizzle's steps (as their switches say) and the final drizzle of `chips`. */
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
      aperture: apertureOf(c),
    })),
    { rotation: options.rotation, scale: options.scale },
  );
  checkOverlap(chips, frame);
  const exposures = byExposure(chips);
  const params = { ...ADRIZ_DEFAULTS, ...options.adriz };
  if (exposures.length > 1) checkParameters(params, exposures.length, chips[0].file);
  const stepsize = options.stepsize ?? 10;
  if (!(stepsize >= 0 && Number.isFinite(stepsize))) throw new DrizzleStageError(`stepsize ${stepsize}: must be >= 0`);
  const nodes = stepsize > 0 ? new Map(chips.map((c) => [c, steppedNodes(c, frame.wcs, stepsize)])) : undefined;
  const exact = nodes ? undefined : await pixelMaps(chips, frame.wcs, options.workers, 0, options.workerThreshold);
  const mapOf = (chip: InputChip): Float64Array => {
    if (exact) return exact[chips.indexOf(chip)];
    const map = new Float64Array(2 * chip.width * chip.height);
    interpolateRows(nodes!.get(chip)!, [0, chip.height], map);
    return map;
  };
  const context: StageContext = {
    chips,
    exposures,
    frame,
    options: {
      kernel: options.kernel ?? "square",
      pixfrac: options.pixfrac ?? 1,
      weightType: options.weightType ?? "EXP",
      bits: options.bits ?? -1,
      fillValue: options.fillValue ?? Number.NaN,
      interpolation: options.interpolation ?? "bilinear",
    },
    params,
    workers: options.workers ?? availableParallelism(),
    workerThreshold: options.workerThreshold ?? WORKER_THRESHOLD,
    mapOf,
    nodes,
    sky: new Map(),
    mdrizsky: new Map(),
    warnings: [],
    staticMask: new Map(),
    blots: new Map(),
    crMasks: new Map(),
  };
  const pixels = chips.reduce((n, c) => n + c.width * c.height, 0);
  const records: StepRecord[] = [];
  const ordered = [...steps].sort((a, b) => STEP_ORDER.indexOf(a.name) - STEP_ORDER.indexOf(b.name));
  for (const step of ordered) {
    if (!step.enabled(params)) {
      step.whenOff?.(context);
      records.push({ name: step.name, ran: false, detail: "switched off" });
      continue;
    }
    if (exposures.length === 1 && (CR_STEPS as readonly string[]).includes(step.name)) {
      records.push({ name: step.name, ran: false, detail: "off for a single exposure (as MDRIZTAB's 1-image rows)" });
      continue;
    }
    const started = performance.now();
    await step.run(context);
    const seconds = (performance.now() - started) / 1000;
    releaseAfter(step.name, context, options.keepIntermediates ?? false);
    // what the steps on workers let go (shared arrays) is freed now, not at V8's next collection
    if (context.workers > 1 && pixels >= context.workerThreshold) collectGarbage();
    logMemory(memoryLog, `drizzle stage: after ${step.name} (${seconds.toFixed(1)} s)`);
    const detail = step.parameters.map((k) => `${k}=${formatValue(params[k])}`).join(" ");
    records.push({ name: step.name, ran: true, detail, seconds });
  }
  const started = performance.now();
  const image = await drizzleAll(context, context.workers, context.workerThreshold);
  const seconds = (performance.now() - started) / 1000;
  logMemory(memoryLog, `drizzle stage: after final_drizzle (${seconds.toFixed(1)} s)`);
  for (let k = 0; k < image.wht.length; k++) if (image.wht[k] === 0) image.sci[k] = context.options.fillValue;
  const o = context.options;
  records.push({
    name: "final_drizzle",
    ran: true,
    detail: `final_kernel=${o.kernel} final_pixfrac=${o.pixfrac} final_wht_type=${o.weightType} final_bits=${o.bits < 0 ? "default" : o.bits}`,
    seconds,
  });
  const ran = records.filter((r) => r.ran).map((r) => r.name);
  return {
    frame,
    image,
    ran,
    skipped: STEP_ORDER.filter((s) => !records.some((r) => r.name === s)),
    steps: records,
    chips,
    options: context.options,
    params,
    sky: context.sky,
    mdrizsky: context.mdrizsky,
    warnings: context.warnings,
    crMasks: context.crMasks,
    singles: context.singles,
    median: context.median,
  };
}
