/** The CCD parameters table in HISTORY (hstcal wf3hist.c CCDHistory), before WF3CCD's and WF32D's steps. */
import { type ReferenceNote, referenceLines } from "../common/ccd-history.js";

export type { ReferenceNote };

/** CCDHistory: written by WF3CCD and again by WF32D. */
export function ccdTableHistory(ccdtab: ReferenceNote): string[] {
  return ["CCD parameters table: ", ...referenceLines("table", ccdtab)];
}
