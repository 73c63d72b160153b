/**
 * The WFC3 step tables (calibration.md §4, §5, §3): every step of calwf3 with its switch, phase and reference
 * keywords, in hstcal's order, for UVIS and IR. The programs derive from them the switches they read, the
 * references they resolve and "nothing to do". WF32D's steps run through the step framework
 * (wf32d-steps.ts); WF3CCD's, WF3REJ's and WF3IR's are described here and still run by their own modules.
 */
import { describedStep as described, type StepDescriptor, type StepReference } from "../common/steps.js";
import { DARKCORR, FLATCORR, FLUXCORR, PHOTCORR, SHADCORR } from "./wf32d-steps.js";

type Described = StepDescriptor<never>;

const BPIXTAB: StepReference = { keyword: "BPIXTAB", kind: "table", optional: true };
const CRREJTAB: StepReference = { keyword: "CRREJTAB", kind: "table" };
const NLINFILE: StepReference = { keyword: "NLINFILE", kind: "image" };

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

/** WF3IR: any switch PERFORM is something to do. */
export const IR_STEPS: readonly Described[] = [
  described("DQICORR", "ir", [BPIXTAB], true),
  described("ZSIGCORR", "ir", [NLINFILE], true),
  described("BLEVCORR", "ir", [], true),
  described("ZOFFCORR", "ir", [], true),
  described("NOISCORR", "ir", [], true),
  described("NLINCORR", "ir", [NLINFILE], true),
  described("DARKCORR", "ir", [{ keyword: "DARKFILE", kind: "image" }], true),
  described("PHOTCORR", "ir", [{ keyword: "IMPHTTAB", kind: "table" }], true),
  described("UNITCORR", "ir", [], true),
  described("CRCORR", "ir", [CRREJTAB], true),
  described("FLATCORR", "ir", [{ keyword: "PFLTFILE", kind: "image" }], true),
];
