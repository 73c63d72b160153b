/**
 * The spectroscopic tables DOPPCORR reads, selected as calcos does: XTRACTAB rows by OPT_ELEM, CENWAVE, SEGMENT
 * and APERTURE (B_SPEC + SLOPE × 512 of the three PSA stripes and of the WCA's NUVA), DISPTAB rows by the same
 * and FPOFFSET (COEFF's first NELEM values, DELTA or D_TV03 − D). A missing row is one error naming the table
 * and every key; more than one matching row takes the first, as calcos does after its warning.
 */
import { basename } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import { checkedRows } from "../../calib/common/table-schema.js";
import type { BoxcarRow } from "../../calib/cos/boxcar.js";
import type { Dispersion } from "../../calib/cos/doppcorr.js";
import { type Filter, requireRows, selectRows } from "../../calib/cos/table-select.js";
import { readReferenceTable } from "../reference-files.js";

const XTRACT_SCHEMA = { SEGMENT: "string", OPT_ELEM: "string", CENWAVE: "number", APERTURE: "string" } as const;
const XTRACT_NUMBERS = { B_SPEC: "number", SLOPE: "number" } as const;
const DISP_SCHEMA = { ...XTRACT_SCHEMA, NELEM: "number" } as const;

export interface SpectroTables {
  /** B_SPEC + SLOPE × x of the XTRACTAB row for the filter. */
  bSpec(filter: Filter, x: number): number;
  /** The first XTRACTAB row for the filter, if any (calcos warns and goes on without one). */
  xtractRow(filter: Filter): Record<string, unknown> | undefined;
  /** The XTRACTAB row's extraction box and background regions; no row or a non-numeric value is an error for `step`. */
  boxcarRow(filter: Filter, step: string): BoxcarRow;
  dispersion(filter: Filter): Dispersion;
}

export function loadSpectroTables(xtractab: string, disptab: string, step: string): SpectroTables {
  const xt = readReferenceTable("XTRACTAB", xtractab);
  const xtWhere = `XTRACTAB ${basename(xtractab)}[1]`;
  checkedRows(xt.rows, { ...XTRACT_SCHEMA, ...XTRACT_NUMBERS }, xtWhere);
  const dt = readReferenceTable("DISPTAB", disptab);
  const dtWhere = `DISPTAB ${basename(disptab)}[1]`;
  checkedRows(dt.rows, DISP_SCHEMA, dtWhere);
  if (!("COEFF" in dt.columnTypes)) throw new CalibrationError("INVALID_VALUE", `${dtWhere}: has no column COEFF`);
  return {
    bSpec(filter, x) {
      const row = requireRows(xt.rows, filter, xtWhere, step)[0];
      return Number(row.B_SPEC) + Number(row.SLOPE) * x;
    },
    xtractRow(filter) {
      return selectRows(xt.rows, filter)[0];
    },
    boxcarRow(filter, step) {
      return boxcarRowOf(requireRows(xt.rows, filter, xtWhere, step)[0], xtWhere, step);
    },
    dispersion(filter) {
      const row = requireRows(dt.rows, filter, dtWhere, step)[0];
      const n = Number(row.NELEM);
      const all = row.COEFF as unknown;
      const coeff = (Array.isArray(all) ? all : [all]).slice(0, n).map(Number);
      if (n < 2 || coeff.length < n) {
        throw new CalibrationError("INVALID_VALUE", `${dtWhere}: NELEM = ${n} for ${JSON.stringify(filter)}`, { step });
      }
      const value = (k: string) => (row[k] === undefined || row[k] === null ? 0 : Number(row[k]));
      const delta = "DELTA" in row ? value("DELTA") : value("D_TV03") - value("D");
      return { coeff, delta };
    },
  };
}

function boxcarRowOf(row: Record<string, unknown>, where: string, step: string): BoxcarRow {
  const value = (k: string, fallback?: string) => {
    const v = row[k] ?? (fallback ? row[fallback] : undefined);
    if (v === undefined || v === null || !Number.isFinite(Number(v))) {
      throw new CalibrationError("INVALID_VALUE", `${where}: has no column ${k} for ${step}`, { step });
    }
    return Number(v);
  };
  return {
    slope: row.SLOPE === undefined ? 0 : Number(row.SLOPE),
    bSpec: value("B_SPEC"),
    height: value("HEIGHT"),
    bBkg1: value("B_BKG1"),
    bBkg2: value("B_BKG2"),
    bHgt1: value("B_HGT1", "BHEIGHT"),
    bHgt2: value("B_HGT2", "BHEIGHT"),
    bWidth: value("BWIDTH"),
  };
}
