/**
 * CCDTAB row selection for ACS (calibration.md §3, CCDTAB (ACS); hstcal getccdtab.c).
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "../common/errors.js";
import { sameFloat, sameInt, sameString } from "../common/row-match.js";
import type { TableSchema } from "../common/table-schema.js";
import { type AcsCcdParameters, AMP_NAMES } from "./ccd-parameters.js";

type PerAmp<T extends string> = `${T}${"A" | "B" | "C" | "D"}`;

/** One CCDTAB row, columns as named in the table (BINAXIS1/2 and SATURATE are read but not used). */
export type CcdtabRow = {
  CCDAMP: string;
  CCDCHIP: number;
  CCDGAIN: number;
  AMPX: number;
  AMPY: number;
  ATODSAT: number;
  OVRHFLS: number;
  OVRHUFLS: number;
  BINAXIS1?: number;
  BINAXIS2?: number;
  SATURATE?: number;
  PEDIGREE?: string;
  DESCRIP?: string;
} & Record<PerAmp<"CCDOFST" | "CCDBIAS" | "ATODGN" | "READNSE">, number>;

export const CCDTAB_COLUMNS: TableSchema<CcdtabRow> = {
  CCDAMP: "string",
  CCDCHIP: "number",
  CCDGAIN: "number",
  AMPX: "number",
  AMPY: "number",
  ATODSAT: "number",
  OVRHFLS: "number",
  OVRHUFLS: "number",
  BINAXIS1: "number?",
  BINAXIS2: "number?",
  SATURATE: "number?",
  PEDIGREE: "string?",
  DESCRIP: "string?",
  CCDOFSTA: "number",
  CCDOFSTB: "number",
  CCDOFSTC: "number",
  CCDOFSTD: "number",
  CCDBIASA: "number",
  CCDBIASB: "number",
  CCDBIASC: "number",
  CCDBIASD: "number",
  ATODGNA: "number",
  ATODGNB: "number",
  ATODGNC: "number",
  ATODGND: "number",
  READNSEA: "number",
  READNSEB: "number",
  READNSEC: "number",
  READNSED: "number",
};

/** What the exposure says: primary CCDAMP, CCDGAIN, CCDOFSTA..D and the SCI CCDCHIP. */
export interface CcdSelection {
  ccdamp: string;
  ccdgain: number;
  ccdchip: number;
  ccdofst: readonly [number, number, number, number];
}

export interface CcdTableOptions {
  /** NAXIS1 of the image set: AMPX is clamped to it. */
  nx: number;
  /** The CCDGAIN column is an integer column (pre-SM4 tables): compared with (int)CCDGAIN. */
  gainColumnIsInteger?: boolean;
  /** For messages. */
  tableName?: string;
}

export interface SelectedCcdRow {
  parameters: AcsCcdParameters;
  /** 0-based index of the matching row. */
  rowIndex: number;
  pedigree?: string;
  descrip?: string;
}

function rowMatches(row: CcdtabRow, want: CcdSelection, gainIsInteger: boolean): boolean {
  const sameGain = gainIsInteger
    ? sameInt(row.CCDGAIN, Math.trunc(want.ccdgain))
    : sameFloat(row.CCDGAIN, want.ccdgain);
  return (
    sameString(row.CCDAMP, want.ccdamp) &&
    sameGain &&
    sameInt(row.CCDCHIP, want.ccdchip) &&
    AMP_NAMES.every((amp, k) => sameInt(row[`CCDOFST${amp}`], want.ccdofst[k]))
  );
}

function perAmp(row: CcdtabRow, column: "CCDBIAS" | "ATODGN" | "READNSE", ccdamp: string) {
  // Amps not named in CCDAMP get 0, so that they never look used downstream.
  return AMP_NAMES.map((amp) => (ccdamp.includes(amp) ? Math.fround(row[`${column}${amp}`]) : 0)) as [
    number,
    number,
    number,
    number,
  ];
}

/** The first row with CCDAMP, CCDGAIN, CCDCHIP and CCDOFSTA..D equal (wildcards allowed); BINAXIS is not used. */
export function selectCcdParameters(
  rows: readonly CcdtabRow[],
  want: CcdSelection,
  options: CcdTableOptions,
): SelectedCcdRow {
  const rowIndex = rows.findIndex((row) => rowMatches(row, want, options.gainColumnIsInteger ?? false));
  if (rowIndex < 0) {
    throw new CalibrationError(
      "TABLE_ROW_MISSING",
      `Matching row not found in CCDTAB${options.tableName ? ` '${options.tableName}'` : ""}: ` +
        `CCDAMP ${want.ccdamp}, CCDGAIN ${want.ccdgain.toFixed(1)}, CCDCHIP ${want.ccdchip}, ` +
        `CCDOFST ${want.ccdofst.join(",")}`,
    );
  }
  const row = rows[rowIndex];
  const ccdamp = want.ccdamp.trimEnd();
  return {
    parameters: {
      ccdamp,
      ccdchip: want.ccdchip,
      ccdgain: Math.fround(want.ccdgain),
      ccdbias: perAmp(row, "CCDBIAS", ccdamp),
      atodgain: perAmp(row, "ATODGN", ccdamp),
      readnoise: perAmp(row, "READNSE", ccdamp),
      ampx: Math.min(row.AMPX, options.nx),
      ampy: row.AMPY,
      atodsat: row.ATODSAT,
      ovrhfls: Math.fround(row.OVRHFLS),
      ovrhufls: Math.fround(row.OVRHUFLS),
    },
    rowIndex,
    pedigree: row.PEDIGREE?.trim() || undefined,
    descrip: row.DESCRIP?.trim() || undefined,
  };
}
