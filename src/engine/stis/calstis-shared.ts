/** What the STIS CCD and MAMA programs share: header switches, HSTIO's reserved keywords, errors naming the raw. */
import { CalibrationError } from "../../calib/common/errors.js";
import { effectiveSwitch, readSwitch } from "../../calib/common/switches.js";
import type { Header } from "../../fits/index.js";
import type { ImageSetFile } from "../imset-io.js";

export const upper = (h: Header, k: string) =>
  String(h.get(k) ?? "")
    .trim()
    .toUpperCase();

export function performs(primary: Header, name: string): boolean {
  if (name === "STATFLAG") return primary.get("STATFLAG") !== false;
  return effectiveSwitch(name, readSwitch(name, primary.get(name))) === "PERFORM";
}

/**
 * Keywords HSTIO keeps out of the headers it reads (hstio.c reservedKwds), so that cs0.e's products lack them
 * even where the raw has them (real raws carry DATAMIN/DATAMAX and GROUPS = F); the others are rewritten anyway.
 */
const HSTIO_RESERVED = ["DATAMIN", "DATAMAX", "GROUPS"];

export function dropHstioReserved(file: ImageSetFile): void {
  for (const k of HSTIO_RESERVED) file.primary.delete(k);
  for (const hdus of file.imsets)
    for (const h of [hdus.sci, hdus.err, hdus.dq]) for (const k of HSTIO_RESERVED) h.delete(k);
}

/** Runs `work`; a CalibrationError from it names the raw file first. */
export function naming<T>(raw: string, work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof CalibrationError && !e.message.startsWith(`${raw}:`)) {
      throw new CalibrationError(e.code, `${raw}: ${e.message}`, { step: e.step });
    }
    throw e;
  }
}
