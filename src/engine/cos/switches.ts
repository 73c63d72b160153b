/**
 * COS calibration switches as calcos reads them (getinfo.getSwitchValues), with its NUV overrides, and the
 * references of the native steps. calcos runs the steps below that are not native yet; here a PERFORM of one
 * is refused (one error naming the switch), so that a product is never made without a step it asks for.
 */

import { existsSync } from "node:fs";
import { CalibrationError } from "../../calib/common/errors.js";
import type { Header } from "../../fits/index.js";
import { type Env, inRawFile, resolveReference } from "../reference-files.js";

export const NATIVE_STEPS = ["DQICORR", "DEADCORR", "FLATCORR", "DOPPCORR", "WAVECORR", "X1DCORR"] as const;
/** FUV-only steps: calcos sets them OMIT for NUV exposures whatever the header says. */
export const FUV_ONLY = ["TEMPCORR", "GEOCORR", "DGEOCORR", "IGEOCORR", "RANDCORR", "PHACORR"] as const;
const NOT_NATIVE_YET = ["BADTCORR", "XWLKCORR", "YWLKCORR", "BRSTCORR"].concat(["TRCECORR", "ALGNCORR"]);

export type CosSwitches = Record<(typeof NATIVE_STEPS)[number], string>;

const switchValue = (primary: Header, key: string) =>
  String(primary.get(key) ?? "OMIT")
    .trim()
    .toUpperCase();

/** calcos' resetSwitches: these steps become SKIPPED, not an error, when their reference is N/A. */
const SKIPPED_WITHOUT: Record<string, string> = {
  BADTCORR: "BADTTAB",
  XWLKCORR: "XWLKFILE",
  YWLKCORR: "YWLKFILE",
  TDSCORR: "TDSTAB",
};

const notApplicable = (primary: Header, keyword: string) =>
  ["", "N/A"].includes(
    String(primary.get(keyword) ?? "N/A")
      .trim()
      .toUpperCase(),
  );

/** The steps calcos would skip for want of a reference (a message each for the trailer). */
export function skippedSteps(primary: Header): string[] {
  return Object.entries(SKIPPED_WITHOUT)
    .filter(([step, reference]) => switchValue(primary, step) === "PERFORM" && notApplicable(primary, reference))
    .map(([step, reference]) => `${step.padEnd(9)} SKIPPED (${reference} = N/A)`);
}

/**
 * The trailer's record of the switches at the start of a TIME-TAG calibration: each native step not PERFORM as
 * it is, the steps skipped for want of a reference marked SKIPPED in `primary`. Returns the marker of a step
 * done (COMPLETE in `primary` and the trailer).
 */
export function startSteps(primary: Header, switches: CosSwitches, trailer: string[]): (step: string) => void {
  for (const [step, value] of Object.entries(switches))
    if (value !== "PERFORM") trailer.push(`${step.padEnd(9)} ${value}`);
  for (const line of skippedSteps(primary)) {
    primary.set(line.slice(0, 9).trim(), "SKIPPED");
    trailer.push(line);
  }
  return (step: string) => {
    primary.set(step, "COMPLETE");
    trailer.push(`${step.padEnd(9)} COMPLETE`);
  };
}

export function readCosSwitches(primary: Header, file: string): CosSwitches {
  for (const key of NOT_NATIVE_YET) {
    const skipped = key in SKIPPED_WITHOUT && notApplicable(primary, SKIPPED_WITHOUT[key]);
    if (switchValue(primary, key) === "PERFORM" && !skipped) {
      throw new CalibrationError(
        "CAL_STEP_NOT_DONE",
        `${file}: ${key} = PERFORM is not native yet (set it to OMIT or use CALDP_ENGINE=hstcal)`,
        { step: key },
      );
    }
  }
  if (switchValue(primary, "X1DCORR") === "PERFORM") checkX1dSwitches(primary, file);
  const switches = Object.fromEntries(NATIVE_STEPS.map((k) => [k, switchValue(primary, k)])) as CosSwitches;
  return switches;
}

/** The steps of extract1D this engine does not do, refused so that no `_x1d` lacks one it asks for. */
export function checkX1dSwitches(primary: Header, file: string): void {
  const refuse = (why: string) => {
    throw new CalibrationError("CAL_STEP_NOT_DONE", `${file}: X1DCORR with ${why} is not native yet`, {
      step: "X1DCORR",
    });
  };
  const algorithm = String(primary.get("XTRCTALG") ?? "BOXCAR")
    .trim()
    .toUpperCase();
  if (algorithm !== "BOXCAR") refuse(`XTRCTALG = ${algorithm}`);
  const obstype = String(primary.get("OBSTYPE") ?? "")
    .trim()
    .toUpperCase();
  if (obstype !== "SPECTROSCOPIC") refuse(`OBSTYPE = ${obstype || "missing"} (NUVA of an image)`);
  if (primary.getNumber("LIFE_ADJ", 1) === -1) refuse("LIFE_ADJ = -1 (an aperture offset from APERYPOS)");
}

/**
 * calcos' overrideSwitch calls for a spectroscopic exposure (calcos.py resetSwitches): PERFORM becomes OMIT for
 * HELCORR when the target has no coordinates (RA_TARG < 0 or missing), and for BACKCORR, FLUXCORR and TDSCORR
 * when there is no 1-D extraction. The primary header is changed; the trailer lines are returned.
 */
export function resetSpectroscopicSwitches(primary: Header): string[] {
  const reset = (key: string, why: string) => {
    if (switchValue(primary, key) !== "PERFORM") return [];
    primary.set(key, "OMIT");
    return [`${key} reset to OMIT (${why})`];
  };
  const messages = primary.getNumber("RA_TARG", -999) < 0 ? reset("HELCORR", "RA_TARG < 0") : [];
  if (switchValue(primary, "X1DCORR") !== "PERFORM") {
    for (const key of ["BACKCORR", "FLUXCORR", "TDSCORR"]) messages.push(...reset(key, "X1DCORR is not PERFORM"));
  }
  return messages;
}

export const anythingToDo = (switches: CosSwitches) => Object.values(switches).some((v) => v === "PERFORM");

/** The path a step's reference keyword names; N/A or a missing file is one error naming keyword and step. */
export function requiredReference(primary: Header, keyword: string, env: Env, step: string): string {
  return inRawFile(primary, () => stepReference(primary, keyword, env, step));
}

function stepReference(primary: Header, keyword: string, env: Env, step: string): string {
  const value = primary.get(keyword);
  const text = typeof value === "string" ? value.trim() : "";
  const path = resolveReference(keyword, text, env);
  if (path === undefined) {
    throw new CalibrationError("CAL_FILE_MISSING", `${step} needs ${keyword} but the header says '${text}'`, { step });
  }
  if (!existsSync(path)) {
    throw new CalibrationError("CAL_FILE_MISSING", `${keyword} = '${text}': ${path} does not exist`, { step });
  }
  return path;
}
