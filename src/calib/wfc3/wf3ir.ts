/**
 * WF3IR for one MultiAccum exposure (calibration.md §5; hstcal doir.c), pure: DQICORR → ZSIGCORR →
 * BLEVCORR → ZOFFCORR → NOISCORR → NLINCORR → DARKCORR → PHOTCORR → UNITCORR (`prepareRamp`), then the
 * caller runs CRCORR on bands of rows (ir-crcorr.ts, in worker threads), then FLATCORR and the
 * statistics (`finishRamp`). Algorithms follow hstcal (BSD-3-Clause, AURA).
 */

import { applyBpixRow, type BpixRow, bpixRowApplies } from "../acs/dqicorr.js";
import { divideImage, multiplyConstant } from "../common/arithmetic.js";
import { type ReferenceNote, referenceLines } from "../common/ccd-history.js";
import { CalibrationError } from "../common/errors.js";
import { placeReference } from "../common/geometry.js";
import type { Imphttab } from "../common/imphttab.js";
import { createImageSet, type ImageSet, type Section } from "../common/imset.js";
import { imageStatistics } from "../common/statistics.js";
import { requiredReference } from "../common/steps.js";
import type { SwitchState } from "../common/switches.js";
import type { Wf3CcdParameters } from "./ccdtab.js";
import { subtractReferenceLevel } from "./ir-blev.js";
import type { CrBandOutput } from "./ir-crcorr.js";
import { type IrDark, subtractIrDark } from "./ir-dark.js";
import { correctNonLinearity } from "./ir-nlin.js";
import { noiseImage } from "./ir-noise.js";
import { irReferenceOffset } from "./ir-offsets.js";
import { type ReadStatistics, readStatistics } from "./ir-read-stats.js";
import { sampZero, toCountRates } from "./ir-unit.js";
import { subtractZeroRead } from "./ir-zoff.js";
import { zeroReadSignal } from "./ir-zsig.js";
import { createRead, type MultiAccum } from "./multiaccum.js";
import type { NonLinearity } from "./nlinfile.js";
import type { Wf3Overscan } from "./oscntab.js";
import { wf3Photmode, wf3PhotometryKeywords } from "./photometry.js";
import { ccdTableHistory } from "./uvis-history.js";

export const IR_SWITCHES = [
  "DQICORR",
  "ZSIGCORR",
  "BLEVCORR",
  "ZOFFCORR",
  "NOISCORR",
  "NLINCORR",
  "DARKCORR",
  "PHOTCORR",
  "UNITCORR",
  "CRCORR",
  "FLATCORR",
] as const;
export type IrSwitchName = (typeof IR_SWITCHES)[number];
export type IrSwitches = Record<IrSwitchName, SwitchState>;

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
  /** The raw primary PHOTMODE ("WFC3 IR F160W"); built from FILTER when absent. */
  photmode?: string;
  expstart: number;
  sampSeq: string;
  ccdamp: string;
  ccdgain: number;
}

export interface IrPrepared {
  /** Primary keywords (switch values, photometry) and HISTORY lines. */
  primary: Record<string, string | number>;
  history: string[];
  /** SCI keywords per read (zeroth first): MEANBLEV, MEANDARK. */
  readKeywords: Record<string, number>[];
  sampzero: number;
  zsigDone: boolean;
}

/**
 * A step done: its switch COMPLETE and its HISTORY (hstcal irhist.c): steps with a reference say
 * "complete ..." and name the file, ZSIG/BLEV/ZOFF/UNIT/CRCORR say "complete." (BLEVCORR then OSCNTAB).
 */
function done(
  primary: Record<string, string | number>,
  history: string[],
  name: string,
  reference?: { kind: "image" | "table"; note?: ReferenceNote; intro?: string },
): void {
  primary[name] = "COMPLETE";
  history.push(`${name} complete${reference && name !== "BLEVCORR" ? " ..." : "."}`);
  if (reference?.note) {
    if (reference.intro) history.push(reference.intro);
    history.push(...referenceLines(reference.kind, reference.note));
  }
}

/** Every value is 0 (a loop: TypedArray.every calls back once per pixel of every read). */
function allZero(a: Float32Array): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== 0) return false;
  return true;
}

/** The steps before CRCORR, in place on the ramp. */
export function prepareRamp(m: MultiAccum, s: IrSwitches, refs: IrReferences, exposure: IrExposure): IrPrepared {
  const primary: Record<string, string | number> = {};
  const history: string[] = [];
  const readKeywords: Record<string, number>[] = m.reads.map(() => ({}));
  const notes = refs.notes ?? {};
  if (notes.CCDTAB) history.push(...ccdTableHistory(notes.CCDTAB));
  const amps = refs.ccd;
  const n = m.nx * m.ny;

  if (s.DQICORR === "PERFORM") {
    const mask = createImageSet(m.nx, m.ny, { geometry: { ltv: m.ltv, ltm: [1, 1] }, chip: m.chip });
    const want = { ccdamp: exposure.ccdamp, ccdgain: exposure.ccdgain, ccdchip: m.chip };
    for (const row of refs.bpixtab ?? []) if (bpixRowApplies(row, want)) applyBpixRow(mask, row);
    for (const read of m.reads) for (let k = 0; k < n; k++) read.dq[k] |= mask.dq[k];
    done(primary, history, "DQICORR", { kind: "table", note: notes.BPIXTAB, intro: "  DQ array initialized ..." });
  }
  const zeroOriginal = {
    sci: Float32Array.from(m.reads[0].sci),
    time: Float32Array.from(m.reads[0].time),
    samptime: m.reads[0].samptime,
  };
  let zsig: Float32Array | undefined;
  if (s.ZSIGCORR === "PERFORM") {
    const nlin = requiredReference(refs.nlin, "NLINFILE", "ZSIGCORR");
    zsig = zeroReadSignal(m, nlin, amps, irReferenceOffset(m, nlin, "NLINFILE")).zsig;
    done(primary, history, "ZSIGCORR");
  }
  if (s.BLEVCORR === "PERFORM") {
    const { biassect, trimy } = refs.overscan;
    const width = (c: [number, number]) => (c[0] < 0 ? 0 : c[1] - c[0] + 1);
    if (width(biassect[0]) + width(biassect[1]) > 8) {
      throw new CalibrationError("INVALID_VALUE", "IR BLEVCORR: bias sections A and B span more than 8 columns");
    }
    const sections = { a: biassect[0], b: biassect[1], trimy };
    m.reads.forEach((read, k) => {
      readKeywords[k].MEANBLEV = subtractReferenceLevel(read.sci, m.nx, m.ny, sections);
    });
    subtractReferenceLevel(zeroOriginal.sci, m.nx, m.ny, sections);
    done(primary, history, "BLEVCORR", { kind: "table", note: notes.OSCNTAB, intro: "  Overscan region table: " });
  }
  if (s.ZOFFCORR === "PERFORM") {
    subtractZeroRead(m, zeroOriginal);
    done(primary, history, "ZOFFCORR");
  }
  // ERR is initialised whenever it is empty; hstcal leaves NOISCORR = PERFORM in the header.
  let noise = false;
  for (const read of m.reads) {
    if (!allZero(read.err)) continue;
    noiseImage(read.sci, read.err, m.nx, m.ny, m.border, amps, m.ltv);
    noise = true;
  }
  if (noise && s.NOISCORR !== "OMIT" && s.NOISCORR !== "COMPLETE") history.push("Uncertainty array initialized.");
  if (s.NLINCORR === "PERFORM") {
    const nlin = requiredReference(refs.nlin, "NLINFILE", "NLINCORR");
    correctNonLinearity(m, nlin, zsig, irReferenceOffset(m, nlin, "NLINFILE"));
    done(primary, history, "NLINCORR", { kind: "image", note: notes.NLINFILE });
  }
  if (s.DARKCORR === "PERFORM") {
    const standard = exposure.sampSeq.trim().toUpperCase() !== "NONE";
    const dark = requiredReference(refs.dark, "DARKFILE", "DARKCORR");
    const means = subtractIrDark(m, dark, standard, irReferenceOffset(m, dark, "DARKFILE"));
    means.forEach((mean, k) => {
      readKeywords[k].MEANDARK = mean;
    });
    done(primary, history, "DARKCORR", { kind: "image", note: notes.DARKFILE });
  }
  // IR photometry goes into the primary header, for the PHOTMODE the raw already carries (hstcal photcalc.c).
  const photmode = exposure.photmode?.trim() || wf3Photmode("IR", m.chip, exposure.filter);
  primary.PHOTMODE = photmode;
  if (s.PHOTCORR === "PERFORM") {
    const phot = wf3PhotometryKeywords(photmode, requiredReference(refs.imphttab, "IMPHTTAB", "PHOTCORR"));
    Object.assign(primary, phot.keywords);
    if (phot.state === "PERFORM") done(primary, history, "PHOTCORR", { kind: "table", note: refs.imphttab });
    else primary.PHOTCORR = "SKIPPED";
  }
  const sampzero = sampZero(m.reads[1]?.samptime ?? 0);
  if (s.UNITCORR === "PERFORM") {
    toCountRates(m, sampzero);
    done(primary, history, "UNITCORR");
  }
  return { primary, history, readKeywords, sampzero, zsigDone: s.ZSIGCORR === "PERFORM" };
}

/** The CR-rejected image (nx × ny, untrimmed) as a read-like record. */
export function crImageOf(out: CrBandOutput) {
  return { sci: out.sci, err: out.err, dq: out.dq, samp: out.samp, time: out.time };
}

export interface IrFinished {
  /** The _flt image (border trimmed) with SAMP and TIME. */
  flt: ImageSet & { samp: Int16Array; time: Float32Array };
  primary: Record<string, string | number>;
  history: string[];
  bunit: string;
  fltKeywords: Record<string, number>;
  errKeywords: Record<string, number>;
  /** Statistics keywords of each read (zeroth first) for the `_ima` SCI and ERR headers. */
  readStatistics: ReadStatistics[];
}

function flatField(set: ImageSet, flat: Section, gain: number): void {
  divideImage(set, flat, "PFLTFILE");
  multiplyConstant(set, gain);
}

function trimmed(m: MultiAccum, cr: ReturnType<typeof crImageOf>): IrFinished["flt"] {
  const nx = m.nx - m.border.x[0] - m.border.x[1];
  const ny = m.ny - m.border.y[0] - m.border.y[1];
  const out = {
    ...createImageSet(nx, ny, {
      geometry: { ltv: [m.ltv[0] - m.border.x[0], m.ltv[1] - m.border.y[0]], ltm: [1, 1] },
      chip: m.chip,
    }),
    samp: new Int16Array(nx * ny),
    time: new Float32Array(nx * ny),
  };
  for (let j = 0; j < ny; j++) {
    const from = (j + m.border.y[0]) * m.nx + m.border.x[0];
    out.sci.set(cr.sci.subarray(from, from + nx), j * nx);
    out.err.set(cr.err.subarray(from, from + nx), j * nx);
    out.dq.set(cr.dq.subarray(from, from + nx), j * nx);
    out.samp.set(cr.samp.subarray(from, from + nx), j * nx);
    out.time.set(cr.time.subarray(from, from + nx), j * nx);
  }
  return out;
}

/** CRCORR bookkeeping, FLATCORR of every read and the CR image, the trimmed _flt and its statistics. */
export function finishRamp(
  m: MultiAccum,
  cr: ReturnType<typeof crImageOf> | undefined,
  s: IrSwitches,
  refs: IrReferences,
  sdqflags: number,
): IrFinished {
  const primary: Record<string, string | number> = {};
  const history: string[] = [];
  const image =
    cr ??
    (() => {
      const last = m.reads[m.reads.length - 1];
      const copy = createRead(last.sci.length);
      copy.sci.set(last.sci);
      copy.err.set(last.err);
      copy.dq.set(last.dq);
      copy.samp.set(last.samp);
      copy.time.set(last.time);
      return copy;
    })();
  if (cr && s.CRCORR === "PERFORM") done(primary, history, "CRCORR");
  let bunit = s.UNITCORR === "PERFORM" ? "COUNTS/S" : "COUNTS";
  if (s.FLATCORR === "PERFORM") {
    const geometry = { ltv: m.ltv, ltm: [1, 1] as [number, number] };
    const flat = placeReference(
      createImageSet(m.nx, m.ny, { geometry }),
      requiredReference(refs.flat, "PFLTFILE", "FLATCORR"),
      "PFLTFILE",
    );
    if (flat.rx !== 1 || flat.ry !== 1) throw new CalibrationError("SIZE_MISMATCH", "PFLTFILE is binned");
    const gain = refs.ccd.meanGain;
    for (const read of m.reads) {
      flatField(createImageSet(m.nx, m.ny, { sci: read.sci, err: read.err, dq: read.dq }), flat, gain);
    }
    flatField(createImageSet(m.nx, m.ny, { sci: image.sci, err: image.err, dq: image.dq }), flat, gain);
    bunit = s.UNITCORR === "PERFORM" ? "ELECTRONS/S" : "ELECTRONS";
    done(primary, history, "FLATCORR", { kind: "image", note: refs.notes?.PFLTFILE });
  }
  const flt = trimmed(m, image);
  const stats = imageStatistics(flt, sdqflags);
  const reads = m.reads.map((read) => readStatistics(read, m.nx, m.ny, m.border, sdqflags));
  return {
    flt,
    primary,
    history,
    bunit,
    fltKeywords: { ...stats.sci },
    errKeywords: { ...stats.err },
    readStatistics: reads,
  };
}
