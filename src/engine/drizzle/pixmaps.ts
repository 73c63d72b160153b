/**
 * The pixel maps of every chip onto the output frame, computed by blocks of rows on worker threads (the
 * distortion and its sky-to-sky rotation are most of the stage's time); small inputs stay on this thread,
 * where starting workers would cost more than it saves.
 */
import { availableParallelism } from "node:os";
import type { Wcs } from "../../wcs/index.js";
import { pixelMap } from "../../wcs/index.js";
import { taskModule, WorkerPool } from "../worker-pool.js";
import { sharedCopyOf } from "./final-drizzle-workers.js";
import { type MappedChip, steppedPixelMap } from "./stepped-map.js";

const task = taskModule<typeof import("./pixmap-tasks.js")>(new URL("./pixmap-tasks.js", import.meta.url));
const ROWS_PER_TASK = 256;
/**
 * Below this many input pixels in all, no worker is started (4 HRC-size chips map in ~1 s on one thread; a
 * full-frame ACS/WFC dither is 67 M pixels).
 */
export const WORKER_THRESHOLD = 16_000_000;

export type { MappedChip } from "./stepped-map.js";

/** Each chip's map onto `output`: exact (stepsize 0) or interpolated every `stepsize` pixels as AstroDrizzle's. */
export async function pixelMaps(
  chips: MappedChip[],
  output: Wcs,
  workers = availableParallelism(),
  stepsize = 0,
  threshold = WORKER_THRESHOLD,
): Promise<Float64Array[]> {
  if (stepsize > 0) return chips.map((c) => steppedPixelMap(c, output, stepsize));
  const pixels = chips.reduce((n, c) => n + c.width * c.height, 0);
  if (workers <= 1 || pixels < threshold) return chips.map((c) => pixelMap(c.wcs, output, c.width, c.height));
  const sharedOutput = sharedCopyOf(output);
  const jobs = chips.flatMap((chip, index) => {
    // the WCS's lookup tables shared, not moved: every block of the chip needs them
    const input = sharedCopyOf(chip.wcs);
    const blocks = [];
    for (let first = 0; first < chip.height; first += ROWS_PER_TASK) {
      const rows: [number, number] = [first, Math.min(chip.height, first + ROWS_PER_TASK)];
      blocks.push({ index, args: { input, output: sharedOutput, width: chip.width, height: chip.height, rows } });
    }
    return blocks;
  });
  const maps = chips.map((c) => new Float64Array(2 * c.width * c.height));
  const pool = new WorkerPool(Math.min(workers, jobs.length));
  try {
    await pool.each(
      task("pixelMapRows"),
      jobs.map((j) => j.args),
      (block, k) => {
        const { index, args } = jobs[k];
        maps[index].set(block, 2 * args.rows[0] * args.width);
      },
    );
  } finally {
    await pool.close();
  }
  return maps;
}
