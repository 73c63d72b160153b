/**
 * WF32D for one UVIS image set (calibration.md §4; hstcal wf32d/do2d.c), pure: the step table of
 * wf32d-steps.ts through the step framework: DARKCORR (DN) → FLATCORR (→ electrons) → SHADCORR (÷ 1 +
 * SHADFILE / (EXPTIME / NCOMBINE), as ACS; hstcal wf32d/doshad.c) → BUNIT, PHOTMODE → PHOTCORR → FLUXCORR
 * → statistics. Returns the SCI/ERR keyword updates, the primary switch values and the step records.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { emptyUpdates } from "../common/header-updates.js";
import { imageStatistics } from "../common/statistics.js";
import { runSteps } from "../common/steps.js";
import { wf3Photmode } from "./photometry.js";
import { WF32D_PHOTOMETRY, WF32D_STEPS, WF32D_WORDING } from "./wf32d-steps.js";
import type { Wf32dInput, Wf32dResult } from "./wf32d-types.js";

export type { Wf32dInput, Wf32dResult, Wf32dSwitches } from "./wf32d-types.js";

export function runWf32d(input: Wf32dInput): Wf32dResult {
  const { set, switches } = input;
  const updates = emptyUpdates();
  const options = { record: true, wording: WF32D_WORDING };
  const steps = runSteps(WF32D_STEPS, input, switches, updates, options);
  const bunit = steps.some((s) => s.switch === "FLATCORR" && s.outcome === "COMPLETE") ? "ELECTRONS" : "COUNTS";
  updates.sci.BUNIT = bunit;
  updates.sci.PHOTMODE = wf3Photmode("UVIS", set.chip, input.filter, input.expstart);
  steps.push(...runSteps(WF32D_PHOTOMETRY, input, switches, updates, options));
  const stats = imageStatistics(set, input.sdqflags);
  Object.assign(updates.sci, stats.sci);
  const { primary, sci, history, warnings } = updates;
  return { set, primary, sci, err: { BUNIT: bunit, ...stats.err }, history, warnings, steps };
}
