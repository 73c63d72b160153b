/**
 * WF3CCD for one UVIS chip (calibration.md §4; hstcal wf3ccd/doccd.c), pure and in DN: ERR init →
 * DQICORR → ATODCORR → BLEVCORR → BIASCORR → full well (SATUFILE) → sink pixels (SNKCFILE, with DQICORR; binned
 * data skipped) → FLSHCORR → write trimmed. Without a SATUFILE
 * (or BIASCORR) the scalar full well (CCDTAB SATURATE) is set by DQICORR everywhere instead.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { type ReferenceNote, referenceLines } from "../common/ccd-history.js";
import { binAndCorner } from "../common/geometry.js";
import { emptyUpdates } from "../common/header-updates.js";
import type { ImageSet } from "../common/imset.js";
import { requiredReference, runSteps } from "../common/steps.js";
import { ampsOfChip } from "./uvis-amps.js";
import { flagFullWellFromMap } from "./uvis-fullwell.js";
import { ccdTableHistory } from "./uvis-history.js";
import { errorIsEmpty, initUvisErrors } from "./uvis-noise.js";
import { flagSinkPixels, sinkPlacement } from "./uvis-sink.js";
import { trimUvis } from "./uvis-trim.js";
import {
  UVIS_ATODCORR,
  UVIS_BIASCORR,
  UVIS_BLEVCORR,
  UVIS_DQICORR,
  UVIS_FLSHCORR,
  WF3CCD_WORDING,
  type Wf3CcdRun,
} from "./wf3ccd-steps.js";
import type { Wf3CcdInput, Wf3CcdResult } from "./wf3ccd-types.js";

export type { Wf3CcdInput, Wf3CcdResult, Wf3CcdSwitches } from "./wf3ccd-types.js";

export function runWf3Ccd(input: Wf3CcdInput): Wf3CcdResult {
  const { params, overscan, switches } = input;
  const updates = emptyUpdates();
  const record = input.record === true;
  const notes = input.notes ?? {};
  if (record && notes.CCDTAB) updates.history.push(...ccdTableHistory(notes.CCDTAB));
  const run: Wf3CcdRun = {
    set: input.set,
    input,
    saturationMap: switches.BIASCORR === "PERFORM" && input.satufile !== undefined,
    record,
  };
  if (errorIsEmpty(run.set)) {
    initUvisErrors(run.set, params, overscan);
    if (record) updates.history.push("Uncertainty array initialized.");
  }
  const options = { record, wording: WF3CCD_WORDING };
  const steps = runSteps([UVIS_DQICORR, UVIS_ATODCORR, UVIS_BLEVCORR, UVIS_BIASCORR], run, switches, updates, options);
  const { blev } = run;
  if (run.saturationMap && blev && input.satufile) flagFullWellFromMap(run.set, input.satufile, params, overscan);
  let sink: Wf3CcdResult["sink"];
  if (switches.DQICORR === "PERFORM") {
    sink = detectSinks(run.set, input);
    if (record) updates.history.push(...sinkHistory(sink, notes.SNKCFILE));
  }
  steps.push(...runSteps([UVIS_FLSHCORR], run, switches, updates, options));
  const sci: Record<string, string | number> = { BUNIT: "COUNTS" };
  // hstcal records MEANFLSH only when positive, but the switch follows FLASHDUR alone.
  if (run.meanflsh !== undefined && run.meanflsh > 0) sci.MEANFLSH = run.meanflsh;
  if (blev && !blev.noOverscan) sci.MEANBLEV = blev.meanblev;
  const { primary, history } = updates;
  const common = { blev, sci, primary, history, steps, sink, atodSaturated: run.atodSaturated };
  if (!blev) return { set: run.set, trimmed: false, crpixShift: [0, 0], ...common };
  const twoAmps = ampsOfChip(params.ccdamp, params.ccdchip).length > 1;
  const trim = trimUvis(run.set, overscan, params.ampx, twoAmps);
  const set = trim.set;
  Object.assign(sci, { LTV1: set.geometry.ltv[0], LTV2: set.geometry.ltv[1], SIZAXIS1: set.nx, SIZAXIS2: set.ny });
  return { set, trimmed: true, crpixShift: trim.crpixShift, ...common };
}

/** hstcal says it in the trailer only; here it is a HISTORY line after BIASCORR, as before. */
function sinkHistory(sink: NonNullable<Wf3CcdResult["sink"]>, snkcfile: ReferenceNote | undefined): string[] {
  if ("skipped" in sink) return ["Binned data not supported for Sink Pixel detection"];
  return snkcfile ? ["Sink pixel flagging complete ...", ...referenceLines("image", snkcfile)] : [];
}

/** hstcal skips binned data (LTM of the SCI header), else flags the sinks of the chip's SNKCFILE imset. */
function detectSinks(set: ImageSet, input: Wf3CcdInput): NonNullable<Wf3CcdResult["sink"]> {
  if (binAndCorner(set.geometry).bin.some((b) => b > 1)) return { skipped: "binned" };
  const sink = requiredReference(input.sink, "SNKCFILE", "DQICORR");
  const { map, at } = sinkPlacement(set, sink.extver, input.subarray === true, sink.imsets);
  return { flagged: flagSinkPixels(set, map, sink.expstart, at) };
}
