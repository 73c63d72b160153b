/**
 * PHOTCORR of a STIS CCD image (cs1 dophot.c, photHistory): the IMPHTTAB keywords into the primary header.
 * The TDSTAB's temperature term is not native yet: it is refused when it would change PHOTFLAM (a CCD
 * temperature known, i.e. after the switch to side 2), and named in HISTORY otherwise, as calstis1 does.
 */
import { CalibrationError } from "../../calib/common/errors.js";
import type { ReferenceRecord } from "../../calib/stis/history.js";
import { type PhotResult, stisPhotometry } from "../../calib/stis/photometry.js";
import type { Header } from "../../fits/index.js";
import { setKeyword } from "../headers.js";
import { readImphttab } from "../imphttab-file.js";
import type { ReferenceNames } from "../program-files.js";
import { readReferenceTable } from "../reference-files.js";

export interface PhotcorrDone {
  state: PhotResult["state"];
  imphttab: ReferenceRecord;
  tdstab?: ReferenceRecord;
  warnings: string[];
}

export function photcorr(
  primary: Header,
  references: ReferenceNames,
  o: { atodgain: number; temperature: number },
): PhotcorrDone {
  const imp = references.IMPHTTAB!;
  const table = readImphttab(imp.name, imp.path);
  let tdstab: ReferenceRecord | undefined;
  if (references.TDSTAB) {
    if (o.temperature >= 0) {
      throw new CalibrationError(
        "CAL_STEP_NOT_DONE",
        `PHOTCORR: TDSTAB = '${references.TDSTAB.name}': the temperature dependence of the sensitivity is not in the native engine yet`,
        { step: "PHOTCORR" },
      );
    }
    const t = readReferenceTable("TDSTAB", references.TDSTAB.path);
    tdstab = { name: references.TDSTAB.name, pedigree: t.pedigree, descrip: t.descrip };
  }
  const result = stisPhotometry(table, String(primary.get("PHOTMODE") ?? ""), o.atodgain);
  for (const [k, v] of Object.entries(result.keywords ?? {})) setKeyword(primary, k, v);
  return {
    state: result.state,
    imphttab: { name: imp.name, pedigree: table.pedigree, descrip: table.descrip },
    tdstab,
    warnings: result.warnings,
  };
}
