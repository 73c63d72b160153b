/**
 * The final drizzle on worker threads, chip after chip in stage order: the chip's pixel map is computed by
 * blocks of rows on every worker into shared memory, then the output frame (shared) is cut into bands of rows
 * and each worker drizzles the chip into the bands it takes, from the input pixels that can reach them
 * (final-drizzle-tasks.ts). Bands never share an output pixel, and within a band the pixels of the chip go in
 * input order, so every output pixel gets the same updates in the same order as one thread drizzling the
 * chips one after the other: SCI, WHT and CTX are bit-identical to it whatever the number of workers and
 * however the tasks are scheduled.
 */
import { contextPlanesFor } from "../../calib/drizzle/c-math.js";
import type { DrizzleOptions } from "../../calib/drizzle/drizzle.js";
import type { DrizzleFrame } from "../../calib/drizzle/types.js";
import type { Wcs } from "../../wcs/index.js";
import { taskModule, WorkerPool } from "../worker-pool.js";
import { DrizzleStageError } from "./errors.js";
import { rowRanges } from "./final-drizzle-tasks.js";
import type { InputChip } from "./inputs.js";
import type { SteppedNodes } from "./stepped-map.js";

const task = taskModule<typeof import("./final-drizzle-tasks.js")>(
  new URL("./final-drizzle-tasks.js", import.meta.url),
);
const MAP_ROWS_PER_TASK = 128;
const BAND_ROWS = 192;

/** What the stage gives one chip's drizzle: its count rates or counts less sky, weights and kernel options. */
export interface ChipDrizzleInput {
  data: Float32Array;
  weights: Float32Array;
  options: DrizzleOptions;
}

function shared<T extends Float32Array | Float64Array | Int32Array>(array: T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const Ctor = array.constructor as new (buffer: SharedArrayBuffer) => T;
  const copy = new Ctor(new SharedArrayBuffer(array.byteLength));
  copy.set(array);
  return copy;
}

/** A zeroed float32 array in shared memory: the workers read it as it is, without a copy. */
export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(4 * length));
}

/** The data less `sky` in shared memory (the data itself when the sky is 0), as `data.map((v) => v - sky)`. */
export function lessSky(data: Float32Array, sky: number): Float32Array {
  if (sky === 0) return data;
  const out = sharedFloat32(data.length);
  for (let k = 0; k < data.length; k++) out[k] = data[k] - sky;
  return out;
}

/** `value` with every typed array copied into shared memory (so that tasks share, not move, a WCS's tables). */
export function sharedCopyOf<T>(value: T): T {
  if (value instanceof Float32Array || value instanceof Float64Array || value instanceof Int32Array)
    return shared(value) as T;
  if (Array.isArray(value)) return value.map(sharedCopyOf) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sharedCopyOf(v)])) as T;
  }
  return value;
}

/** Output pixels an input pixel's kernel reaches from its mapped centre, with room for distortion and rounding. */
function reachOf(options: DrizzleOptions): number {
  return 2 + (3 * Math.max(1, options.pixfrac ?? 1)) / (options.scale ?? 1);
}

/** An empty frame (as createFrame's) in shared memory. */
function sharedFrame(width: number, height: number, images: number): DrizzleFrame {
  const n = width * height;
  const sci = new Float32Array(new SharedArrayBuffer(4 * n));
  const wht = new Float32Array(new SharedArrayBuffer(4 * n));
  return { width, height, sci, wht, ctx: new Int32Array(new SharedArrayBuffer(4 * n * contextPlanesFor(images))) };
}

/**
 * A `width` × `height` frame (SCI, WHT, CTX in shared memory) on the `output` grid with every chip drizzled in,
 * in order; `prepare(i)` gives chip i's input, `mapOf(i)` its pixel map when the stage has made it, or its
 * stepped map's nodes for the workers to interpolate (else the workers compute the exact map).
 */
export async function finalDrizzleOnWorkers(
  chips: InputChip[],
  output: Wcs,
  size: { width: number; height: number },
  prepare: (index: number) => ChipDrizzleInput,
  workers: number,
  mapOf?: (index: number) => Float64Array | SteppedNodes,
): Promise<DrizzleFrame> {
  const frame = sharedFrame(size.width, size.height, chips.length);
  const largest = Math.max(...chips.map((c) => c.width * c.height));
  const mapBuffer = new Float64Array(new SharedArrayBuffer(16 * largest));
  const sharedOutput = sharedCopyOf(output);
  const pool = new WorkerPool(workers);
  try {
    for (const [index, chip] of chips.entries()) {
      const { width, height } = chip;
      const map = mapBuffer.subarray(0, 2 * width * height);
      const yRange = new Float64Array(new SharedArrayBuffer(16 * height));
      const source = mapOf?.(index);
      if (source instanceof Float64Array) {
        map.set(source);
        rowRanges(map, width, [0, height], yRange);
      } else if (source) {
        const nodes = sharedCopyOf(source);
        const blocks = [];
        for (let first = 0; first < height; first += MAP_ROWS_PER_TASK) {
          const rows: [number, number] = [first, Math.min(height, first + MAP_ROWS_PER_TASK)];
          blocks.push({ nodes, rows, map, yRange });
        }
        await pool.run(task("steppedRowsInto"), blocks);
      } else {
        const input = sharedCopyOf(chip.wcs);
        const blocks = [];
        for (let first = 0; first < height; first += MAP_ROWS_PER_TASK) {
          const rows: [number, number] = [first, Math.min(height, first + MAP_ROWS_PER_TASK)];
          blocks.push({ input, output: sharedOutput, width, height, rows, map, yRange });
        }
        await pool.run(task("mapRowsInto"), blocks);
      }
      const prepared = prepare(index);
      const { options } = prepared;
      const common = { width, height, data: shared(prepared.data), weights: shared(prepared.weights), map, yRange };
      const bands = [];
      for (let first = 0; first < frame.height; first += BAND_ROWS) {
        const rows: [number, number] = [first, Math.min(frame.height, first + BAND_ROWS)];
        bands.push({ ...common, frame, rows, reach: reachOf(options), options });
      }
      const visited = await pool.run(task("drizzleBand"), bands);
      if (visited.every((n) => n === 0)) {
        throw new DrizzleStageError(`[SCI,${chip.extver}] falls outside the output frame (no overlap)`, chip.file);
      }
    }
  } finally {
    await pool.close();
  }
  return frame;
}
