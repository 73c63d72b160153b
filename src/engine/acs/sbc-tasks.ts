/**
 * The SBC's pixel work as a worker-thread task: ACS2D of one image set. A module of its own, so that the
 * workers of an SBC run load the MAMA's steps only (not ACSCCD's).
 */
import { type SbcInput, sbc2d } from "../../calib/acs/sbc-2d.js";
import { CalibrationError } from "../../calib/common/errors.js";
import type { ImageSet } from "../../calib/common/imset.js";
import type { StepUpdates } from "../../calib/common/steps.js";

export interface SbcTaskArgs extends SbcInput {
  /** The raw file's name, for errors. */
  raw: string;
}

export interface SbcTaskResult {
  science: ImageSet;
  updates: StepUpdates;
}

/** The SBC's ACS2D of one image set; a calibration error names the raw file. */
export function sbcTask({ raw, ...input }: SbcTaskArgs): SbcTaskResult {
  try {
    return { science: input.science, updates: sbc2d(input) };
  } catch (e) {
    if (e instanceof CalibrationError) throw new CalibrationError(e.code, `${raw}: ${e.message}`, { step: e.step });
    throw e;
  }
}
