/**
 * ACSCCD's step table (hstcal doccd.c): DQICORR, BIASCORR, BLEVCORR and SINKCORR of one exposure, each
 * over all its image sets, run and recorded by the step framework (switch, HISTORY, wall and CPU time).
 */

import type { BpixRow } from "../common/bpixtab.js";
import { referenceLines } from "../common/ccd-history.js";
import type { ImageSet } from "../common/imset.js";
import type { ReferenceImage } from "../common/reference-image.js";
import { requiredReference, type StepDescriptor, standardWording } from "../common/steps.js";
import type { SwitchState } from "../common/switches.js";
import { subtractBias } from "./biascorr.js";
import { type BlevcorrOutcome, type BlevExposure, performBlevcorr } from "./blev-postsm4.js";
import { blevHistory } from "./blevcorr.js";
import type { AcsCcdParameters } from "./ccd-parameters.js";
import { DQI_HISTORY, dqiWithTable } from "./dqicorr.js";
import type { OverscanRegions } from "./oscntab.js";
import type { RowReference } from "./reference-rows.js";
import { flagSinkPixels } from "./sink.js";

/** What ACSCCD's steps work on: every image set of the exposure, with what was found for it. */
export interface AcsCcdStepInput {
  sets: ImageSet[];
  sdqflags: number[];
  parameters: AcsCcdParameters[];
  overscans: OverscanRegions[];
  exposure: BlevExposure & { detector: "WFC" | "HRC"; ccdamp: string; ccdgain: number };
  DQICORR: SwitchState;
  references: {
    bpixtab?: {
      name: string;
      pedigree?: string;
      descrip?: string;
      rows: readonly BpixRow[];
      gainColumnIsInteger?: boolean;
    };
    bias?: RowReference;
    satufile?: RowReference;
    oscntab: { name: string; pedigree?: string; descrip?: string };
    snkcfile?: ReferenceImage;
  };
  /** Whether BIASCORR subtracted the bias (set by the step: a deferred ERR then takes the bias's in quadrature). */
  biasSubtracted?: boolean;
  /** BLEVCORR's result per image set (set by the step). */
  blev: BlevcorrOutcome;
}

export const ACSCCD_WORDING = standardWording(referenceLines);

export const ACSCCD_DQICORR: StepDescriptor<AcsCcdStepInput> = {
  switch: "DQICORR",
  phase: "ccd",
  references: [{ keyword: "BPIXTAB", kind: "table", optional: true }],
  standalone: true,
  alsoRunsWhen: ["DUMMY"],
  loaded: ({ references }) => ({ BPIXTAB: references.bpixtab }),
  run: ({ sets, parameters, exposure, DQICORR, references }) => {
    const table = DQICORR === "PERFORM" ? references.bpixtab : undefined;
    sets.forEach((set, k) => {
      dqiWithTable(set, exposure.detector, parameters[k].atodsat, exposure, table);
    });
    return undefined;
  },
  notes: () => [DQI_HISTORY.saturation],
  wording: { referenceLines: (kind, table) => [DQI_HISTORY.table, ...referenceLines(kind, table)] },
};

export const ACSCCD_BIASCORR: StepDescriptor<AcsCcdStepInput> = {
  switch: "BIASCORR",
  phase: "ccd",
  references: [
    { keyword: "BIASFILE", kind: "image" },
    { keyword: "SATUFILE", kind: "image", unrecorded: true },
  ],
  standalone: true,
  loaded: ({ references }) => ({ BIASFILE: references.bias, SATUFILE: references.satufile }),
  run: (input) => {
    const bias = requiredReference(input.references.bias, "BIASFILE", "BIASCORR");
    for (const set of input.sets) subtractBias(set, bias.imsets, bias.readRows);
    input.biasSubtracted = true;
    return undefined;
  },
};

/** hstcal reports the last image set's outcome, and writes COMPLETE even for a dummy OSCNTAB. */
export const ACSCCD_BLEVCORR: StepDescriptor<AcsCcdStepInput> = {
  switch: "BLEVCORR",
  phase: "ccd",
  references: [{ keyword: "OSCNTAB", kind: "table" }],
  standalone: true,
  loaded: ({ references }) => ({ OSCNTAB: references.oscntab }),
  run: (input) => {
    const imsets = input.sets.map((set, k) => ({
      set,
      parameters: input.parameters[k],
      overscan: input.overscans[k],
      sdqflags: input.sdqflags[k],
    }));
    input.blev = performBlevcorr(imsets, input.exposure);
    return undefined;
  },
  notes: ({ blev }) => {
    const last = blev.results[blev.results.length - 1];
    return [...blev.history, ...blevHistory(last?.fromOverscan ?? false, last?.driftCorrected ?? false)];
  },
  wording: { switchLine: () => undefined },
};

export const ACSCCD_SINKCORR: StepDescriptor<AcsCcdStepInput> = {
  switch: "SINKCORR",
  phase: "ccd",
  references: [{ keyword: "SNKCFILE", kind: "image", optional: true }],
  loaded: ({ references }) => ({ SNKCFILE: references.snkcfile }),
  run: ({ sets, references }) => {
    const sink = requiredReference(references.snkcfile, "SNKCFILE", "SINKCORR");
    for (const set of sets) flagSinkPixels(set, sink.imsets);
    return undefined;
  },
};
