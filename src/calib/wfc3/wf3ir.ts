/**
 * WF3IR for one MultiAccum exposure (calibration.md §5; hstcal doir.c), pure: DQICORR → ZSIGCORR →
 * BLEVCORR → ZOFFCORR → NOISCORR → NLINCORR → DARKCORR → PHOTCORR → UNITCORR (`prepareRamp`), then the
 * caller runs CRCORR on bands of rows (ir-crcorr.ts, in worker threads), then FLATCORR and the
 * statistics (`finishRamp`). Algorithms follow hstcal (BSD-3-Clause, AURA).
 */

import { emptyUpdates } from "../common/header-updates.js";
import { createImageSet, type ImageSet } from "../common/imset.js";
import { runSteps, type StepRecord } from "../common/steps.js";
import type { SwitchState } from "../common/switches.js";
import type { CrBandOutput } from "./ir-crcorr.js";
import { noiseImage } from "./ir-noise.js";
import { type ReadStatistics, readStatistics } from "./ir-read-stats.js";
import { sampZero } from "./ir-unit.js";
import { createRead, type MultiAccum, planeAt } from "./multiaccum.js";
import { wf3Photmode } from "./photometry.js";
import { ccdTableHistory } from "./uvis-history.js";
import {
  IR_FINISH_STEPS,
  IR_RAMP_STEPS,
  IR_RATE_STEPS,
  IR_UNIT_STEPS,
  IR_WORDING,
  type IrExposure,
  type IrRamp,
  type IrReferences,
} from "./wf3ir-steps.js";

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

export type { IrExposure, IrReferences } from "./wf3ir-steps.js";

export interface IrPrepared {
  /** Primary keywords (switch values, photometry) and HISTORY lines. */
  primary: Record<string, string | number>;
  history: string[];
  /** SCI keywords per read (zeroth first): MEANBLEV, MEANDARK. */
  readKeywords: Record<string, number>[];
  sampzero: number;
  zsigDone: boolean;
  /** UNITCORR made the reads count rates (CRCORR then fits rate × TIME). */
  countRates: boolean;
  /** The ramp as the steps left it (for finishRamp). */
  ramp: IrRamp;
  steps: StepRecord[];
}

/** Every value is 0 (a loop: TypedArray.every calls back once per pixel of every read). */
function allZero(a: Float32Array): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== 0) return false;
  return true;
}

const copyPlane = (plane: Float32Array | number) => (typeof plane === "number" ? plane : Float32Array.from(plane));

/** The steps before CRCORR, in place on the ramp. */
export function prepareRamp(m: MultiAccum, s: IrSwitches, refs: IrReferences, exposure: IrExposure): IrPrepared {
  const updates = emptyUpdates();
  const { primary, history } = updates;
  const notes = refs.notes ?? {};
  if (notes.CCDTAB) history.push(...ccdTableHistory(notes.CCDTAB));
  const ramp: IrRamp = {
    m,
    refs,
    exposure,
    readKeywords: m.reads.map(() => ({})),
    zeroOriginal: {
      sci: Float32Array.from(m.reads[0].sci),
      time: copyPlane(m.reads[0].time),
      samptime: m.reads[0].samptime,
    },
    sampzero: sampZero(m.reads[1]?.samptime ?? 0),
    photmode: wf3Photmode("IR", m.chip, exposure.filter, exposure.expstart),
  };
  const options = { record: true, wording: IR_WORDING };
  // hstcal doir.c writes the CCDTAB gains and read noises into the primary header before any step.
  "ABCD".split("").forEach((amp, q) => {
    primary[`ATODGN${amp}`] = Math.fround(refs.ccd.atodgain[q]);
    primary[`READNSE${amp}`] = Math.fround(refs.ccd.readnoise[q]);
  });
  const steps = runSteps(IR_RAMP_STEPS, ramp, s, updates, options);
  // ERR is initialised whenever it is empty; hstcal leaves NOISCORR = PERFORM in the header.
  let noise = false;
  for (const read of m.reads) {
    if (!allZero(read.err)) continue;
    noiseImage(read.sci, read.err, m.nx, m.ny, m.border, refs.ccd, m.ltv);
    noise = true;
  }
  // calwf3.e does not read NOISCORR from the header (getirsw.c): the ERR set-up is recorded whatever it says.
  if (noise) history.push("Uncertainty array initialized.");
  steps.push(...runSteps(IR_RATE_STEPS, ramp, s, updates, options));
  // IR photometry goes into the primary header (hstcal photcalc.c), PHOTMODE whether or not PHOTCORR runs.
  primary.PHOTMODE = ramp.photmode;
  steps.push(...runSteps(IR_UNIT_STEPS, ramp, s, updates, options));
  return {
    primary: primary as IrPrepared["primary"],
    history,
    readKeywords: ramp.readKeywords,
    sampzero: ramp.sampzero,
    zsigDone: s.ZSIGCORR === "PERFORM",
    countRates: s.UNITCORR === "PERFORM",
    ramp,
    steps,
  };
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
  /** The _flt's HISTORY after the steps before CRCORR: hstcal records UNITCORR once more after CRCORR there. */
  fltHistory: string[];
  steps: StepRecord[];
  bunit: string;
  fltKeywords: Record<string, number>;
  errKeywords: Record<string, number>;
  /** Statistics keywords of each read (zeroth first) for the `_ima` SCI and ERR headers. */
  readStatistics: ReadStatistics[];
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
  prepared: IrPrepared,
  cr: ReturnType<typeof crImageOf> | undefined,
  s: IrSwitches,
  sdqflags: number,
  flatDone = false,
): IrFinished {
  const { m } = prepared.ramp;
  const updates = emptyUpdates();
  const image =
    cr ??
    (() => {
      const last = m.reads[m.reads.length - 1];
      const copy = createRead(last.sci.length);
      copy.sci.set(last.sci);
      copy.err.set(last.err);
      copy.dq.set(last.dq);
      for (let k = 0; k < copy.samp.length; k++) {
        copy.samp[k] = planeAt(last.samp, k);
        copy.time[k] = planeAt(last.time, k);
      }
      return copy;
    })();
  const ramp: IrRamp = { ...prepared.ramp, image, crDone: cr !== undefined, flatDone };
  const steps = runSteps(IR_FINISH_STEPS, ramp, s, updates, { record: true, wording: IR_WORDING });
  const bunit = `${s.FLATCORR === "PERFORM" ? "ELECTRONS" : "COUNTS"}${s.UNITCORR === "PERFORM" ? "/S" : ""}`;
  const flt = trimmed(m, image);
  // hstcal's crimage is a copy of the last read: its SCI header keeps that read's MEANBLEV and MEANDARK.
  const stats = readStatistics(image, m.nx, m.ny, m.border, sdqflags);
  const reads = m.reads.map((read) => readStatistics(read, m.nx, m.ny, m.border, sdqflags));
  const fltHistory = [...updates.history];
  const crLine = fltHistory.indexOf("CRCORR complete.");
  if (crLine >= 0 && s.UNITCORR === "PERFORM") fltHistory.splice(crLine + 1, 0, "UNITCORR complete.");
  return {
    flt,
    primary: updates.primary as IrFinished["primary"],
    history: updates.history,
    fltHistory,
    steps,
    bunit,
    fltKeywords: { ...prepared.readKeywords[m.reads.length - 1], ...stats.sci },
    errKeywords: { ...stats.err },
    readStatistics: reads,
  };
}
