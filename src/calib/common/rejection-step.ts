/**
 * ACSREJ and WF3REJ in the step tables: CRCORR (RPTCORR for repeated exposures) combines an association's
 * exposures into its product, rejecting cosmic rays (cr-reject.ts); CRREJTAB is required; the product's
 * CRCORR becomes COMPLETE. The pixel work runs on worker threads, so a program runs this step through
 * runAwaitedStep. hstcal writes no HISTORY for it: the rejection parameters are keywords of the product.
 */
import type { HistoryWording, RecordedReference, StepDescriptor, StepReference } from "./steps.js";

export interface RejectionStepInput {
  crrejtab?: RecordedReference;
}

const CRREJTAB: StepReference = { keyword: "CRREJTAB", kind: "table" };

export const REJECTION_WORDING: HistoryWording = { switchLine: () => undefined, referenceLines: () => [] };

function rejectionStep(name: "CRCORR" | "RPTCORR"): StepDescriptor<RejectionStepInput> {
  return {
    switch: name,
    phase: "rej",
    references: [CRREJTAB],
    loaded: (input) => ({ CRREJTAB: input.crrejtab }),
    wording: REJECTION_WORDING,
  };
}

/** The rejection as recorded in the product (CRCORR = COMPLETE, whichever switch asked for it). */
export const CRCORR_STEP = rejectionStep("CRCORR");
/** Repeated exposures ask for the same rejection (WF3REJ); described for the switches and references. */
export const RPTCORR_STEP = rejectionStep("RPTCORR");
