/**
 * WF3CCD for one UVIS chip (calibration.md §4; hstcal wf3ccd/doccd.c), pure and in DN: ERR init →
 * DQICORR → ATODCORR → BLEVCORR → BIASCORR → full well (SATUFILE) → sink pixels (SNKCFILE, with DQICORR; binned
 * data skipped) → FLSHCORR → write trimmed. Without a SATUFILE
 * (or BIASCORR) the scalar full well (CCDTAB SATURATE) is set by DQICORR everywhere instead.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import type { BpixRow } from "../acs/dqicorr.js";
import { binAndCorner } from "../common/geometry.js";
import type { ImageSet } from "../common/imset.js";
import { requiredReference } from "../common/steps.js";
import type { SwitchState } from "../common/switches.js";
import type { Wf3CcdParameters } from "./ccdtab.js";
import type { Wf3Overscan } from "./oscntab.js";
import { ampsOfChip } from "./uvis-amps.js";
import { type AtodCorrection, applyAtod } from "./uvis-atod.js";
import { subtractUvisBias } from "./uvis-bias.js";
import { subtractUvisBiasLevel, type UvisBlevResult } from "./uvis-blev.js";
import { uvisDqi } from "./uvis-dqicorr.js";
import { subtractUvisFlash } from "./uvis-flash.js";
import { flagFullWellFromMap, flagOverscanSaturation } from "./uvis-fullwell.js";
import { errorIsEmpty, initUvisErrors } from "./uvis-noise.js";
import { flagSinkPixels, sinkPlacement } from "./uvis-sink.js";
import { trimUvis } from "./uvis-trim.js";

export interface Wf3CcdSwitches {
  dqicorr: SwitchState;
  /** PERFORM needs `atod` (absent = OMIT). */
  atodcorr?: SwitchState;
  blevcorr: SwitchState;
  biascorr: SwitchState;
  flshcorr: SwitchState;
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
}

export interface Wf3CcdResult {
  set: ImageSet;
  trimmed: boolean;
  blev?: UvisBlevResult;
  crpixShift: [number, number];
  sci: Record<string, string | number>;
  /** FLSHCORR outcome when it was PERFORM: COMPLETE, or SKIPPED when FLASHDUR ≤ 0. */
  flshcorr?: "COMPLETE" | "SKIPPED";
  /** HISTORY lines of the steps themselves (post-flash messages). */
  history: string[];
  /** ERR was all zero and got initialised. */
  noiseInitialized: boolean;
  /** ATODCORR done: pixels at or past the end of the correction array (flagged SATPIXEL). */
  atodSaturated?: number;
  /** Sink-pixel detection (with DQICORR): pixels newly flagged TRAP, or skipped for binned data. */
  sink?: { flagged: number } | { skipped: "binned" };
}

export function runWf3Ccd(input: Wf3CcdInput): Wf3CcdResult {
  const { params, overscan, switches } = input;
  let set = input.set;
  const noiseInitialized = errorIsEmpty(set);
  if (noiseInitialized) initUvisErrors(set, params, overscan);
  const twoAmps = ampsOfChip(params.ccdamp, params.ccdchip).length > 1;
  const saturationMap = switches.biascorr === "PERFORM" && input.satufile !== undefined;
  if (switches.dqicorr === "PERFORM") {
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
  }
  let atodSaturated: number | undefined;
  if (switches.atodcorr === "PERFORM") {
    atodSaturated = applyAtod(set, requiredReference(input.atod, "ATODTAB", "ATODCORR").values);
  }
  let blev: UvisBlevResult | undefined;
  if (switches.blevcorr === "PERFORM") blev = subtractUvisBiasLevel(set, params, overscan, input.sdqflags);
  if (switches.biascorr === "PERFORM") {
    subtractUvisBias(set, requiredReference(input.bias, "BIASFILE", "BIASCORR"), input.biasCcdamp ?? "", params.ccdamp);
  }
  if (saturationMap && blev && input.satufile) flagFullWellFromMap(set, input.satufile, params, overscan);
  let sink: Wf3CcdResult["sink"];
  if (switches.dqicorr === "PERFORM") sink = detectSinks(set, input);
  const sci: Record<string, string | number> = { BUNIT: "COUNTS" };
  const history: string[] = [];
  let flshcorr: Wf3CcdResult["flshcorr"];
  if (switches.flshcorr === "PERFORM") {
    const flash = subtractUvisFlash(set, requiredReference(input.flash, "FLSHFILE", "FLSHCORR"), params, {
      flashdur: input.flashdur ?? 0,
      flashsta: input.flashsta ?? "",
      sdqflags: input.sdqflags,
    });
    history.push(...flash.history);
    // hstcal records MEANFLSH only when positive, but the switch follows FLASHDUR alone.
    flshcorr = flash.state === "PERFORM" ? "COMPLETE" : "SKIPPED";
    if (flash.meanflsh > 0) sci.MEANFLSH = flash.meanflsh;
  }
  if (blev && !blev.noOverscan) sci.MEANBLEV = blev.meanblev;
  const common = { blev, sci, flshcorr, history, noiseInitialized, sink, atodSaturated };
  if (!blev) return { set, trimmed: false, crpixShift: [0, 0], ...common };
  const trim = trimUvis(set, overscan, params.ampx, twoAmps);
  set = trim.set;
  Object.assign(sci, { LTV1: set.geometry.ltv[0], LTV2: set.geometry.ltv[1], SIZAXIS1: set.nx, SIZAXIS2: set.ny });
  return { set, trimmed: true, crpixShift: trim.crpixShift, ...common };
}

/** hstcal skips binned data (LTM of the SCI header), else flags the sinks of the chip's SNKCFILE imset. */
function detectSinks(set: ImageSet, input: Wf3CcdInput): NonNullable<Wf3CcdResult["sink"]> {
  if (binAndCorner(set.geometry).bin.some((b) => b > 1)) return { skipped: "binned" };
  const sink = requiredReference(input.sink, "SNKCFILE", "DQICORR");
  const { map, at } = sinkPlacement(set, sink.extver, input.subarray === true, sink.imsets);
  return { flagged: flagSinkPixels(set, map, sink.expstart, at) };
}
