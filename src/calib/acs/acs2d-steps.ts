/**
 * The ACS2D step table (calibration.md §2.11; hstcal acs2d/do2d.c): DARKCORR, FLSHCORR, FLATCORR, SHADCORR,
 * then PHOTCORR, each a pure function of one image set; acs2d.ts runs them through the step framework.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { mergeUpdates } from "../common/header-updates.js";
import { correctShading } from "../common/shading.js";
import type { StepDescriptor } from "../common/steps.js";
import type { Acs2dInput } from "./acs2d-types.js";
import { subtractDark } from "./dark.js";
import { subtractFlash } from "./flash.js";
import { flatField } from "./flat.js";
import { photometryKeywords } from "./photcorr.js";
import { photmode } from "./photmode.js";

export const DARKCORR: StepDescriptor<Acs2dInput> = {
  switch: "DARKCORR",
  phase: "2d",
  standalone: true,
  references: [{ keyword: "DARKFILE", kind: "image" }],
  dummy: "DARKFILE",
  loaded: (input) => ({ DARKFILE: input.references.dark }),
  run: ({ science, keywords, references }, updates) => {
    const dark = references.dark!;
    updates.sci.MEANDARK = subtractDark(science, dark, {
      darktime: keywords.darktime,
      sdqflags: keywords.sdqflags,
    }).meandark;
    return undefined;
  },
};

export const FLSHCORR: StepDescriptor<Acs2dInput> = {
  switch: "FLSHCORR",
  phase: "2d",
  standalone: true,
  references: [{ keyword: "FLSHFILE", kind: "image" }],
  dummy: "FLSHFILE",
  loaded: (input) => ({ FLSHFILE: input.references.flash }),
  run: ({ science, keywords, references }, updates) => {
    const result = subtractFlash(science, references.flash!, {
      flashdur: keywords.flashdur,
      flashsta: keywords.flashsta,
      sdqflags: keywords.sdqflags,
    });
    if (result.meanflsh !== undefined) updates.sci.MEANFLSH = result.meanflsh;
    mergeUpdates(updates, { history: result.history, warnings: result.warnings });
    return result.state;
  },
};

export const FLATCORR: StepDescriptor<Acs2dInput> = {
  switch: "FLATCORR",
  phase: "2d",
  standalone: true,
  references: [
    { keyword: "PFLTFILE", kind: "image", optional: "DFLTFILE" },
    { keyword: "DFLTFILE", kind: "image", optional: true },
    { keyword: "LFLTFILE", kind: "image", optional: true },
  ],
  loaded: ({ references: { flats = {} } }) => ({ PFLTFILE: flats.pflt, DFLTFILE: flats.dflt, LFLTFILE: flats.lflt }),
  run: ({ science, references }, updates) => {
    const state = flatField(science, references.flats ?? {}).state;
    if (state === "PERFORM") {
      updates.sci.BUNIT = "ELECTRONS";
      updates.err.BUNIT = "ELECTRONS";
    }
    return state;
  },
};

export const SHADCORR: StepDescriptor<Acs2dInput> = {
  switch: "SHADCORR",
  phase: "2d",
  standalone: true,
  references: [{ keyword: "SHADFILE", kind: "image" }],
  dummy: "SHADFILE",
  loaded: (input) => ({ SHADFILE: input.references.shading }),
  run: ({ science, keywords, references }, updates) => {
    const result = correctShading(science, references.shading!, {
      exptime: keywords.exptime,
      ncombine: keywords.ncombine,
    });
    updates.warnings.push(...result.warnings);
    return result.state;
  },
};

export const PHOTCORR: StepDescriptor<Acs2dInput> = {
  switch: "PHOTCORR",
  phase: "2d",
  standalone: true,
  references: [{ keyword: "IMPHTTAB", kind: "table" }],
  dummy: "IMPHTTAB",
  loaded: (input) => ({ IMPHTTAB: input.references.imphttab }),
  run: ({ keywords, references }, updates) => {
    const result = photometryKeywords(photmode(keywords), references.imphttab!);
    Object.assign(updates.sci, result.sci);
    updates.warnings.push(...result.warnings);
    return result.state;
  },
};

/** The steps before PHOTMODE is set, and after (the SCI keyword order follows hstcal's). */
export const ACS2D_STEPS = [DARKCORR, FLSHCORR, FLATCORR, SHADCORR] as const;
export const ACS2D_PHOTOMETRY = [PHOTCORR] as const;
