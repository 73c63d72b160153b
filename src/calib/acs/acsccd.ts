/**
 * ACSCCD for one exposure (calibration.md §2.0 step 1; hstcal doccd.c): DQICORR → BIASCORR (DN) →
 * electrons → BLEVCORR (per image set, or both WFC chips at once after SM4) → DARKTIME → full-well saturation → ERR → SINKCORR → trim. Pure: the image sets
 * and the already-read reference data come in, the calibrated image sets and the header updates go out.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */

import type { BpixRow } from "../common/bpixtab.js";
import { type ReferenceNote, referenceLines } from "../common/ccd-history.js";
import { CalibrationError } from "../common/errors.js";
import { emptyUpdates } from "../common/header-updates.js";
import type { Geometry, ImageSet } from "../common/imset.js";
import type { ReferenceImage } from "../common/reference-image.js";
import { requiredReference, runSteps, type StepRecord } from "../common/steps.js";
import type { SwitchState } from "../common/switches.js";
import {
  ACSCCD_BIASCORR,
  ACSCCD_BLEVCORR,
  ACSCCD_DQICORR,
  ACSCCD_SINKCORR,
  ACSCCD_WORDING,
  type AcsCcdStepInput,
} from "./acsccd-steps.js";
import { type AmpLayout, ampLayout } from "./amps.js";
import { addBiasErrors } from "./biascorr.js";
import { type BlevResult, biasLevelKeywords } from "./blevcorr.js";
import type { AcsCcdParameters } from "./ccd-parameters.js";
import { type CcdtabRow, type SelectedCcdRow, selectCcdParameters } from "./ccdtab.js";
import { computeDarktime } from "./darktime.js";
import { flagFullWellSaturation } from "./fwsat.js";
import { convertToElectrons, errorsToElectrons, gainKeywords } from "./gain.js";
import { initCcdErrors, NOISE_HISTORY } from "./noise.js";
import { findOverscan, type OscnRow, type OverscanRegions } from "./oscntab.js";
import type { RowReference } from "./reference-rows.js";
import { trimOverscan } from "./trim.js";

/** Primary-header values ACSCCD needs. */
export interface AcsCcdExposure {
  detector: "WFC" | "HRC";
  ccdamp: string;
  /** CCDGAIN (default 1). */
  ccdgain: number;
  /** CCDOFSTA..D (default 3). */
  ccdofst: [number, number, number, number];
  expstart: number;
  subarray: boolean;
  aperture: string;
  jwrotype: string;
  darktime: number;
  flashdur: number;
  flashsta: string;
  targname: string;
  /** Whether the primary header has BIASLEVA (BIASLEV* are only updated then). */
  hasBiaslevKeywords: boolean;
}

/** Effective switch states: COMPLETE already turned into OMIT (except DQICORR), dummy references into DUMMY. */
export interface AcsCcdSwitches {
  DQICORR: SwitchState;
  BIASCORR: SwitchState;
  BLEVCORR: SwitchState;
  SINKCORR: SwitchState;
}

export interface TableReference<Row> extends ReferenceNote {
  rows: readonly Row[];
  /** The CCDGAIN column is an integer column (pre-SM4 tables). */
  gainColumnIsInteger?: boolean;
}

export interface AcsCcdReferences {
  ccdtab: TableReference<CcdtabRow>;
  oscntab: TableReference<OscnRow>;
  /** Absent when BPIXTAB is N/A: DQICORR then only flags A-to-D saturation. */
  bpixtab?: TableReference<BpixRow>;
  /** Read a band of rows at a time (the engine's have no pixels, only `readRows`). */
  bias?: RowReference;
  satufile?: RowReference;
  snkcfile?: ReferenceImage;
}

export interface AcsCcdImsetInput {
  /** The raw image set (DN, overscan included); changed in place. */
  set: ImageSet;
  /** SDQFLAGS of the SCI header (65535 when absent). */
  sdqflags?: number;
  /**
   * When `set.err` is empty: the value of every raw ERR pixel (a constant-value extension). ERR is then made
   * when the image set is finished, one at a time (a WFC chip's is 34 MB, and BLEVCORR holds both chips).
   */
  errValue?: number;
}

export interface AcsCcdImsetResult {
  /** The calibrated image set, trimmed to the illuminated area when BLEVCORR completed. */
  set: ImageSet;
  trimmed: boolean;
  parameters: AcsCcdParameters;
  /** PEDIGREE and DESCRIP columns of the CCDTAB row used (they go into the CCDTAB HISTORY). */
  ccdRow: { pedigree?: string; descrip?: string };
  overscan: OverscanRegions;
  blev?: BlevResult;
  /** SCI header updates (BUNIT, MEANBLEV, SIZAXIS1/2, LTV1/2); ERR gets BUNIT and the same geometry. */
  sci: Record<string, string | number>;
  err: Record<string, string | number>;
  geometry: Geometry;
  /** Subtract from CRPIX1/2 where present (0 when not trimmed). */
  crpixShift: [number, number];
}

export interface AcsCcdResult {
  imsets: AcsCcdImsetResult[];
  /** Primary keyword updates (switches, ATODGN*, READNSE*, DARKTIME, BIASLEV*). */
  primary: Record<string, string | number>;
  /** Primary HISTORY lines in hstcal's order. */
  history: string[];
  /** What each step did, with its wall and CPU time (for the log and the trailer). */
  steps: StepRecord[];
}

function ccdRowFor(set: ImageSet, exposure: AcsCcdExposure, refs: AcsCcdReferences): SelectedCcdRow {
  return selectCcdParameters(
    refs.ccdtab.rows,
    { ccdamp: exposure.ccdamp, ccdgain: exposure.ccdgain, ccdchip: set.chip, ccdofst: exposure.ccdofst },
    { nx: set.nx, gainColumnIsInteger: refs.ccdtab.gainColumnIsInteger, tableName: refs.ccdtab.name },
  );
}

/** The trim when BLEVCORR completed on this image set, and its header updates. */
function finishImset(
  set: ImageSet,
  selected: SelectedCcdRow,
  overscan: OverscanRegions,
  blev: BlevResult | undefined,
): AcsCcdImsetResult {
  const { parameters, pedigree, descrip } = selected;
  const sci: Record<string, string | number> = { BUNIT: "ELECTRONS" };
  const err: Record<string, string | number> = { BUNIT: "ELECTRONS" };
  if (blev?.meanblev !== undefined) sci.MEANBLEV = blev.meanblev;
  const ccdRow = { pedigree, descrip };
  if (!blev) {
    return { set, trimmed: false, parameters, ccdRow, overscan, sci, err, geometry: set.geometry, crpixShift: [0, 0] };
  }

  const trim = trimOverscan(set, overscan);
  const geometryKeywords = { LTV1: trim.geometry.ltv[0], LTV2: trim.geometry.ltv[1] };
  Object.assign(sci, { SIZAXIS1: trim.sizaxis[0], SIZAXIS2: trim.sizaxis[1] }, geometryKeywords);
  Object.assign(err, geometryKeywords);
  return {
    set: trim.set,
    trimmed: true,
    parameters,
    ccdRow,
    overscan,
    blev,
    sci,
    err,
    geometry: trim.geometry,
    crpixShift: trim.crpixShift,
  };
}

/** BIASLEVA..D: the last non-zero level of each amplifier over the image sets. */
function biasLevels(imsets: readonly AcsCcdImsetResult[]): number[] {
  const levels = [0, 0, 0, 0];
  for (const result of imsets) {
    result.blev?.blev.forEach((value, k) => {
      if (value !== 0) levels[k] = value;
    });
  }
  return levels;
}

/**
 * The ERR of an image set that came without one (`errValue`), as the steps would have left it before the
 * noise model: the raw value, BIASFILE's ERR in quadrature when BIASCORR ran, × gain (same bits).
 */
function deferredErrors(set: ImageSet, errValue: number, biased: RowReference | undefined, layout: AmpLayout) {
  const err = new Float32Array(set.nx * set.ny);
  if (errValue !== 0) err.fill(errValue);
  if (biased) addBiasErrors(set, err, biased.imsets, biased.readRows);
  errorsToElectrons(err, layout, set.nx);
  return err;
}

/**
 * Runs ACSCCD on all image sets of one exposure (the caller adds CAL_VER and FILENAME). Each step runs over
 * every image set in turn (they are independent until BLEVCORR, which may fit both WFC chips at once); then
 * each image set is finished (ERR, trim) and handed to `finished` (e.g. to store it) before the next one.
 */
export function runAcsCcd(
  inputs: readonly AcsCcdImsetInput[],
  exposure: AcsCcdExposure,
  switches: AcsCcdSwitches,
  refs: AcsCcdReferences,
  finished?: (result: AcsCcdImsetResult, k: number) => ImageSet,
): AcsCcdResult {
  if (inputs.length === 0) throw new CalibrationError("INVALID_VALUE", "ACSCCD needs at least one image set");
  // Like hstcal, every image set's CCDTAB row is found before any pixel is touched.
  const rows = inputs.map((input) => ccdRowFor(input.set, exposure, refs));
  const sets = inputs.map((input) => input.set);
  const run: AcsCcdStepInput = {
    sets,
    sdqflags: inputs.map((input) => input.sdqflags ?? 65535),
    parameters: rows.map((row) => row.parameters),
    overscans: sets.map((set) =>
      findOverscan(refs.oscntab.rows, { ccdamp: exposure.ccdamp, ccdchip: set.chip, nx: set.nx, ny: set.ny }),
    ),
    exposure,
    DQICORR: switches.DQICORR,
    references: refs,
    blev: { results: [], history: [] },
  };
  const first = rows[0].parameters;
  const updates = emptyUpdates();
  Object.assign(updates.primary, gainKeywords(first));
  // A PEDIGREE column replaces the header's value; the row's DESCRIP is added after the header's.
  const ccdtab = { ...refs.ccdtab, pedigree: rows[0].pedigree ?? refs.ccdtab.pedigree, rowDescrip: rows[0].descrip };
  updates.history.push("CCD parameters table: ", ...referenceLines("table", ccdtab));
  const options = { record: true, wording: ACSCCD_WORDING };

  const steps = runSteps([ACSCCD_DQICORR, ACSCCD_BIASCORR], run, switches, updates, options);
  const layouts = sets.map((set, k) => {
    const layout = ampLayout(exposure.detector, set.chip, rows[k].parameters, set.nx, set.ny, set.geometry.ltv);
    convertToElectrons(set, layout, rows[k].parameters);
    return layout;
  });
  steps.push(...runSteps([ACSCCD_BLEVCORR], run, switches, updates, options));
  if (switches.BIASCORR === "PERFORM" && switches.BLEVCORR === "PERFORM") {
    const satufile = requiredReference(refs.satufile, "SATUFILE", "BIASCORR");
    sets.forEach((set, k) => {
      flagFullWellSaturation(set, satufile.imsets, run.overscans[k], satufile.readRows);
    });
  }
  updates.primary.DARKTIME = computeDarktime(exposure, first);
  // The noise model reads SCI and writes ERR only, and SINKCORR reads SCI and writes DQ only: ERR is
  // initialised after SINKCORR, one image set at a time, with the same bits.
  updates.history.push(NOISE_HISTORY);
  steps.push(...runSteps([ACSCCD_SINKCORR], run, switches, updates, options));

  const biased = run.biasSubtracted ? refs.bias : undefined;
  const imsets = sets.map((set, k) => {
    const { errValue } = inputs[k];
    if (set.err.length === 0 && errValue !== undefined) set.err = deferredErrors(set, errValue, biased, layouts[k]);
    initCcdErrors(set, layouts[k], exposure.targname);
    const result = finishImset(set, rows[k], run.overscans[k], run.blev.results[k]);
    if (finished) {
      const kept = finished(result, k);
      // the raw set's arrays (the caller's too) go when the pixels went elsewhere: the next set is finished without them
      if (kept !== set) {
        Object.assign(set, { sci: new Float32Array(0), err: new Float32Array(0), dq: new Uint16Array(0) });
      }
      result.set = kept;
      sets[k] = kept;
    }
    return result;
  });
  Object.assign(updates.primary, biasLevelKeywords(biasLevels(imsets), exposure.hasBiaslevKeywords));
  return { imsets, primary: updates.primary as AcsCcdResult["primary"], history: updates.history, steps };
}
