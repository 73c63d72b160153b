/** IR pixel work as a worker-thread task: CRCORR on a band of rows (UVIS tasks are in uvis-tasks.ts). */
import { type CrBandInput, type CrBandOutput, rejectBand } from "../../calib/wfc3/ir-crcorr.js";

export function irCrBandTask(args: CrBandInput): CrBandOutput {
  return rejectBand(args);
}
