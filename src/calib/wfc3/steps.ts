/**
 * The WFC3 step tables (calibration.md §4, §5, §3): every step of calwf3 with its switch, phase and reference
 * keywords, in hstcal's order, for UVIS and IR. The programs derive from them the switches they read, the
 * references they resolve and "nothing to do". WF32D's steps run through the step framework
 * (wf32d-steps.ts), WF3IR's too (wf3ir-steps.ts); WF3CCD's and WF3REJ's are described here and still run
 * by their own modules.
 */
import { describedStep as described, type StepDescriptor, type StepReference } from "../common/steps.js";
import { IR_FINISH_STEPS, IR_RAMP_STEPS, IR_RATE_STEPS, IR_UNIT_STEPS } from "./wf3ir-steps.js";
import { DARKCORR, FLATCORR, FLUXCORR, PHOTCORR, SHADCORR } from "./wf32d-steps.js";

type Described = StepDescriptor<never>;

const BPIXTAB: StepReference = { keyword: "BPIXTAB", kind: "table", optional: true };
const CRREJTAB: StepReference = { keyword: "CRREJTAB", kind: "table" };

/** Always resolved: WF3CCD and WF3IR read the overscan layout whatever BLEVCORR says (hstcal FindOverscan). */
export const WFC3_ALWAYS = ["CCDTAB", "OSCNTAB"] as const;

export const UVIS_STEPS: readonly Described[] = [
  // calwf3 stops without a sink-pixel map whenever DQICORR runs (calibration.md Appendix).
  described("DQICORR", "ccd", [BPIXTAB, { keyword: "SNKCFILE", kind: "image" }], true),
  described("ATODCORR", "ccd", [{ keyword: "ATODTAB", kind: "table" }]),
  described("BLEVCORR", "ccd", [], true),
  described("BIASCORR", "ccd", [{ keyword: "BIASFILE", kind: "image" }], true),
  described("FLSHCORR", "ccd", [{ keyword: "FLSHFILE", kind: "image" }]),
  described("CRCORR", "rej", [CRREJTAB]),
  described("RPTCORR", "rej", [CRREJTAB]),
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
