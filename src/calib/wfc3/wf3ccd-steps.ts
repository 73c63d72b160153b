/**
 * WF3CCD's step table (hstcal wf3ccd/doccd.c, wf3hist.c): DQICORR, ATODCORR, BLEVCORR, BIASCORR and FLSHCORR
 * of one UVIS chip, run and recorded by the step framework (switch, HISTORY, wall and CPU time). hstcal
 * writes the HISTORY of the first chip only.
 */
import { type ReferenceNote, referenceLines } from "../common/ccd-history.js";
import type { ImageSet } from "../common/imset.js";
import { type HistoryWording, requiredReference, type StepDescriptor, standardWording } from "../common/steps.js";
import { ampsOfChip } from "./uvis-amps.js";
import { applyAtod } from "./uvis-atod.js";
import { subtractUvisBias } from "./uvis-bias.js";
import { subtractUvisBiasLevel, type UvisBlevResult } from "./uvis-blev.js";
import { uvisDqi } from "./uvis-dqicorr.js";
import { subtractUvisFlash } from "./uvis-flash.js";
import { flagOverscanSaturation } from "./uvis-fullwell.js";
import type { Wf3CcdInput } from "./wf3ccd-types.js";

/** What WF3CCD's steps work on: the chip in place, and what earlier steps found. */
export interface Wf3CcdRun {
  set: ImageSet;
  input: Wf3CcdInput;
  /** The SATUFILE map replaces the scalar full well (with BIASCORR). */
  saturationMap: boolean;
  /** Whether this chip writes the HISTORY (the first of its exposure). */
  record: boolean;
  blev?: UvisBlevResult;
  atodSaturated?: number;
  meanflsh?: number;
}

export const WF3CCD_WORDING = standardWording(referenceLines);

const withIntro = (intro: string): Partial<HistoryWording> => ({
  referenceLines: (kind, ref) => [intro, ...referenceLines(kind, ref)],
});
const notesOf = (run: Wf3CcdRun): Partial<Record<string, ReferenceNote>> => run.input.notes ?? {};

export const UVIS_DQICORR: StepDescriptor<Wf3CcdRun> = {
  switch: "DQICORR",
  phase: "ccd",
  standalone: true,
  references: [{ keyword: "BPIXTAB", kind: "table", optional: true }],
  loaded: (run) => ({ BPIXTAB: notesOf(run).BPIXTAB }),
  run: ({ set, input, saturationMap }) => {
    const { params, overscan } = input;
    const twoAmps = ampsOfChip(params.ccdamp, params.ccdchip).length > 1;
    uvisDqi(set, {
      saturate: params.saturate,
      bpixtab: input.bpixtab,
      selection: { ccdamp: params.ccdamp, ccdgain: params.ccdgain, ccdchip: params.ccdchip },
      ampx: params.ampx,
      middleOverscan: twoAmps ? overscan.trimx3 + overscan.trimx4 : 0,
      binx: input.binning[0],
      biny: input.binning[1],
      scratchSize: input.bpixSize,
      scalarSaturation: !saturationMap,
    });
    if (saturationMap) flagOverscanSaturation(set, params, overscan, input.subarray === true);
    return undefined;
  },
  notes: () => ["  values checked for saturation"],
  wording: withIntro("  DQ array initialized ..."),
};

/** A DUMMY ATODTAB (decided with the row, by the program) skips the step and names no file. */
export const UVIS_ATODCORR: StepDescriptor<Wf3CcdRun> = {
  switch: "ATODCORR",
  phase: "ccd",
  references: [{ keyword: "ATODTAB", kind: "table" }],
  loaded: (run) => ({ ATODTAB: notesOf(run).ATODTAB }),
  run: (run) => {
    run.atodSaturated = applyAtod(run.set, requiredReference(run.input.atod, "ATODTAB", "ATODCORR").values);
    return undefined;
  },
  wording: { referenceLines: (kind, ref, outcome) => (outcome === "COMPLETE" ? referenceLines(kind, ref) : []) },
};

export const UVIS_BLEVCORR: StepDescriptor<Wf3CcdRun> = {
  switch: "BLEVCORR",
  phase: "ccd",
  standalone: true,
  references: [{ keyword: "OSCNTAB", kind: "table" }],
  loaded: (run) => ({ OSCNTAB: notesOf(run).OSCNTAB }),
  run: (run) => {
    run.blev = subtractUvisBiasLevel(run.set, run.input.params, run.input.overscan, run.input.sdqflags);
    return undefined;
  },
  notes: ({ blev }) => [
    blev && !blev.noOverscan
      ? "BLEVCORR complete; bias level from overscan was subtracted."
      : "BLEVCORR complete, but default bias level was subtracted.",
    blev?.driftCorrected
      ? "BLEVCORR includes correction for drift along lines."
      : "BLEVCORR does not include correction for drift along lines.",
  ],
  wording: { switchLine: () => undefined, ...withIntro("  Overscan region table: ") },
};

export const UVIS_BIASCORR: StepDescriptor<Wf3CcdRun> = {
  switch: "BIASCORR",
  phase: "ccd",
  standalone: true,
  references: [{ keyword: "BIASFILE", kind: "image" }],
  loaded: (run) => ({ BIASFILE: notesOf(run).BIASFILE }),
  run: ({ set, input }) => {
    const bias = requiredReference(input.bias, "BIASFILE", "BIASCORR");
    subtractUvisBias(set, bias, input.biasCcdamp ?? "", input.params.ccdamp, input.biasRows);
    return undefined;
  },
};

/** FLASHDUR ≤ 0 skips it ("not performed"); the step's own messages come before its switch line. */
export const UVIS_FLSHCORR: StepDescriptor<Wf3CcdRun> = {
  switch: "FLSHCORR",
  phase: "ccd",
  references: [{ keyword: "FLSHFILE", kind: "image" }],
  loaded: (run) => ({ FLSHFILE: notesOf(run).FLSHFILE }),
  run: (run, updates) => {
    const { input } = run;
    const flash = subtractUvisFlash(run.set, requiredReference(input.flash, "FLSHFILE", "FLSHCORR"), input.params, {
      flashdur: input.flashdur ?? 0,
      flashsta: input.flashsta ?? "",
      sdqflags: input.sdqflags,
    });
    if (run.record) updates.history.push(...flash.history);
    run.meanflsh = flash.meanflsh;
    return flash.state;
  },
};
