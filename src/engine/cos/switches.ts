/**
 * COS calibration switches as calcos reads them (getinfo.getSwitchValues), with its NUV overrides, and the
 * references of the native steps. calcos runs the steps below that are not native yet; here a PERFORM of one
 * is refused (one error naming the switch), so that a product is never made without a step it asks for.
 */

import { existsSync } from "node:fs";
import { CalibrationError } from "../../calib/common/errors.js";
import type { Header } from "../../fits/index.js";
import { type Env, resolveReference } from "../reference-files.js";

export const NATIVE_STEPS = ["DQICORR", "DEADCORR", "FLATCORR", "DOPPCORR"] as const;
/** FUV-only steps: calcos sets them OMIT for NUV exposures whatever the header says. */
export const FUV_ONLY = ["TEMPCORR", "GEOCORR", "DGEOCORR", "IGEOCORR", "RANDCORR", "PHACORR"] as const;
const NOT_NATIVE_YET = ["BADTCORR", "XWLKCORR", "YWLKCORR", "BRSTCORR", "WAVECORR", "X1DCORR"].concat([
  "TRCECORR",
  "ALGNCORR",
]);

export type CosSwitches = Record<(typeof NATIVE_STEPS)[number], string>;

const switchValue = (primary: Header, key: string) =>
  String(primary.get(key) ?? "OMIT")
    .trim()
    .toUpperCase();

export function readCosSwitches(primary: Header, file: string): CosSwitches {
  for (const key of NOT_NATIVE_YET) {
    if (switchValue(primary, key) === "PERFORM") {
      throw new CalibrationError(
        "CAL_STEP_NOT_DONE",
        `${file}: ${key} = PERFORM is not native yet (set it to OMIT or use CALDP_ENGINE=hstcal)`,
        { step: key },
      );
    }
  }
  return Object.fromEntries(NATIVE_STEPS.map((k) => [k, switchValue(primary, k)])) as CosSwitches;
}

export const anythingToDo = (switches: CosSwitches) => Object.values(switches).some((v) => v === "PERFORM");

/** The path a step's reference keyword names; N/A or a missing file is one error naming keyword and step. */
export function requiredReference(primary: Header, keyword: string, env: Env, step: string): string {
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
