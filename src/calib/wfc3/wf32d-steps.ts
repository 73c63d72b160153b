/**
 * The WF32D step table (calibration.md §4; hstcal wf32d/do2d.c): DARKCORR (DN), FLATCORR (→ electrons),
 * SHADCORR, then PHOTCORR and FLUXCORR, each a pure function of one UVIS image set, with WF32D's HISTORY
 * wording: references are named only after a completed step, and a skipped PHOTCORR writes no line.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { referenceLines } from "../common/ccd-history.js";
import { correctShading } from "../common/shading.js";
import { type HistoryWording, type StepDescriptor, standardWording } from "../common/steps.js";
import { applyFluxCorrection } from "./fluxcorr.js";
import { wf3PhotometryKeywords } from "./photometry.js";
import { subtractUvisDark } from "./uvis-dark.js";
import { flatFieldToElectrons } from "./uvis-flat.js";
import type { Wf32dInput } from "./wf32d-types.js";

export const WF32D_WORDING: HistoryWording = standardWording((kind, ref, outcome) =>
  outcome === "COMPLETE" ? referenceLines(kind, ref) : [],
);

export const DARKCORR: StepDescriptor<Wf32dInput> = {
  switch: "DARKCORR",
  phase: "2d",
  standalone: true,
  references: [{ keyword: "DARKFILE", kind: "image" }],
  loaded: (input) => ({ DARKFILE: input.dark }),
  run: (input, updates) => {
    updates.sci.MEANDARK = subtractUvisDark(
      input.set,
      input.dark!,
      input.params,
      input.exptime,
      input.sdqflags,
      input.darkTotals,
    );
    return undefined;
  },
};

export const FLATCORR: StepDescriptor<Wf32dInput> = {
  switch: "FLATCORR",
  phase: "2d",
  standalone: true,
  references: [{ keyword: "PFLTFILE", kind: "image" }],
  loaded: (input) => ({ PFLTFILE: input.pflt }),
  run: (input) => {
    flatFieldToElectrons(input.set, input.pflt!, input.params.meanGain);
    return undefined;
  },
};

export const SHADCORR: StepDescriptor<Wf32dInput> = {
  switch: "SHADCORR",
  phase: "2d",
  references: [{ keyword: "SHADFILE", kind: "image" }],
  loaded: (input) => ({ SHADFILE: input.shad }),
  run: (input, updates) => {
    const shading = correctShading(input.set, input.shad!, {
      exptime: input.exptime,
      ncombine: Math.max(input.ncombine, 1),
    });
    updates.warnings.push(...shading.warnings);
    return shading.state;
  },
};

export const PHOTCORR: StepDescriptor<Wf32dInput> = {
  switch: "PHOTCORR",
  phase: "2d",
  standalone: true,
  references: [{ keyword: "IMPHTTAB", kind: "table" }],
  loaded: (input) => ({ IMPHTTAB: input.imphttab }),
  run: (input, updates) => {
    const phot = wf3PhotometryKeywords(String(updates.sci.PHOTMODE), input.imphttab!);
    Object.assign(updates.sci, phot.keywords);
    updates.warnings.push(...phot.warnings);
    return phot.state;
  },
  wording: { switchLine: (name, outcome) => (outcome === "COMPLETE" ? `${name} complete ...` : undefined) },
};

/** Needs PHOTCORR's PHTFLAM1/2: runs after a PHOTCORR that was PERFORM, else records nothing. */
export const FLUXCORR: StepDescriptor<Wf32dInput> = {
  switch: "FLUXCORR",
  phase: "2d",
  references: [],
  run: (input, updates) => {
    const { PHTFLAM1, PHTFLAM2 } = updates.sci;
    if (input.switches.PHOTCORR !== "PERFORM" || PHTFLAM1 === undefined) return "OMIT";
    Object.assign(updates.sci, applyFluxCorrection(input.set, Number(PHTFLAM1), Number(PHTFLAM2)));
    return undefined;
  },
};

/** The steps before BUNIT and PHOTMODE are set, and after (the SCI keyword order follows hstcal's). */
export const WF32D_STEPS = [DARKCORR, FLATCORR, SHADCORR] as const;
export const WF32D_PHOTOMETRY = [PHOTCORR, FLUXCORR] as const;
