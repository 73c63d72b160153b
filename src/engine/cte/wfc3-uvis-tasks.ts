/**
 * WF3CTE's worker task: a range of RAZ columns corrected. The electrons come in shared memory (one copy for
 * every worker); the trap model is read from the PCTETAB once per worker.
 */
import { correctUvisColumns } from "../../calib/wfc3/cte-image.js";
import { cachedReference } from "../program-files.js";
import { readPctetab } from "./pctetab.js";

export interface UvisCteColumnsArgs {
  /** The RAZ image in electrons, column-major, backed by a SharedArrayBuffer. */
  electrons: Float32Array;
  pctetab: string;
  scaleFraction: number;
  forwardIterations: number;
  parallelTransfers: number;
  threshold: number;
  readNoise: number;
  first: number;
  end: number;
}

export function uvisCteColumnsTask(a: UvisCteColumnsArgs): Float32Array {
  const table = cachedReference(`pctetab:${a.pctetab}`, () => readPctetab(a.pctetab, "WFC3"));
  const settings = { ...a, model: table.parallel.model };
  return correctUvisColumns(a.electrons, a.scaleFraction, settings, a.first, a.end);
}
