/**
 * calwf3: calibrates WFC3 exposures and associations like hstcal's calwf3.e (calibration.md §4, §5, §7).
 * IR exposures go through WF3IR (`_ima`, `_flt`); UVIS exposures through WF3CCD and WF32D (`_flt`), and a
 * CR-SPLIT / REPEAT association also through WF3REJ (`_crj`). Pixel work runs in worker threads.
 */
import { availableParallelism } from "node:os";
import { historySections, stepLogLine } from "../../calib/common/step-trailer.js";
import { anythingToDo, type StepRecord } from "../../calib/common/steps.js";
import { IR_STEPS } from "../../calib/wfc3/steps.js";
import { IR_SWITCHES } from "../../calib/wfc3/wf3ir.js";
import { VERSION } from "../../version.js";
import { planInputs, readRawPrimary, requireInstrument, timedPhase, writeTrailer } from "../program.js";
import type { Env } from "../reference-files.js";
import { WorkerPool } from "../worker-pool.js";
import { calibrateIr } from "./ir.js";
import { detectorOf, switchesOf } from "./keywords.js";
import { calibrateUvis } from "./uvis.js";

export const CAL_VER = `caldp ${VERSION} (native calwf3)`;

export interface Calwf3Options {
  /** Folder of the inputs and outputs. */
  dir: string;
  env: Env;
  /** One line of the trailer / log. */
  log: (line: string) => void;
  /** Worker threads (default: the machine's cores). */
  workers?: number;
}

export interface Calwf3Result {
  /** Files written (basenames). */
  outputs: string[];
  nothingToDo: string[];
}

export async function calwf3(inputs: string[], options: Calwf3Options): Promise<Calwf3Result> {
  const { dir, log } = options;
  const { roots, product } = planInputs("calwf3", inputs, dir);
  requireInstrument("calwf3", "WFC3", dir, roots);
  const outputs: string[] = [];
  const nothingToDo: string[] = [];
  const run = { dir, env: options.env, calVer: CAL_VER, workers: options.workers, log };
  const uvis: string[] = [];
  // IR exposures share one pool (its threads start with the first of them).
  let irPool: WorkerPool | undefined;
  try {
    for (const root of roots) {
      const primary = readRawPrimary(dir, root);
      if (detectorOf(primary) !== "IR") {
        uvis.push(root);
        continue;
      }
      if (!anythingToDo(IR_STEPS, switchesOf(primary, IR_SWITCHES))) {
        log(`${root}: no calibration switch is PERFORM: nothing to do`);
        nothingToDo.push(root);
        continue;
      }
      const trailer = [`CALWF3 (caldp ${VERSION}) processing ${root}_raw.fits`];
      const tee = (line: string) => {
        trailer.push(line);
        log(line);
      };
      const steps = (history: readonly string[], records: readonly StepRecord[]) => {
        for (const record of records) log(stepLogLine(record, `${root}_raw.fits`));
        trailer.push(...historySections(history, records));
      };
      irPool ??= new WorkerPool(options.workers ?? availableParallelism());
      const pool = irPool;
      const phase = await timedPhase("WF3IR", `${root}_raw.fits`, tee, () =>
        calibrateIr(root, { ...run, log: tee, steps }, pool),
      );
      outputs.push(...phase.value);
      writeTrailer(dir, `${root}.tra`, trailer);
    }
  } finally {
    await irPool?.close();
  }
  if (uvis.length > 0) {
    const result = await calibrateUvis(uvis, product, run);
    outputs.push(...result.outputs);
    nothingToDo.push(...result.nothingToDo);
  }
  for (const name of outputs) log(`wrote ${name}`);
  return { outputs, nothingToDo };
}
