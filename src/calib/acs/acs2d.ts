/**
 * ACS2D for one imset (calibration.md §2.11): CCD sanity check, DQICORR (hook), conversion to
 * electrons (hook), ERR initialisation when ERR is all zero (hook), then the step table of acs2d-steps.ts
 * (DARKCORR, FLSHCORR, FLATCORR, SHADCORR, PHOTMODE, PHOTCORR) through the step framework, statistics and
 * EXPSCORR. The science image set is calibrated in place; the header changes are returned.
 * Algorithms follow hstcal (BSD-3-Clause, AURA), acs2d/do2d.c.
 */
import { CalibrationError } from "../common/errors.js";
import { emptyUpdates, mergeUpdates } from "../common/header-updates.js";
import type { ImageSet } from "../common/imset.js";
import { imageStatistics } from "../common/statistics.js";
import { runSteps, type StepRecord, type StepUpdates, standardWording } from "../common/steps.js";
import { referenceHistory, type SwitchState, switchUpdate } from "../common/switches.js";
import { ACS2D_PHOTOMETRY, ACS2D_STEPS } from "./acs2d-steps.js";
import type { Acs2dInput } from "./acs2d-types.js";
import { AMP_NAMES } from "./ccd-parameters.js";
import { photmode } from "./photmode.js";

export type {
  Acs2dHooks,
  Acs2dInput,
  Acs2dKeywords,
  Acs2dReferences,
  Acs2dSwitches,
  AcsDetector,
} from "./acs2d-types.js";

/** ACS2D's HISTORY: hstcal's switch lines, and every reference line (PEDIGREE and DESCRIP even when blank). */
export const ACS2D_WORDING = standardWording((kind, ref) =>
  referenceHistory(kind, ref.name, ref.pedigree ?? "", ref.descrip ?? ""),
);

/** Refuses CCD data whose overscan was not trimmed (hstcal OscnTrimmed). */
export function checkOverscanTrimmed(science: ImageSet, blevcorr: SwitchState): void {
  const [ltv1, ltv2] = science.geometry.ltv;
  if (blevcorr !== "COMPLETE" || ltv1 > 0 || ltv2 > 0) {
    throw new CalibrationError("CAL_STEP_NOT_DONE", "Overscan region not trimmed.  Please perform BLEVCORR.");
  }
}

export function errorsAllZero(science: ImageSet): boolean {
  for (let k = 0; k < science.err.length; k++) if (science.err[k] !== 0) return false;
  return true;
}

export function acs2d(input: Acs2dInput): StepUpdates {
  const { science, firstImset, switches, keywords, hooks = {} } = input;
  const updates = emptyUpdates();
  const ccd = keywords.detector !== "SBC";
  if (ccd) {
    checkOverscanTrimmed(science, keywords.blevcorr);
    if (input.ccd) {
      AMP_NAMES.forEach((amp, k) => {
        updates.primary[`ATODGN${amp}`] = Math.fround(input.ccd!.atodgain[k]!);
        updates.primary[`READNSE${amp}`] = Math.fround(input.ccd!.readnoise[k]!);
      });
    }
  }

  const hookSteps: StepRecord[] = [];
  if (switches.DQICORR === "PERFORM" || (switches.DQICORR === "DUMMY" && ccd)) {
    if (!hooks.dqicorr) throw new CalibrationError("CAL_STEP_NOT_DONE", "DQICORR needs the dqicorr hook");
    const dqi = hooks.dqicorr(science, firstImset) ?? {};
    mergeUpdates(updates, dqi);
    hookSteps.push(...(dqi.steps ?? []));
  }
  if (hooks.nonlinearity) {
    const nonlin = hooks.nonlinearity(science, firstImset) ?? {};
    mergeUpdates(updates, nonlin);
    hookSteps.push(...(nonlin.steps ?? []));
  }

  if (!keywords.bunit.startsWith("ELECTR")) {
    if (!hooks.toElectrons) throw new CalibrationError("CAL_STEP_NOT_DONE", "conversion to electrons needs a hook");
    hooks.toElectrons(science);
    updates.sci["BUNIT"] = "ELECTRONS";
    updates.err["BUNIT"] = "ELECTRONS";
  }

  if (errorsAllZero(science)) {
    if (!hooks.initErrors) throw new CalibrationError("CAL_STEP_NOT_DONE", "ERR initialisation needs a hook");
    if (hooks.initErrors(science) && firstImset) updates.history.push("Uncertainty array initialized.");
  }

  const options = { record: firstImset, wording: ACS2D_WORDING };
  const steps = [...hookSteps, ...runSteps(ACS2D_STEPS, input, switches, updates, options)];
  updates.sci.PHOTMODE = photmode(keywords);
  steps.push(...runSteps(ACS2D_PHOTOMETRY, input, switches, updates, options));

  const stats = imageStatistics(science, keywords.sdqflags);
  Object.assign(updates.sci, stats.sci);
  Object.assign(updates.err, stats.err);

  // hstcal updates EXPSCORR for every imset, not only the first.
  const expscorr = switchUpdate("EXPSCORR", switches.EXPSCORR);
  if (expscorr.value) updates.primary["EXPSCORR"] = expscorr.value;
  if (expscorr.history) updates.history.push(expscorr.history);
  return { ...updates, steps };
}
