/**
 * The ACS step tables (calibration.md §2.0, §3.1): every step of calacs with its switch, phase and reference
 * keywords, in hstcal's order. The programs derive from them the switches they read, the references they
 * resolve (and which may be N/A), the reference images each phase loads and "nothing to do". ACSCCD's and
 * ACS2D's steps run through the step framework (acsccd-steps.ts, acs2d-steps.ts), ACSREJ's through
 * runAwaitedStep (common/rejection-step.ts: its work runs on worker threads); the MAMA's rows here only
 * describe them.
 */
import { CRCORR_STEP, RPTCORR_STEP } from "../common/rejection-step.js";
import { describedStep as described, type StepDescriptor } from "../common/steps.js";
import { DARKCORR, FLATCORR, FLSHCORR, PHOTCORR, SHADCORR } from "./acs2d-steps.js";
import { ACSCCD_BIASCORR, ACSCCD_BLEVCORR, ACSCCD_DQICORR, ACSCCD_SINKCORR } from "./acsccd-steps.js";

type Described = StepDescriptor<never>;

export const ACS_CCD_STEPS: readonly Described[] = [
  ACSCCD_DQICORR,
  ACSCCD_BIASCORR,
  ACSCCD_BLEVCORR,
  ACSCCD_SINKCORR,
  DARKCORR,
  FLSHCORR,
  FLATCORR,
  SHADCORR,
  PHOTCORR,
  described("EXPSCORR", "2d", []),
  CRCORR_STEP,
  RPTCORR_STEP,
  described("PCTECORR", "cte", []),
];

/** The SBC (MAMA): no CCD steps; the non-linearity steps after DQICORR; PFLTFILE is the only flat. */
export const ACS_SBC_STEPS: readonly Described[] = [
  described("DQICORR", "2d", [{ keyword: "BPIXTAB", kind: "table", optional: true }], true),
  described("GLINCORR", "2d", [{ keyword: "MLINTAB", kind: "table" }], true),
  described("LFLGCORR", "2d", [{ keyword: "MLINTAB", kind: "table" }], true),
  DARKCORR,
  { ...FLATCORR, references: [{ keyword: "PFLTFILE", kind: "image" }] },
  PHOTCORR,
];

/** The always-needed reference of CCD data (the CCD parameters). */
export const ACS_CCD_ALWAYS = ["CCDTAB"] as const;
