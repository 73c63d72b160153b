/** The inputs and result of WF32D for one UVIS image set. */

import type { KeywordValue } from "../common/header-updates.js";
import type { Imphttab } from "../common/imphttab.js";
import type { ImageSet } from "../common/imset.js";
import type { ReferenceImage } from "../common/reference-image.js";
import type { StepRecord } from "../common/steps.js";
import type { SwitchState } from "../common/switches.js";
import type { Wf3CcdParameters } from "./ccdtab.js";

/** WF32D's switches, keyed by their header keyword (as the step table spells them). */
export interface Wf32dSwitches {
  DARKCORR: SwitchState;
  FLATCORR: SwitchState;
  SHADCORR: SwitchState;
  PHOTCORR: SwitchState;
  FLUXCORR: SwitchState;
}

export interface Wf32dInput {
  set: ImageSet;
  params: Wf3CcdParameters;
  switches: Wf32dSwitches;
  exptime: number;
  expstart: number;
  filter: string;
  sdqflags: number;
  dark?: ReferenceImage;
  pflt?: ReferenceImage;
  shad?: ReferenceImage;
  /** SCI NCOMBINE: SHADCORR uses EXPTIME / NCOMBINE. */
  ncombine: number;
  imphttab?: Imphttab;
  /** MEANDARK's sum and count over the bands of rows done so far (runWf32dByBands). */
  darkTotals?: Float64Array;
}

export interface Wf32dResult {
  set: ImageSet;
  primary: Record<string, KeywordValue>;
  sci: Record<string, KeywordValue>;
  err: Record<string, KeywordValue>;
  history: string[];
  warnings: string[];
  /** What happened to each step (for the log and the trailer). */
  steps: StepRecord[];
}
