/**
 * driz_separate, blot and driz_cr on worker threads for large inputs (a full-frame WFC dither): each exposure's
 * single drizzled by bands of output rows as the final drizzle is (final-drizzle-workers.ts), each chip's blot by
 * blocks of its rows, every block interpolating its own rows of the stepped map, and each chip's CR mask whole.
 * minmed goes by its bands of output rows. All give the same bits as one thread: a band gets its pixels' updates in
 * the same order, a blotted pixel depends on its own map position, a chip's mask on its own data and blot, and a
 * minmed band on its rows and `grow` rows around them.
 */
import type { BlotOptions } from "../../calib/drizzle/blot.js";
import { type MinMedInput, type MinMedOptions, minMedBands } from "../../calib/drizzle/minmed.js";
import { collectGarbage, taskModule, WorkerPool } from "../worker-pool.js";
import type { ChipCrMaskArgs } from "./driz-cr-tasks.js";
import { type ChipDrizzleInput, finalDrizzleOnWorkers, sharedCopyOf } from "./final-drizzle-workers.js";
import type { InputChip } from "./inputs.js";
import type { StageContext } from "./stage.js";

const task = taskModule<typeof import("./blot-tasks.js")>(new URL("./blot-tasks.js", import.meta.url));
const crTask = taskModule<typeof import("./driz-cr-tasks.js")>(new URL("./driz-cr-tasks.js", import.meta.url));
const medianTask = taskModule<typeof import("./median-tasks.js")>(new URL("./median-tasks.js", import.meta.url));
const BLOT_ROWS_PER_TASK = 128;

/** Whether the stage's steps go on workers: several, large inputs, stepped maps read bilinearly. */
export function stepsOnWorkers(context: StageContext): boolean {
  const pixels = context.chips.reduce((n, c) => n + c.width * c.height, 0);
  return (
    context.workers > 1 &&
    pixels >= context.workerThreshold &&
    context.nodes !== undefined &&
    context.options.interpolation === "bilinear"
  );
}

/** The single of one exposure (`chips`), drizzled on workers; `prepare(chip)` gives a chip's input. */
export async function singleOnWorkers(
  context: StageContext,
  chips: InputChip[],
  prepare: (chip: InputChip) => ChipDrizzleInput,
): Promise<{ sci: Float32Array; wht: Float32Array }> {
  const nodes = context.nodes!;
  const frame = await finalDrizzleOnWorkers(
    chips,
    context.frame.wcs,
    context.frame,
    (i) => prepare(chips[i]),
    context.workers,
    (i) => nodes.get(chips[i])!,
  );
  // the frame's context planes, the map buffer and the chips' shared inputs are garbage now: ~300 MB a WFC
  // exposure that V8 would otherwise keep through the next exposures' singles
  collectGarbage();
  return { sci: frame.sci, wht: frame.wht };
}

export interface ChipBlot {
  options: BlotOptions;
  conversion: number;
  sky: number;
}

/** The median blotted onto every chip on workers, in the chip's data units with its sky (`of(chip)` says how). */
export async function blotsOnWorkers(
  context: StageContext,
  median: Float32Array,
  of: (chip: InputChip) => ChipBlot,
): Promise<Map<InputChip, Float32Array>> {
  const { width, height } = context.frame;
  const source = { width, height, data: sharedCopyOf(median) };
  const blots = new Map<InputChip, Float32Array>();
  const jobs = context.chips.flatMap((chip) => {
    const out = new Float32Array(new SharedArrayBuffer(4 * chip.width * chip.height));
    blots.set(chip, out);
    const nodes = sharedCopyOf(context.nodes!.get(chip)!);
    const blocks = [];
    for (let first = 0; first < chip.height; first += BLOT_ROWS_PER_TASK) {
      const rows: [number, number] = [first, Math.min(chip.height, first + BLOT_ROWS_PER_TASK)];
      blocks.push({ median: source, nodes, height: chip.height, rows, ...of(chip), out });
    }
    return blocks;
  });
  const pool = new WorkerPool(Math.min(context.workers, jobs.length));
  try {
    await pool.run(task("blotRows"), jobs);
  } finally {
    await pool.close();
  }
  return blots;
}

/** Each chip's driz_cr mask on workers (the chips' SCI and blots are in shared memory: nothing is copied). */
export async function crMasksOnWorkers(context: StageContext, jobs: ChipCrMaskArgs[]): Promise<Uint8Array[]> {
  const pool = new WorkerPool(Math.min(context.workers, jobs.length));
  try {
    return await pool.run(crTask("chipCrMask"), jobs);
  } finally {
    await pool.close();
  }
}

/** minmed by bands of rows on workers (the singles and weights are in shared memory; the masks are copied there). */
export async function minMedOnWorkers(
  context: StageContext,
  input: MinMedInput,
  width: number,
  options: MinMedOptions,
): Promise<Float32Array> {
  const bands = minMedBands(input, width, options);
  const masks = input.masks?.map((m) => {
    const copy = new Uint8Array(new SharedArrayBuffer(m.length));
    copy.set(m);
    return copy;
  });
  const shared = { ...input, images: input.images.map(sharedCopyOf), weights: input.weights.map(sharedCopyOf), masks };
  const out = new Float32Array(new SharedArrayBuffer(4 * input.images[0].length));
  const pool = new WorkerPool(Math.min(context.workers, bands.length));
  try {
    await pool.run(
      medianTask("minMedRows"),
      bands.map((rows) => ({ input: shared, width, options, rows, out })),
    );
  } finally {
    await pool.close();
  }
  return out;
}
