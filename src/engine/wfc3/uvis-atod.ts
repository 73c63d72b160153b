/**
 * ATODCORR's table for one UVIS exposure (hstcal wf3ccd/getflags.c, doatod.c): the ATODTAB must say
 * FILETYPE 'ANALOG-TO-DIGITAL', NCOMBINE must still be 1, and the row is chosen from the primary header's
 * CCDAMP, CCDGAIN and the row's REF_KEY. A DUMMY pedigree (the row's, else the file's) skips the step.
 */
import { CalibrationError } from "../../calib/common/errors.js";
import { type AtodCorrection, selectAtodRow } from "../../calib/wfc3/uvis-atod.js";
import type { Header } from "../../fits/index.js";
import { primaryText, type ReferenceName, tableOf } from "./references.js";

export interface AtodChoice {
  correction: AtodCorrection;
  dummy: boolean;
  /** The table row's DESCRIP, for HISTORY. */
  rowDescrip?: string;
}

export function chooseAtod(primary: Header, sci: Header, ref: ReferenceName | undefined): AtodChoice {
  const table = tableOf("ATODTAB", ref);
  if (!ref || !table) throw new CalibrationError("CAL_FILE_MISSING", "ATODTAB is needed for ATODCORR");
  const filetype = primaryText(ref, "FILETYPE").toUpperCase();
  if (filetype && filetype !== "ANALOG-TO-DIGITAL") {
    throw new CalibrationError("INVALID_VALUE", `ATODTAB ${ref.name} has FILETYPE '${filetype}'`);
  }
  if (sci.getInt("NCOMBINE", 1) > 1) {
    throw new CalibrationError("INVALID_VALUE", "NCOMBINE is already > 1 before ATODCORR has been performed");
  }
  const keyword = (name: string) => {
    const value = primary.get(name);
    if (typeof value !== "number") {
      throw new CalibrationError(
        "HEADER_PROBLEM",
        `ATODTAB ${ref.name} names REF_KEY ${name}, not a number in the header`,
      );
    }
    return value;
  };
  const readout = { ccdamp: primary.getString("CCDAMP", "").trim(), ccdgain: primary.getNumber("CCDGAIN", 1.5) };
  const correction = selectAtodRow(table.rows, readout, keyword, ref.name);
  const pedigree = correction.pedigree ?? table.pedigree;
  return { correction, dummy: pedigree.toUpperCase().startsWith("DUMMY"), rowDescrip: correction.descrip };
}
