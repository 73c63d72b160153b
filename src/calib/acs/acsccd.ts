/**
 * ACSCCD for one exposure (calibration.md §2.0 step 1; hstcal doccd.c): DQICORR → BIASCORR (DN) →
 * electrons → BLEVCORR (per image set, or both WFC chips at once after SM4) → DARKTIME → full-well saturation → ERR → SINKCORR → trim. Pure: the image sets
 * and the already-read reference data come in, the calibrated image sets and the header updates go out.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */

import { type ReferenceNote, referenceLines, stepOmitted, switchRecord } from "../common/ccd-history.js";
import { CalibrationError } from "../common/errors.js";
import type { Geometry, ImageSet } from "../common/imset.js";
import type { ReferenceImage } from "../common/reference-image.js";
import { requiredReference } from "../common/steps.js";
import type { SwitchState } from "../common/switches.js";
import { ampLayout } from "./amps.js";
import { subtractBias } from "./biascorr.js";
import { performBlevcorr } from "./blev-postsm4.js";
import { type BlevResult, biasLevelKeywords, blevHistory } from "./blevcorr.js";
import type { AcsCcdParameters } from "./ccd-parameters.js";
import { type CcdtabRow, type SelectedCcdRow, selectCcdParameters } from "./ccdtab.js";
import { computeDarktime } from "./darktime.js";
import { type BpixRow, DQI_HISTORY, doDqi } from "./dqicorr.js";
import { flagFullWellSaturation } from "./fwsat.js";
import { convertToElectrons, gainKeywords } from "./gain.js";
import { initCcdErrors, NOISE_HISTORY } from "./noise.js";
import { findOverscan, type OscnRow, type OverscanRegions } from "./oscntab.js";
import { flagSinkPixels } from "./sink.js";
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
  dqicorr: SwitchState;
  biascorr: SwitchState;
  blevcorr: SwitchState;
  sinkcorr: SwitchState;
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
  bias?: ReferenceImage;
  satufile?: ReferenceImage;
  snkcfile?: ReferenceImage;
}

export interface AcsCcdImsetInput {
  /** The raw image set (DN, overscan included); changed in place. */
  set: ImageSet;
  /** SDQFLAGS of the SCI header (65535 when absent). */
  sdqflags?: number;
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
}

function ccdRowFor(set: ImageSet, exposure: AcsCcdExposure, refs: AcsCcdReferences): SelectedCcdRow {
  return selectCcdParameters(
    refs.ccdtab.rows,
    { ccdamp: exposure.ccdamp, ccdgain: exposure.ccdgain, ccdchip: set.chip, ccdofst: exposure.ccdofst },
    { nx: set.nx, gainColumnIsInteger: refs.ccdtab.gainColumnIsInteger, tableName: refs.ccdtab.name },
  );
}

/** An image set through DQICORR, BIASCORR and the conversion to electrons. */
interface PreparedImset {
  input: AcsCcdImsetInput;
  selected: SelectedCcdRow;
  overscan: OverscanRegions;
  layout: ReturnType<typeof ampLayout>;
}

function prepareImset(
  input: AcsCcdImsetInput,
  selected: SelectedCcdRow,
  exposure: AcsCcdExposure,
  switches: AcsCcdSwitches,
  refs: AcsCcdReferences,
): PreparedImset {
  const set = input.set;
  const { parameters } = selected;
  const overscan = findOverscan(refs.oscntab.rows, {
    ccdamp: exposure.ccdamp,
    ccdchip: set.chip,
    nx: set.nx,
    ny: set.ny,
  });

  if (switches.dqicorr === "PERFORM" || switches.dqicorr === "DUMMY") {
    doDqi(set, {
      detector: exposure.detector,
      atodsat: parameters.atodsat,
      bpixtab: switches.dqicorr === "PERFORM" ? refs.bpixtab?.rows : undefined,
      selection: {
        ccdamp: exposure.ccdamp,
        ccdgain: exposure.ccdgain,
        ccdchip: set.chip,
        gainColumnIsInteger: refs.bpixtab?.gainColumnIsInteger,
      },
    });
  }
  if (switches.biascorr === "PERFORM") subtractBias(set, requiredReference(refs.bias, "BIASFILE", "BIASCORR").imsets);

  const layout = ampLayout(exposure.detector, set.chip, parameters, set.nx, set.ny, set.geometry.ltv);
  convertToElectrons(set, layout, parameters);
  return { input, selected, overscan, layout };
}

/** The steps after BLEVCORR, and the trim when BLEVCORR completed on this image set. */
function finishImset(
  prepared: PreparedImset,
  blev: BlevResult | undefined,
  exposure: AcsCcdExposure,
  switches: AcsCcdSwitches,
  refs: AcsCcdReferences,
): AcsCcdImsetResult {
  const { input, selected, overscan, layout } = prepared;
  const set = input.set;
  const { parameters, pedigree, descrip } = selected;
  if (switches.biascorr === "PERFORM" && switches.blevcorr === "PERFORM") {
    flagFullWellSaturation(set, requiredReference(refs.satufile, "SATUFILE", "BIASCORR").imsets, overscan);
  }
  initCcdErrors(set, layout, exposure.targname);
  if (switches.sinkcorr === "PERFORM")
    flagSinkPixels(set, requiredReference(refs.snkcfile, "SNKCFILE", "SINKCORR").imsets);

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

/** The primary header updates and HISTORY, in the order hstcal writes them. */
function primaryUpdates(
  exposure: AcsCcdExposure,
  switches: AcsCcdSwitches,
  refs: AcsCcdReferences,
  imsets: AcsCcdImsetResult[],
  blevStepHistory: readonly string[],
): Pick<AcsCcdResult, "primary" | "history"> {
  const first = imsets[0].parameters;
  const primary: Record<string, string | number> = { ...gainKeywords(first) };
  // A PEDIGREE column replaces the header's value; the row's DESCRIP is added after the header's.
  const row = imsets[0].ccdRow;
  const ccdtab = { ...refs.ccdtab, pedigree: row.pedigree ?? refs.ccdtab.pedigree, rowDescrip: row.descrip };
  const history: string[] = ["CCD parameters table: ", ...referenceLines("table", ccdtab)];

  if (!stepOmitted(switches.dqicorr)) {
    const record = switchRecord("DQICORR", switches.dqicorr);
    if (record.value) primary.DQICORR = record.value;
    history.push(...record.history);
    if (record.logReference) {
      history.push(DQI_HISTORY.saturation);
      if (refs.bpixtab) history.push(DQI_HISTORY.table, ...referenceLines("table", refs.bpixtab));
    }
  }
  if (!stepOmitted(switches.biascorr)) {
    const record = switchRecord("BIASCORR", switches.biascorr);
    if (record.value) primary.BIASCORR = record.value;
    history.push(...record.history);
    if (record.logReference && refs.bias) history.push(...referenceLines("image", refs.bias));
  }
  if (!stepOmitted(switches.blevcorr)) {
    // hstcal reports the last image set's outcome, and writes COMPLETE even for a dummy OSCNTAB.
    const last = imsets[imsets.length - 1].blev;
    primary.BLEVCORR = "COMPLETE";
    history.push(...blevStepHistory);
    history.push(...blevHistory(last?.fromOverscan ?? false, last?.driftCorrected ?? false));
    history.push(...referenceLines("table", refs.oscntab));
  }
  primary.DARKTIME = computeDarktime(exposure, first);
  history.push(NOISE_HISTORY);
  if (!stepOmitted(switches.sinkcorr)) {
    const record = switchRecord("SINKCORR", switches.sinkcorr);
    if (record.value) primary.SINKCORR = record.value;
    history.push(...record.history);
    if (record.logReference && refs.snkcfile) history.push(...referenceLines("image", refs.snkcfile));
  }
  const levels = [0, 0, 0, 0];
  for (const result of imsets) {
    result.blev?.blev.forEach((value, k) => {
      if (value !== 0) levels[k] = value;
    });
  }
  Object.assign(primary, biasLevelKeywords(levels, exposure.hasBiaslevKeywords));
  return { primary, history };
}

/** Runs ACSCCD on all image sets of one exposure (the caller adds CAL_VER and FILENAME). */
export function runAcsCcd(
  inputs: readonly AcsCcdImsetInput[],
  exposure: AcsCcdExposure,
  switches: AcsCcdSwitches,
  refs: AcsCcdReferences,
): AcsCcdResult {
  if (inputs.length === 0) throw new CalibrationError("INVALID_VALUE", "ACSCCD needs at least one image set");
  if (switches.biascorr === "PERFORM") requiredReference(refs.satufile, "SATUFILE", "BIASCORR");
  // Like hstcal, every image set's CCDTAB row is found before any pixel is touched.
  const rows = inputs.map((input) => ccdRowFor(input.set, exposure, refs));
  const prepared = inputs.map((input, k) => prepareImset(input, rows[k], exposure, switches, refs));
  const blev =
    switches.blevcorr === "PERFORM"
      ? performBlevcorr(
          prepared.map((p) => ({
            set: p.input.set,
            parameters: p.selected.parameters,
            overscan: p.overscan,
            sdqflags: p.input.sdqflags ?? 65535,
          })),
          exposure,
        )
      : { results: [], history: [] };
  const imsets = prepared.map((p, k) => finishImset(p, blev.results[k], exposure, switches, refs));
  return { imsets, ...primaryUpdates(exposure, switches, refs, imsets, blev.history) };
}
