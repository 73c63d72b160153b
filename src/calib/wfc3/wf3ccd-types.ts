/** WF3CCD's inputs and results (wf3ccd.ts), apart so that the step table can name them. */

import type { BpixRow } from "../common/bpixtab.js";
import type { ReferenceNote } from "../common/ccd-history.js";
import type { KeywordValue } from "../common/header-updates.js";
import type { ImageSet } from "../common/imset.js";
import type { StepRecord } from "../common/steps.js";
import type { SwitchState } from "../common/switches.js";
import type { Wf3CcdParameters } from "./ccdtab.js";
import type { Wf3Overscan } from "./oscntab.js";
import type { AtodCorrection } from "./uvis-atod.js";
import type { UvisBlevResult } from "./uvis-blev.js";

/** WF3CCD's switches, keyed by their header keyword (as the step table spells them). */
export interface Wf3CcdSwitches {
  DQICORR: SwitchState;
  /** PERFORM needs `atod` (absent = OMIT). */
  ATODCORR?: SwitchState;
  BLEVCORR: SwitchState;
  BIASCORR: SwitchState;
  FLSHCORR: SwitchState;
}

export interface Wf3CcdInput {
  set: ImageSet;
  sdqflags: number;
  params: Wf3CcdParameters;
  overscan: Wf3Overscan;
  switches: Wf3CcdSwitches;
  bpixtab?: readonly BpixRow[];
  /** BPIXTAB header SIZAXIS1/SIZAXIS2 (needed for binned data). */
  bpixSize?: [number, number];
  bias?: readonly ImageSet[];
  /** Reads rows of a `bias` image set held without pixels (the BIASFILE read a band at a time). */
  biasRows?: (set: ImageSet, y0: number, y1: number) => ImageSet;
  /** CCDAMP of the BIASFILE's primary header (a 4-amp bias shifts B/D subarrays past its middle columns). */
  biasCcdamp?: string;
  /** SATUFILE imsets (e, untrimmed): with BIASCORR they replace the scalar full well on science pixels. */
  satufile?: readonly ImageSet[];
  /** Primary SUBARRAY = T. */
  subarray?: boolean;
  /** FLSHFILE imsets and the primary FLASHDUR / FLASHSTA, for FLSHCORR. */
  flash?: { imsets: readonly ImageSet[] };
  flashdur?: number;
  flashsta?: string;
  binning: [number, number];
  /** The ATODTAB row's correction array chosen for this exposure (ATODCORR). */
  atod?: AtodCorrection;
  /** SNKCFILE imsets (untrimmed, in file order), the primary EXPSTART and this chip's imset number (EXTVER). */
  sink?: { imsets: readonly ImageSet[]; expstart: number; extver: number };
  /** The reference files as HISTORY names them, by keyword (CCDTAB with its row's DESCRIP). */
  notes?: Partial<Record<string, ReferenceNote>>;
  /** Write the switches and HISTORY (hstcal: the first chip of the exposure only). */
  record?: boolean;
}

export interface Wf3CcdResult {
  set: ImageSet;
  trimmed: boolean;
  blev?: UvisBlevResult;
  crpixShift: [number, number];
  sci: Record<string, string | number>;
  /** The switches the steps completed or skipped (when recording). */
  primary: Record<string, KeywordValue>;
  /** WF3CCD's HISTORY in hstcal's order (when recording). */
  history: string[];
  /** What each step did, with its wall and CPU time. */
  steps: StepRecord[];
  /** ATODCORR done: pixels at or past the end of the correction array (flagged SATPIXEL). */
  atodSaturated?: number;
  /** Sink-pixel detection (with DQICORR): pixels newly flagged TRAP, or skipped for binned data. */
  sink?: { flagged: number } | { skipped: "binned" };
}
