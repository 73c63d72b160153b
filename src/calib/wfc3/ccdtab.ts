/**
 * CCDTAB row selection for WFC3 (calibration.md §3, CCDTAB (WFC3)): CCDAMP, CCDGAIN, CCDCHIP, CCDOFSTA..D
 * and BINAXIS1/2 must match. IR headers carry no CCDOFST: the row must have 0 there.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */

import { CalibrationError } from "../common/errors.js";
import { sameFloat, sameInt, sameString } from "../common/row-match.js";

export type Four = [number, number, number, number];

export interface Wf3CcdParameters {
  ccdamp: string;
  ccdchip: number;
  ccdgain: number;
  /** CCDBIASA..D (DN). */
  ccdbias: Four;
  /** ATODGNA..D (e/DN). */
  atodgain: Four;
  /** READNSEA..D (e). */
  readnoise: Four;
  ampx: number;
  ampy: number;
  /** Scalar full well (DN) used when there is no SATUFILE. */
  saturate: number;
  /** Mean of the four ATODGN columns (the gain FLATCORR applies). */
  meanGain: number;
  pedigree?: string;
  descrip?: string;
}

export interface Wf3CcdSelection {
  ccdamp: string;
  ccdgain: number;
  ccdchip: number;
  ccdofst: Four;
  binaxis: [number, number];
}

type Row = Record<string, unknown>;
const AMPS = ["A", "B", "C", "D"] as const;
const num = (row: Row, column: string, fallback = 0) => (row[column] === undefined ? fallback : Number(row[column]));

function matches(row: Row, want: Wf3CcdSelection): boolean {
  return (
    sameString(String(row.CCDAMP ?? ""), want.ccdamp) &&
    sameFloat(num(row, "CCDGAIN"), want.ccdgain) &&
    sameInt(num(row, "CCDCHIP"), want.ccdchip) &&
    AMPS.every((a, k) => sameInt(num(row, `CCDOFST${a}`), want.ccdofst[k])) &&
    sameInt(num(row, "BINAXIS1", 1), want.binaxis[0]) &&
    sameInt(num(row, "BINAXIS2", 1), want.binaxis[1])
  );
}

export function selectWf3CcdParameters(
  rows: readonly Row[],
  want: Wf3CcdSelection,
  tableName = "CCDTAB",
): Wf3CcdParameters {
  const row = rows.find((r) => matches(r, want));
  if (!row) {
    throw new CalibrationError(
      "TABLE_ROW_MISSING",
      `Matching row not found in ${tableName}: CCDAMP ${want.ccdamp}, CCDGAIN ${want.ccdgain}, CCDCHIP ${want.ccdchip}, ` +
        `CCDOFST ${want.ccdofst.join(",")}, BINAXIS ${want.binaxis.join(",")}`,
    );
  }
  const perAmp = (column: string) => AMPS.map((a) => Math.fround(num(row, `${column}${a}`))) as Four;
  const atodgain = perAmp("ATODGN");
  const meanGain = Math.fround((atodgain[0] + atodgain[1] + atodgain[2] + atodgain[3]) / 4);
  const text = (k: string) => (typeof row[k] === "string" ? (row[k] as string).trim() || undefined : undefined);
  return {
    ccdamp: want.ccdamp.trimEnd(),
    ccdchip: want.ccdchip,
    ccdgain: Math.fround(want.ccdgain),
    ccdbias: perAmp("CCDBIAS"),
    atodgain,
    readnoise: perAmp("READNSE"),
    ampx: num(row, "AMPX"),
    ampy: num(row, "AMPY"),
    saturate: num(row, "SATURATE", 65535),
    meanGain,
    pedigree: text("PEDIGREE"),
    descrip: text("DESCRIP"),
  };
}
