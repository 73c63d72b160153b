/**
 * ACS2D for one imset (calibration.md §2.11): CCD sanity check, DQICORR (hook), conversion to
 * electrons (hook), ERR initialisation when ERR is all zero (hook), DARKCORR, FLSHCORR, FLATCORR,
 * SHADCORR, PHOTMODE/PHOTCORR, statistics and the switch keywords with their HISTORY.
 * The science image set is calibrated in place; the header changes are returned.
 * Algorithms follow hstcal (BSD-3-Clause, AURA), acs2d/do2d.c.
 */
import { CalibrationError } from "../common/errors.js";
import { emptyUpdates, type HeaderUpdates, mergeUpdates } from "../common/header-updates.js";
import type { ImageSet } from "../common/imset.js";
import { imageStatistics } from "../common/statistics.js";
import { referenceHistory, type SwitchState, switchUpdate, withPedigree } from "../common/switches.js";
import { type AcsCcdParameters, AMP_NAMES } from "./ccd-parameters.js";
import { subtractDark } from "./dark.js";
import { subtractFlash } from "./flash.js";
import { type FlatReferences, flatField } from "./flat.js";
import type { Imphttab } from "./imphttab.js";
import { photometryKeywords } from "./photcorr.js";
import { photmode } from "./photmode.js";
import type { ReferenceImage } from "./reference-image.js";
import { correctShading } from "./shading.js";

export type AcsDetector = "WFC" | "HRC" | "SBC";

/** Switch states after readSwitch/effectiveSwitch (COMPLETE steps already turned into OMIT). */
export interface Acs2dSwitches {
  dqicorr: SwitchState;
  darkcorr: SwitchState;
  flshcorr: SwitchState;
  flatcorr: SwitchState;
  shadcorr: SwitchState;
  photcorr: SwitchState;
  expscorr: SwitchState;
}

export interface Acs2dKeywords {
  detector: AcsDetector;
  /** SCI BUNIT. */
  bunit: string;
  /** SCI SDQFLAGS (65535 when absent). */
  sdqflags: number;
  /** Primary BLEVCORR as read (the CCD must have it COMPLETE). */
  blevcorr: SwitchState;
  darktime: number;
  flashdur: number;
  flashsta: string;
  exptime: number;
  /** SCI NCOMBINE (1 when absent). */
  ncombine: number;
  expstart: number;
  filter1: string;
  filter2: string;
  obstype: string;
  lrfwave?: number;
}

export interface Acs2dReferences {
  /** DARKFILE, or DRKCFILE for the CTE-corrected branch. */
  dark?: ReferenceImage;
  flash?: ReferenceImage;
  flats?: FlatReferences;
  shading?: ReferenceImage;
  imphttab?: Imphttab;
}

/** Steps written by other modules; each receives the imset and whether it is the first (EXTVER 1). */
export interface Acs2dHooks {
  dqicorr?: (science: ImageSet, firstImset: boolean) => Partial<HeaderUpdates> | undefined;
  /** MAMA GLINCORR / LFLGCORR, right after DQICORR (switches, HISTORY and GLOBLIM are its own). */
  nonlinearity?: (science: ImageSet, firstImset: boolean) => Partial<HeaderUpdates> | undefined;
  toElectrons?: (science: ImageSet) => void;
  /** Fills ERR; returns false when it did not. */
  initErrors?: (science: ImageSet) => boolean;
}

export interface Acs2dInput {
  science: ImageSet;
  /** Primary-header switches and HISTORY are written for the first imset only, as hstcal does. */
  firstImset: boolean;
  switches: Acs2dSwitches;
  keywords: Acs2dKeywords;
  references: Acs2dReferences;
  hooks?: Acs2dHooks;
  /** The CCDTAB row, for the ATODGN / READNSE primary keywords (CCD only). */
  ccd?: AcsCcdParameters;
}

/** Refuses CCD data whose overscan was not trimmed (hstcal OscnTrimmed). */
export function checkOverscanTrimmed(science: ImageSet, blevcorr: SwitchState): void {
  const [ltv1, ltv2] = science.geometry.ltv;
  if (blevcorr !== "COMPLETE" || ltv1 > 0 || ltv2 > 0) {
    throw new CalibrationError("CAL_STEP_NOT_DONE", "Overscan region not trimmed.  Please perform BLEVCORR.");
  }
}

export function errorsAllZero(science: ImageSet): boolean {
  for (let k = 0; k < science.err.length; k++) if (science.err[k] !== 0) return false;
  return true;
}

interface NamedReference {
  kind: "image" | "table";
  ref: { name: string; pedigree: string; descrip: string };
}

/** The switch keyword and HISTORY after a step (hstcal UpdateSwitch + ImgHistory/TabHistory). */
function recordSwitch(updates: HeaderUpdates, name: string, state: SwitchState, refs: NamedReference[]): void {
  const update = switchUpdate(name, state);
  if (update.value === undefined) return;
  updates.primary[name] = update.value;
  if (update.history) updates.history.push(update.history);
  for (const { kind, ref } of refs)
    updates.history.push(...referenceHistory(kind, ref.name, ref.pedigree, ref.descrip));
}

function requireReference<T>(ref: T | undefined, what: string): T {
  if (ref === undefined) throw new CalibrationError("CAL_FILE_MISSING", `${what} is needed but was not given`);
  return ref;
}

const image = (ref: ReferenceImage | undefined): NamedReference[] => (ref ? [{ kind: "image", ref }] : []);

export function acs2d(input: Acs2dInput): HeaderUpdates {
  const { science, firstImset, switches, keywords, hooks = {} } = input;
  const updates = emptyUpdates();
  const ccd = keywords.detector !== "SBC";
  if (ccd) {
    checkOverscanTrimmed(science, keywords.blevcorr);
    if (input.ccd) {
      AMP_NAMES.forEach((amp, k) => {
        updates.primary[`ATODGN${amp}`] = Math.fround(input.ccd!.atodgain[k]!);
        updates.primary[`READNSE${amp}`] = Math.fround(input.ccd!.readnoise[k]!);
      });
    }
  }

  if (switches.dqicorr === "PERFORM" || (switches.dqicorr === "DUMMY" && ccd)) {
    if (!hooks.dqicorr) throw new CalibrationError("CAL_STEP_NOT_DONE", "DQICORR needs the dqicorr hook");
    mergeUpdates(updates, hooks.dqicorr(science, firstImset) ?? {});
  }
  if (hooks.nonlinearity) mergeUpdates(updates, hooks.nonlinearity(science, firstImset) ?? {});

  if (!keywords.bunit.startsWith("ELECTR")) {
    if (!hooks.toElectrons) throw new CalibrationError("CAL_STEP_NOT_DONE", "conversion to electrons needs a hook");
    hooks.toElectrons(science);
    updates.sci["BUNIT"] = "ELECTRONS";
    updates.err["BUNIT"] = "ELECTRONS";
  }

  if (errorsAllZero(science)) {
    if (!hooks.initErrors) throw new CalibrationError("CAL_STEP_NOT_DONE", "ERR initialisation needs a hook");
    if (hooks.initErrors(science) && firstImset) updates.history.push("Uncertainty array initialized.");
  }

  darkStep(input, updates);
  flashStep(input, updates);
  flatStep(input, updates);
  shadingStep(input, updates);
  photometryStep(input, updates);

  const stats = imageStatistics(science, keywords.sdqflags);
  Object.assign(updates.sci, stats.sci);
  Object.assign(updates.err, stats.err);

  // hstcal updates EXPSCORR for every imset, not only the first.
  const expscorr = switchUpdate("EXPSCORR", switches.expscorr);
  if (expscorr.value) updates.primary["EXPSCORR"] = expscorr.value;
  if (expscorr.history) updates.history.push(expscorr.history);
  return updates;
}

function darkStep({ science, firstImset, switches, keywords, references }: Acs2dInput, updates: HeaderUpdates): void {
  if (switches.darkcorr === "OMIT") return;
  const dark = requireReference(references.dark, "DARKFILE");
  const state = withPedigree(switches.darkcorr, dark.pedigree);
  if (state === "PERFORM") {
    const { meandark } = subtractDark(science, dark, { darktime: keywords.darktime, sdqflags: keywords.sdqflags });
    updates.sci["MEANDARK"] = meandark;
  }
  if (firstImset) recordSwitch(updates, "DARKCORR", state, image(dark));
}

function flashStep({ science, firstImset, switches, keywords, references }: Acs2dInput, updates: HeaderUpdates): void {
  if (switches.flshcorr === "OMIT") return;
  const flash = requireReference(references.flash, "FLSHFILE");
  let state = withPedigree(switches.flshcorr, flash.pedigree);
  if (state === "PERFORM") {
    const result = subtractFlash(science, flash, {
      flashdur: keywords.flashdur,
      flashsta: keywords.flashsta,
      sdqflags: keywords.sdqflags,
    });
    state = result.state;
    if (result.meanflsh !== undefined) updates.sci["MEANFLSH"] = result.meanflsh;
    mergeUpdates(updates, { history: result.history, warnings: result.warnings });
  }
  if (firstImset) recordSwitch(updates, "FLSHCORR", state, image(flash));
}

function flatStep({ science, firstImset, switches, references }: Acs2dInput, updates: HeaderUpdates): void {
  if (switches.flatcorr === "OMIT") return;
  const flats = references.flats ?? {};
  let state: SwitchState = switches.flatcorr;
  if (state === "PERFORM") {
    state = flatField(science, flats).state;
    if (state === "PERFORM") {
      updates.sci["BUNIT"] = "ELECTRONS";
      updates.err["BUNIT"] = "ELECTRONS";
    }
  }
  if (firstImset)
    recordSwitch(updates, "FLATCORR", state, [...image(flats.pflt), ...image(flats.dflt), ...image(flats.lflt)]);
}

function shadingStep(
  { science, firstImset, switches, keywords, references }: Acs2dInput,
  updates: HeaderUpdates,
): void {
  if (switches.shadcorr === "OMIT") return;
  const shading = requireReference(references.shading, "SHADFILE");
  let state = withPedigree(switches.shadcorr, shading.pedigree);
  if (state === "PERFORM") {
    const result = correctShading(science, shading, { exptime: keywords.exptime, ncombine: keywords.ncombine });
    state = result.state;
    updates.warnings.push(...result.warnings);
  }
  if (firstImset) recordSwitch(updates, "SHADCORR", state, image(shading));
}

function photometryStep({ firstImset, switches, keywords, references }: Acs2dInput, updates: HeaderUpdates): void {
  const mode = photmode(keywords);
  updates.sci["PHOTMODE"] = mode;
  if (switches.photcorr === "OMIT") return;
  const table = requireReference(references.imphttab, "IMPHTTAB");
  let state = withPedigree(switches.photcorr, table.pedigree);
  if (state === "PERFORM") {
    const result = photometryKeywords(mode, table);
    Object.assign(updates.sci, result.sci);
    updates.warnings.push(...result.warnings);
    state = result.state;
  }
  if (firstImset) recordSwitch(updates, "PHOTCORR", state, [{ kind: "table", ref: table }]);
}
