/**
 * OSCNTAB row selection for WFC3 (calibration.md §3, OSCNTAB (WFC3)): trims (including the serial virtual
 * overscan TRIMX3/4 in the middle of a UVIS chip), bias sections A-D and the parallel virtual boxes, all
 * converted to 0-based columns; subarrays as uvis-subarray-overscan.ts. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */

import { CalibrationError } from "../common/errors.js";
import { sameInt, sameString } from "../common/row-match.js";
import type { Wf3Overscan } from "./overscan-regions.js";
import { subarrayOverscan } from "./uvis-subarray-overscan.js";

export type { Wf3Overscan } from "./overscan-regions.js";

type Row = Record<string, unknown>;
const num = (row: Row, column: string, fallback = 0) => (row[column] === undefined ? fallback : Number(row[column]));

export interface OscnSelection {
  ccdamp: string;
  ccdchip: number;
  bin: [number, number];
  nx: number;
  ny: number;
  /** UVIS subarray (primary SUBARRAY = T): rows match without NX/NY and the trims follow LTV1. */
  subarray?: { ltv1: number };
}

/** The first row with CCDAMP, CCDCHIP, BINX, BINY equal and the raw image size (NX, NY) when given. */
export function findWf3Overscan(rows: readonly Row[], want: OscnSelection): Wf3Overscan {
  const row = rows.find(
    (r) =>
      sameString(String(r.CCDAMP ?? ""), want.ccdamp) &&
      sameInt(num(r, "CCDCHIP"), want.ccdchip) &&
      sameInt(num(r, "BINX", 1), want.bin[0]) &&
      sameInt(num(r, "BINY", 1), want.bin[1]) &&
      (want.subarray !== undefined || r.NX === undefined || sameInt(num(r, "NX"), want.nx)) &&
      (want.subarray !== undefined || r.NY === undefined || sameInt(num(r, "NY"), want.ny)),
  );
  if (!row) {
    throw new CalibrationError(
      "TABLE_ROW_MISSING",
      `no OSCNTAB row for CCDAMP ${want.ccdamp}, CCDCHIP ${want.ccdchip}, BIN ${want.bin.join("x")}, ${want.nx}x${want.ny}`,
    );
  }
  const section = (a: string, b: string): [number, number] => {
    const first = num(row, a);
    const last = num(row, b);
    return first > 0 && last > 0 ? [first - 1, last - 1] : [-1, -1];
  };
  const full: Wf3Overscan = {
    trimx: [num(row, "TRIMX1"), num(row, "TRIMX2")],
    trimy: [num(row, "TRIMY1"), num(row, "TRIMY2")],
    trimx3: num(row, "TRIMX3"),
    trimx4: num(row, "TRIMX4"),
    biassect: [
      section("BIASSECTA1", "BIASSECTA2"),
      section("BIASSECTB1", "BIASSECTB2"),
      section("BIASSECTC1", "BIASSECTC2"),
      section("BIASSECTD1", "BIASSECTD2"),
    ],
    vleft: { x: [num(row, "VX1") - 1, num(row, "VX2") - 1], y: [num(row, "VY1") - 1, num(row, "VY2") - 1] },
    vright: { x: [num(row, "VX3") - 1, num(row, "VX4") - 1], y: [num(row, "VY3") - 1, num(row, "VY4") - 1] },
  };
  return want.subarray ? subarrayOverscan(full, num(row, "NX"), want.nx, want.subarray.ltv1) : full;
}
