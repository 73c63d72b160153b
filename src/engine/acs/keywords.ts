/** What the ACS steps read from an exposure's headers: switches and keyword values (calibration.md §2.0). */
import type { Acs2dKeywords, Acs2dSwitches } from "../../calib/acs/acs2d.js";
import type { AcsCcdExposure, AcsCcdSwitches } from "../../calib/acs/acsccd.js";
import { ACS_CCD_STEPS } from "../../calib/acs/steps.js";
import { CalibrationError } from "../../calib/common/errors.js";
import { switchKeywords, anythingToDo as tableHasWork } from "../../calib/common/steps.js";
import { effectiveSwitch, readSwitch, type SwitchState } from "../../calib/common/switches.js";
import type { Header } from "../../fits/index.js";

export type Detector = "WFC" | "HRC" | "SBC";

export interface AcsSwitches extends AcsCcdSwitches, Acs2dSwitches {
  CRCORR: SwitchState;
  RPTCORR: SwitchState;
  PCTECORR: SwitchState;
}

const SWITCHES = switchKeywords(ACS_CCD_STEPS);

export function readSwitches(primary: Header): AcsSwitches {
  const state = (name: string) => effectiveSwitch(name, readSwitch(name, primary.get(name)));
  const values = Object.fromEntries(SWITCHES.map((name) => [name, state(name)]));
  if (primary.get("FLSHCORR") === undefined && primary.get("POSTFLSH") !== undefined) {
    values.FLSHCORR = state("POSTFLSH");
  }
  return values as unknown as AcsSwitches;
}

export function detectorOf(primary: Header): Detector {
  const detector = primary.getString("DETECTOR").trim().toUpperCase();
  if (detector !== "WFC" && detector !== "HRC" && detector !== "SBC") {
    throw new CalibrationError("HEADER_PROBLEM", `DETECTOR = '${detector}' is not WFC, HRC or SBC`);
  }
  return detector;
}

const text = (h: Header, k: string, fallback = "") => String(h.get(k) ?? fallback).trim();

export function ccdExposure(primary: Header): AcsCcdExposure {
  const detector = detectorOf(primary);
  if (detector === "SBC") throw new CalibrationError("HEADER_PROBLEM", "ACSCCD does not apply to SBC (MAMA) data");
  const ofst = (amp: string) => primary.getNumber(`CCDOFST${amp}`, 3);
  return {
    detector,
    ccdamp: text(primary, "CCDAMP"),
    ccdgain: primary.getNumber("CCDGAIN", 1),
    ccdofst: [ofst("A"), ofst("B"), ofst("C"), ofst("D")],
    expstart: primary.getNumber("EXPSTART", 0),
    subarray: primary.get("SUBARRAY") === true,
    aperture: text(primary, "APERTURE"),
    jwrotype: text(primary, "JWROTYPE"),
    darktime: primary.getNumber("DARKTIME", primary.getNumber("EXPTIME")),
    flashdur: primary.getNumber("FLASHDUR", 0),
    flashsta: text(primary, "FLASHSTA"),
    targname: text(primary, "TARGNAME"),
    hasBiaslevKeywords: primary.has("BIASLEVA"),
  };
}

export function twoDKeywords(primary: Header, sci: Header): Acs2dKeywords {
  return {
    detector: detectorOf(primary),
    bunit: text(sci, "BUNIT").toUpperCase(),
    sdqflags: sci.getInt("SDQFLAGS", 65535),
    blevcorr: readSwitch("BLEVCORR", primary.get("BLEVCORR")),
    darktime: primary.getNumber("DARKTIME", primary.getNumber("EXPTIME")),
    flashdur: primary.getNumber("FLASHDUR", 0),
    flashsta: text(primary, "FLASHSTA"),
    exptime: primary.getNumber("EXPTIME"),
    ncombine: sci.getInt("NCOMBINE", 1),
    expstart: primary.getNumber("EXPSTART", 0),
    filter1: text(primary, "FILTER1"),
    filter2: text(primary, "FILTER2"),
    obstype: text(primary, "OBSTYPE"),
    lrfwave: primary.has("LRFWAVE") ? primary.getNumber("LRFWAVE") : undefined,
  };
}

/** Whether any step would run (else hstcal's NOTHING_TO_DO, e.g. ACQ images). */
export function anythingToDo(s: AcsSwitches): boolean {
  return tableHasWork(ACS_CCD_STEPS, s);
}
