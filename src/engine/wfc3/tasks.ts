/**
 * The pixel work of calwf3 as worker-thread tasks: IR CRCORR on a band of rows, UVIS WF3CCD + WF32D of
 * one chip, WF3REJ of one chip. Arguments and results are plain data.
 */
import { type CrBandInput, type CrBandOutput, rejectBand } from "../../calib/wfc3/ir-crcorr.js";

export function irCrBandTask(args: CrBandInput): CrBandOutput {
  return rejectBand(args);
}
