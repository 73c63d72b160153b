/** The inputs of ACS2D for one image set: switches, header values, references and the instrument's hooks. */
import type { HeaderUpdates } from "../common/header-updates.js";
import type { Imphttab } from "../common/imphttab.js";
import type { ImageSet } from "../common/imset.js";
import type { ReferenceImage } from "../common/reference-image.js";
import type { StepRecord } from "../common/steps.js";
import type { SwitchState } from "../common/switches.js";
import type { AcsCcdParameters } from "./ccd-parameters.js";
import type { FlatReferences } from "./flat.js";

export type AcsDetector = "WFC" | "HRC" | "SBC";

/** Switch states after readSwitch/effectiveSwitch (COMPLETE steps already turned into OMIT). */
export interface Acs2dSwitches {
  DQICORR: SwitchState;
  DARKCORR: SwitchState;
  FLSHCORR: SwitchState;
  FLATCORR: SwitchState;
  SHADCORR: SwitchState;
  PHOTCORR: SwitchState;
  EXPSCORR: SwitchState;
}

export interface Acs2dKeywords {
  detector: AcsDetector;
  /** SCI BUNIT. */
  bunit: string;
  /** SCI SDQFLAGS (65535 when absent). */
  sdqflags: number;
  /** Primary BLEVCORR as read (the CCD must have it COMPLETE). */
  blevcorr: SwitchState;
  darktime: number;
  flashdur: number;
  flashsta: string;
  exptime: number;
  /** SCI NCOMBINE (1 when absent). */
  ncombine: number;
  expstart: number;
  filter1: string;
  filter2: string;
  obstype: string;
  lrfwave?: number;
}

export interface Acs2dReferences {
  /** DARKFILE, or DRKCFILE for the CTE-corrected branch. */
  dark?: ReferenceImage;
  flash?: ReferenceImage;
  flats?: FlatReferences;
  shading?: ReferenceImage;
  imphttab?: Imphttab;
}

/** Steps written by other modules; each receives the imset and whether it is the first (EXTVER 1). */
export interface Acs2dHooks {
  /** Its step records, if it ran through the step framework, join ACS2D's. */
  dqicorr?: (science: ImageSet, firstImset: boolean) => (Partial<HeaderUpdates> & { steps?: StepRecord[] }) | undefined;
  /** MAMA GLINCORR / LFLGCORR, right after DQICORR (switches, HISTORY and GLOBLIM are its own). */
  nonlinearity?: (
    science: ImageSet,
    firstImset: boolean,
  ) => (Partial<HeaderUpdates> & { steps?: StepRecord[] }) | undefined;
  toElectrons?: (science: ImageSet) => void;
  /** Fills ERR; returns false when it did not. */
  initErrors?: (science: ImageSet) => boolean;
}

export interface Acs2dInput {
  science: ImageSet;
  /** Primary-header switches and HISTORY are written for the first imset only, as hstcal does. */
  firstImset: boolean;
  switches: Acs2dSwitches;
  keywords: Acs2dKeywords;
  references: Acs2dReferences;
  hooks?: Acs2dHooks;
  /** The CCDTAB row, for the ATODGN / READNSE primary keywords (CCD only). */
  ccd?: AcsCcdParameters;
}
