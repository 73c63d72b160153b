/**
 * WF3IR's step table (hstcal doir.c, irhist.c): every step of one MultiAccum exposure with its switch,
 * references and HISTORY wording, run and recorded by the step framework (switch, HISTORY, wall and CPU
 * time). Steps with a reference say "complete ..." and name the file; ZSIG/BLEV/ZOFF/UNIT/CRCORR say
 * "complete." (BLEVCORR then names OSCNTAB).
 */

import { applyBpixRow, type BpixRow, bpixRowApplies } from "../common/bpixtab.js";
import { type ReferenceNote, referenceLines } from "../common/ccd-history.js";
import { CalibrationError } from "../common/errors.js";
import { placeReference } from "../common/geometry.js";
import type { Imphttab } from "../common/imphttab.js";
import { createImageSet, type ImageSet, type Section } from "../common/imset.js";
import {
  type HistoryWording,
  requiredReference,
  type StepDescriptor,
  type StepReference,
  standardWording,
} from "../common/steps.js";
import type { Wf3CcdParameters } from "./ccdtab.js";
import { subtractReferenceLevel } from "./ir-blev.js";
import { type IrDark, subtractIrDark } from "./ir-dark.js";
import { divideFlatInside } from "./ir-flat.js";
import { correctNonLinearity, type ZeroReadSignal } from "./ir-nlin.js";
import { irReferenceOffset } from "./ir-offsets.js";
import { toCountRates } from "./ir-unit.js";
import { subtractZeroRead } from "./ir-zoff.js";
import { zeroReadSignal } from "./ir-zsig.js";
import type { MultiAccum, MultiAccumRead } from "./multiaccum.js";
import type { NonLinearity } from "./nlinfile.js";
import type { Wf3Overscan } from "./oscntab.js";
import { wf3PhotometryKeywords } from "./photometry.js";

export interface IrReferences {
  ccd: Wf3CcdParameters;
  overscan: Wf3Overscan;
  bpixtab?: readonly BpixRow[];
  nlin?: NonLinearity;
  dark?: IrDark;
  flat?: ImageSet;
  imphttab?: Imphttab;
  /** Names, PEDIGREE and DESCRIP of the reference files, for HISTORY. */
  notes?: Partial<Record<"CCDTAB" | "BPIXTAB" | "OSCNTAB" | "NLINFILE" | "DARKFILE" | "PFLTFILE", ReferenceNote>>;
}

export interface IrExposure {
  filter: string;
  expstart: number;
  sampSeq: string;
  ccdamp: string;
  ccdgain: number;
}

/** What WF3IR's steps work on: the ramp in place, and what earlier steps found. */
export interface IrRamp {
  m: MultiAccum;
  refs: IrReferences;
  exposure: IrExposure;
  /** SCI keywords per read (zeroth first): MEANBLEV, MEANDARK. */
  readKeywords: Record<string, number>[];
  /** The zeroth read as read, for ZOFFCORR. */
  /** The zeroth read as read (BLEVCORR applies to it too); ZOFFCORR, its last user, lets it go. */
  zeroOriginal?: Pick<MultiAccumRead, "sci" | "time" | "samptime">;
  zsig?: ZeroReadSignal;
  sampzero: number;
  /** PHOTMODE "WFC3 IR <FILTER> MJD#<EXPSTART>", which replaces the raw's (hstcal doir.c calls PhotMode). */
  photmode: string;
  /** The final image (the CR-rejected one, or a copy of the last read), for CRCORR and FLATCORR. */
  image?: Pick<MultiAccumRead, "sci" | "err" | "dq">;
  /** Whether the CR-rejected image was made (CRCORR ran in the workers). */
  crDone?: boolean;
  /** Whether FLATCORR's division was done by the caller (in the workers, with irFlatSection's placement). */
  flatDone?: boolean;
}

const TERSE: Partial<HistoryWording> = { switchLine: (name) => `${name} complete.` };
const notes = (ramp: IrRamp) => ramp.refs.notes ?? {};
const withIntro = (intro: string): Partial<HistoryWording> => ({
  referenceLines: (kind, ref) => [intro, ...referenceLines(kind, ref)],
});

export const IR_WORDING = standardWording(referenceLines);

const BPIXTAB: StepReference = { keyword: "BPIXTAB", kind: "table", optional: true };
const NLINFILE: StepReference = { keyword: "NLINFILE", kind: "image" };

export const IR_DQICORR: StepDescriptor<IrRamp> = {
  switch: "DQICORR",
  phase: "ir",
  references: [BPIXTAB],
  standalone: true,
  loaded: (ramp) => ({ BPIXTAB: notes(ramp).BPIXTAB }),
  run: ({ m, refs, exposure }) => {
    const mask = createImageSet(m.nx, m.ny, { geometry: { ltv: m.ltv, ltm: [1, 1] }, chip: m.chip });
    const want = { ccdamp: exposure.ccdamp, ccdgain: exposure.ccdgain, ccdchip: m.chip };
    for (const row of refs.bpixtab ?? []) if (bpixRowApplies(row, want)) applyBpixRow(mask, row);
    const n = m.nx * m.ny;
    for (const read of m.reads) for (let k = 0; k < n; k++) read.dq[k] |= mask.dq[k];
    return undefined;
  },
  wording: withIntro("  DQ array initialized ..."),
};

export const IR_ZSIGCORR: StepDescriptor<IrRamp> = {
  switch: "ZSIGCORR",
  phase: "ir",
  references: [NLINFILE],
  standalone: true,
  run: (ramp) => {
    const nlin = requiredReference(ramp.refs.nlin, "NLINFILE", "ZSIGCORR");
    ramp.zsig = zeroReadSignal(ramp.m, nlin, ramp.refs.ccd, irReferenceOffset(ramp.m, nlin, "NLINFILE"));
    return undefined;
  },
  wording: TERSE,
};

export const IR_BLEVCORR: StepDescriptor<IrRamp> = {
  switch: "BLEVCORR",
  phase: "ir",
  references: [{ keyword: "OSCNTAB", kind: "table" }],
  standalone: true,
  loaded: (ramp) => ({ OSCNTAB: notes(ramp).OSCNTAB }),
  run: ({ m, refs, readKeywords, zeroOriginal }) => {
    const { biassect, trimy } = refs.overscan;
    const width = (c: [number, number]) => (c[0] < 0 ? 0 : c[1] - c[0] + 1);
    if (width(biassect[0]) + width(biassect[1]) > 8) {
      throw new CalibrationError("INVALID_VALUE", "IR BLEVCORR: bias sections A and B span more than 8 columns");
    }
    const sections = { a: biassect[0], b: biassect[1], trimy };
    m.reads.forEach((read, k) => {
      readKeywords[k].MEANBLEV = subtractReferenceLevel(read.sci, m.nx, m.ny, sections);
    });
    if (zeroOriginal) subtractReferenceLevel(zeroOriginal.sci, m.nx, m.ny, sections);
    return undefined;
  },
  wording: { ...TERSE, ...withIntro("  Overscan region table: ") },
};

export const IR_ZOFFCORR: StepDescriptor<IrRamp> = {
  switch: "ZOFFCORR",
  phase: "ir",
  references: [],
  standalone: true,
  run: (ramp) => {
    if (!ramp.zeroOriginal) throw new CalibrationError("INVALID_VALUE", "ZOFFCORR: the zeroth read was let go already");
    subtractZeroRead(ramp.m, ramp.zeroOriginal);
    ramp.zeroOriginal = undefined;
    return undefined;
  },
  wording: TERSE,
};

export const IR_NLINCORR: StepDescriptor<IrRamp> = {
  switch: "NLINCORR",
  phase: "ir",
  references: [NLINFILE],
  standalone: true,
  loaded: (ramp) => ({ NLINFILE: notes(ramp).NLINFILE }),
  run: (ramp) => {
    const nlin = requiredReference(ramp.refs.nlin, "NLINFILE", "NLINCORR");
    correctNonLinearity(ramp.m, nlin, ramp.zsig, irReferenceOffset(ramp.m, nlin, "NLINFILE"));
    // their last user: the coefficients (28 MB for a full frame) go before DARKCORR, not after the steps
    ramp.refs.nlin = undefined;
    ramp.zsig = undefined;
    return undefined;
  },
};

export const IR_DARKCORR: StepDescriptor<IrRamp> = {
  switch: "DARKCORR",
  phase: "ir",
  references: [{ keyword: "DARKFILE", kind: "image" }],
  standalone: true,
  loaded: (ramp) => ({ DARKFILE: notes(ramp).DARKFILE }),
  run: ({ m, refs, exposure, readKeywords }) => {
    const standard = exposure.sampSeq.trim().toUpperCase() !== "NONE";
    const dark = requiredReference(refs.dark, "DARKFILE", "DARKCORR");
    const means = subtractIrDark(m, dark, standard, irReferenceOffset(m, dark, "DARKFILE"));
    means.forEach((mean, k) => {
      readKeywords[k].MEANDARK = mean;
    });
    return undefined;
  },
};

/** IR photometry goes into the primary header (hstcal photcalc.c); an obsmode not in IMPHTTAB is SKIPPED silently. */
export const IR_PHOTCORR: StepDescriptor<IrRamp> = {
  switch: "PHOTCORR",
  phase: "ir",
  references: [{ keyword: "IMPHTTAB", kind: "table" }],
  standalone: true,
  loaded: ({ refs }) => ({ IMPHTTAB: refs.imphttab }),
  run: ({ refs, photmode }, updates) => {
    const phot = wf3PhotometryKeywords(photmode, requiredReference(refs.imphttab, "IMPHTTAB", "PHOTCORR"));
    Object.assign(updates.primary, phot.keywords);
    return phot.state;
  },
  wording: {
    switchLine: (name, outcome) => (outcome === "COMPLETE" ? `${name} complete ...` : undefined),
    referenceLines: (kind, ref, outcome) => (outcome === "COMPLETE" ? referenceLines(kind, ref) : []),
  },
};

export const IR_UNITCORR: StepDescriptor<IrRamp> = {
  switch: "UNITCORR",
  phase: "ir",
  references: [],
  standalone: true,
  run: ({ m, sampzero }) => {
    toCountRates(m, sampzero);
    return undefined;
  },
  wording: TERSE,
};

/** CRCORR ran in the workers; this records it (OMIT: no CR image was made, nothing recorded). */
export const IR_CRCORR: StepDescriptor<IrRamp> = {
  switch: "CRCORR",
  phase: "ir",
  references: [{ keyword: "CRREJTAB", kind: "table" }],
  standalone: true,
  run: ({ crDone }) => (crDone ? undefined : "OMIT"),
  wording: TERSE,
};

export const IR_FLATCORR: StepDescriptor<IrRamp> = {
  switch: "FLATCORR",
  phase: "ir",
  references: [{ keyword: "PFLTFILE", kind: "image" }],
  standalone: true,
  loaded: (ramp) => ({ PFLTFILE: notes(ramp).PFLTFILE }),
  run: ({ m, refs, image, flatDone }) => {
    if (flatDone) return undefined;
    const flat = irFlatSection(m, refs);
    const last = requiredReference(image, "the final image", "FLATCORR");
    for (const target of [...m.reads, last]) divideFlatInside(target, m.nx, m.ny, m.border, flat, refs.ccd.meanGain);
    return undefined;
  },
};

/** Where the ramp's pixels lie in the PFLTFILE (which must be there, unbinned). */
export function irFlatSection(m: MultiAccum, refs: IrReferences): Section {
  const geometry = { ltv: m.ltv, ltm: [1, 1] as [number, number] };
  const flat = requiredReference(refs.flat, "PFLTFILE", "FLATCORR");
  const place = placeReference(createImageSet(m.nx, m.ny, { geometry }), flat, "PFLTFILE");
  if (place.rx !== 1 || place.ry !== 1) throw new CalibrationError("SIZE_MISMATCH", "PFLTFILE is binned");
  return { set: flat, x0: place.x0, y0: place.y0 };
}

/** In hstcal's order: the steps before CRCORR (with the ERR initialisation after ZOFFCORR), then CRCORR, FLATCORR. */
export const IR_RAMP_STEPS = [IR_DQICORR, IR_ZSIGCORR, IR_BLEVCORR, IR_ZOFFCORR] as const;
export const IR_RATE_STEPS = [IR_NLINCORR, IR_DARKCORR] as const;
export const IR_UNIT_STEPS = [IR_PHOTCORR, IR_UNITCORR] as const;
export const IR_FINISH_STEPS = [IR_CRCORR, IR_FLATCORR] as const;
