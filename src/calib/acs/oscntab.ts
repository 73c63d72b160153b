/**
 * OSCNTAB row selection for ACS (calibration.md §2.5 and §3; hstcal findover.c): overscan trims, bias
 * sections and the virtual-overscan box of the raw image. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */

import { sameInt, sameString } from "../common/row-match.js";
import type { TableSchema } from "../common/table-schema.js";

export interface OscnRow {
  CCDAMP: string;
  CCDCHIP: number;
  BINX: number;
  BINY: number;
  NX: number;
  NY: number;
  TRIMX1: number;
  TRIMX2: number;
  TRIMY1: number;
  TRIMY2: number;
  VX1: number;
  VX2: number;
  VY1: number;
  VY2: number;
  BIASSECTA1: number;
  BIASSECTA2: number;
  BIASSECTB1: number;
  BIASSECTB2: number;
  PEDIGREE?: string;
  DESCRIP?: string;
}

export const OSCNTAB_COLUMNS: TableSchema<OscnRow> = {
  CCDAMP: "string",
  CCDCHIP: "number",
  BINX: "number",
  BINY: "number",
  NX: "number",
  NY: "number",
  TRIMX1: "number",
  TRIMX2: "number",
  TRIMY1: "number",
  TRIMY2: "number",
  VX1: "number",
  VX2: "number",
  VY1: "number",
  VY2: "number",
  BIASSECTA1: "number",
  BIASSECTA2: "number",
  BIASSECTB1: "number",
  BIASSECTB2: "number",
  PEDIGREE: "string?",
  DESCRIP: "string?",
};

/** Rows with a 20-row trim have virtual overscan (hstcal's hard-wired size). */
export const VIRTUAL_OVERSCAN_ROWS = 20;

export interface OverscanRegions {
  /** Whether an OSCNTAB row matched (physical overscan is described). */
  found: boolean;
  /** Columns / rows to remove at the start and end of each axis. */
  trimx: [number, number];
  trimy: [number, number];
  /** Virtual-overscan box and bias sections, 0-based (table value - 1, so an unused 0 becomes -1). */
  vx: [number, number];
  vy: [number, number];
  biassecta: [number, number];
  biassectb: [number, number];
  virtualOverscan: boolean;
  /** 0-based index of the matched row. */
  rowIndex?: number;
  descrip?: string;
}

export const NO_OVERSCAN: OverscanRegions = {
  found: false,
  trimx: [0, 0],
  trimy: [0, 0],
  vx: [0, 0],
  vy: [0, 0],
  biassecta: [0, 0],
  biassectb: [0, 0],
  virtualOverscan: false,
};

export interface OscnSelection {
  ccdamp: string;
  ccdchip: number;
  /** NAXIS1/2 of the raw image set. */
  nx: number;
  ny: number;
}

/**
 * The first row matching CCDAMP, CCDCHIP, NX, NY and BINX = BINY = 1 (hstcal always matches binning 1
 * here); no row → NO_OVERSCAN (BLEVCORR then subtracts the CCDTAB bias).
 */
export function findOverscan(rows: readonly OscnRow[], want: OscnSelection): OverscanRegions {
  const rowIndex = rows.findIndex(
    (row) =>
      sameString(row.CCDAMP, want.ccdamp) &&
      sameInt(row.CCDCHIP, want.ccdchip) &&
      sameInt(row.BINX, 1) &&
      sameInt(row.BINY, 1) &&
      sameInt(row.NX, want.nx) &&
      sameInt(row.NY, want.ny),
  );
  if (rowIndex < 0) return { ...NO_OVERSCAN };
  const row = rows[rowIndex];
  return {
    found: true,
    trimx: [row.TRIMX1, row.TRIMX2],
    trimy: [row.TRIMY1, row.TRIMY2],
    vx: [row.VX1 - 1, row.VX2 - 1],
    vy: [row.VY1 - 1, row.VY2 - 1],
    biassecta: [row.BIASSECTA1 - 1, row.BIASSECTA2 - 1],
    biassectb: [row.BIASSECTB1 - 1, row.BIASSECTB2 - 1],
    virtualOverscan: row.TRIMY1 === VIRTUAL_OVERSCAN_ROWS || row.TRIMY2 === VIRTUAL_OVERSCAN_ROWS,
    rowIndex,
    descrip: row.DESCRIP?.trim() || undefined,
  };
}
