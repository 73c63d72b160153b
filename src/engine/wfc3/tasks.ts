/** IR pixel work as a worker-thread task: CRCORR on a band of rows (UVIS tasks are in uvis-tasks.ts). */
import { type CrBandInput, type CrBandOutput, rejectBand } from "../../calib/wfc3/ir-crcorr.js";
import { collectGarbage } from "../worker-pool.js";

export function irCrBandTask(args: CrBandInput): CrBandOutput {
  return rejectBand(args);
}

/** Frees what the worker's last exposure left (a pool shared by exposures does not end between them). */
export function collectGarbageTask(_args: Record<string, never>): void {
  collectGarbage();
}
