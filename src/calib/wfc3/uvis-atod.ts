/**
 * UVIS ATODCORR (hstcal wf3ccd/doatod.c), on the raw DN before BLEVCORR: the ATODTAB row of the readout
 * (CCDAMP and CCDGAIN equal, or the row's wildcard) whose REF_KEY_VALUE is nearest the primary-header value
 * of its REF_KEY (the first such row on a tie) gives a correction array; every pixel's integer part indexes
 * it, values at or past its NELEM take the last element and SATPIXEL, negative values stay. Real WFC3 data
 * carry ATODCORR = OMIT. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "../common/errors.js";
import type { ImageSet } from "../common/imset.js";
import { isWildcard, type RowValue } from "../common/table-rows.js";
import { WF3_DQ } from "./dq.js";

export interface AtodCorrection {
  /** The correction array (its first NELEM elements), float32 like the table column. */
  values: Float32Array;
  /** The chosen row's PEDIGREE and DESCRIP columns, when the table has them. */
  pedigree?: string;
  descrip?: string;
}

const stringMatches = (row: RowValue, value: string) => isWildcard(row) || String(row).trim() === value;
const floatMatches = (row: RowValue, value: number) =>
  isWildcard(row) || Math.fround(Number(row)) === Math.fround(value);

/** The ATODTAB row for this readout; `keyword` reads a primary-header number (throws when it is missing). */
export function selectAtodRow(
  rows: readonly Record<string, RowValue>[],
  readout: { ccdamp: string; ccdgain: number },
  keyword: (name: string) => number,
  table: string,
): AtodCorrection {
  let best: Record<string, RowValue> | undefined;
  let bestDistance = 0;
  for (const row of rows) {
    if (!stringMatches(row.CCDAMP, readout.ccdamp) || !floatMatches(row.CCDGAIN, readout.ccdgain)) continue;
    const distance = Math.abs(keyword(String(row.REF_KEY).trim()) - Number(row.REF_KEY_VALUE));
    if (!best || distance < bestDistance) {
      best = row;
      bestDistance = distance;
    }
  }
  if (!best) {
    throw new CalibrationError(
      "TABLE_ROW_MISSING",
      `CCD amp ${readout.ccdamp}, gain ${readout.ccdgain}, not found in ATODTAB ${table}`,
    );
  }
  const nelem = Number(best.NELEM);
  const atod = best.ATOD as unknown;
  const all = typeof atod === "number" ? [atod] : Array.isArray(atod) ? atod.map(Number) : [];
  if (!Number.isInteger(nelem) || nelem < 1 || nelem > all.length) {
    throw new CalibrationError("INVALID_VALUE", `ATODTAB ${table}: NELEM ${best.NELEM} does not fit its ATOD array`);
  }
  const text = (v: RowValue | undefined) => (v === undefined ? undefined : String(v).trim());
  return { values: Float32Array.from(all.slice(0, nelem)), pedigree: text(best.PEDIGREE), descrip: text(best.DESCRIP) };
}

/** Replaces each SCI value by the correction at its integer part; returns the pixels flagged SATPIXEL. */
export function applyAtod(set: ImageSet, atod: Float32Array): number {
  const last = atod.length - 1;
  let saturated = 0;
  for (let k = 0; k < set.sci.length; k++) {
    const index = Math.trunc(set.sci[k]);
    if (index > last) {
      set.sci[k] = atod[last];
      set.dq[k] |= WF3_DQ.SATPIXEL;
      saturated++;
    } else if (index >= 0) set.sci[k] = atod[index];
  }
  return saturated;
}
