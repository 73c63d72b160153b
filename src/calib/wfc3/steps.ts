/**
 * The WFC3 step tables (calibration.md §4, §5, §3): every step of calwf3 with its switch, phase and reference
 * keywords, in hstcal's order, for UVIS and IR. The programs derive from them the switches they read, the
 * references they resolve and "nothing to do". WF3CCD's, WF32D's and WF3IR's steps run through the step
 * framework (wf3ccd-steps.ts, wf32d-steps.ts, wf3ir-steps.ts), WF3REJ's through runAwaitedStep
 * (common/rejection-step.ts: its work runs on worker threads).
 */
import { CRCORR_STEP, RPTCORR_STEP } from "../common/rejection-step.js";
import { describedStep as described, type StepDescriptor, type StepReference } from "../common/steps.js";
import { UVIS_ATODCORR, UVIS_BIASCORR, UVIS_BLEVCORR, UVIS_DQICORR, UVIS_FLSHCORR } from "./wf3ccd-steps.js";
import { IR_FINISH_STEPS, IR_RAMP_STEPS, IR_RATE_STEPS, IR_UNIT_STEPS } from "./wf3ir-steps.js";
import { DARKCORR, FLATCORR, FLUXCORR, PHOTCORR, SHADCORR } from "./wf32d-steps.js";

type Described = StepDescriptor<never>;

const SNKCFILE: StepReference = { keyword: "SNKCFILE", kind: "image" };

/** Always resolved: WF3CCD and WF3IR read the overscan layout whatever BLEVCORR says (hstcal FindOverscan). */
export const WFC3_ALWAYS = ["CCDTAB", "OSCNTAB"] as const;

export const UVIS_STEPS: readonly Described[] = [
  // calwf3 stops without a sink-pixel map whenever DQICORR runs (calibration.md Appendix); wf3ccd.ts
  // flags the sinks after the DQICORR step and names the map in HISTORY itself.
  { ...UVIS_DQICORR, references: [...UVIS_DQICORR.references, SNKCFILE] },
  UVIS_ATODCORR,
  UVIS_BLEVCORR,
  UVIS_BIASCORR,
  UVIS_FLSHCORR,
  CRCORR_STEP,
  RPTCORR_STEP,
  DARKCORR,
  FLATCORR,
  SHADCORR,
  PHOTCORR,
  FLUXCORR,
  described("PCTECORR", "cte", []),
];

/** WF3IR: any switch PERFORM is something to do; NOISCORR is left PERFORM (ERR is set whenever empty). */
export const IR_STEPS: readonly Described[] = [
  ...IR_RAMP_STEPS,
  described("NOISCORR", "ir", [], true),
  ...IR_RATE_STEPS,
  ...IR_UNIT_STEPS,
  ...IR_FINISH_STEPS,
];
