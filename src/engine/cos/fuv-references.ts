/**
 * The FUV references of COS TIME-TAG as calcos reads them, checked when loaded: the BRFTAB row of the segment
 * (active area), the HVTAB's commanded voltage before EXPSTART (extensions FUVA/FUVB), the GSAGTAB extension for
 * the segment and voltage (exact, else the closest higher one) and its rows dated up to EXPSTART, the PHATAB
 * limits for SEGMENT and OPT_ELEM, and the segment's FLATFILE image. A missing row, column or extension is one
 * error naming the file, the table and the keys.
 */
import { basename } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import { checkedRows } from "../../calib/common/table-schema.js";
import type { BpixRegion } from "../../calib/cos/dqicorr.js";
import type { FlatField } from "../../calib/cos/flatcorr.js";
import type { ActiveArea } from "../../calib/cos/fuv-segment.js";
import { type Filter, requireRows } from "../../calib/cos/table-select.js";
import { FitsFile, type Header } from "../../fits/index.js";
import { readReferenceTable } from "../reference-files.js";

const extname = (h: Header) =>
  String(h.get("EXTNAME") ?? "")
    .trim()
    .toUpperCase();

export function loadActiveArea(path: string, segment: string, step: string): ActiveArea {
  const table = readReferenceTable("BRFTAB", path);
  const where = `BRFTAB ${basename(path)}[1]`;
  const schema = { A_LOW: "number", A_HIGH: "number", A_LEFT: "number", A_RIGHT: "number" } as const;
  const rows = requireRows(table.rows, { SEGMENT: segment }, where, step);
  if (rows.length !== 1)
    throw new CalibrationError("INVALID_VALUE", `${where}: ${rows.length} rows for SEGMENT='${segment}'`);
  const [row] = checkedRows<Record<keyof typeof schema, number>>(rows, schema, where);
  return { low: Number(row.A_LOW), high: Number(row.A_HIGH), left: Number(row.A_LEFT), right: Number(row.A_RIGHT) };
}

/** HVLEVELA and HVLEVELB: the row of each segment's extension with the latest DATE not after EXPSTART. */
export function loadHvLevels(path: string, expstart: number): Record<"FUVA" | "FUVB", number> {
  const levels = {} as Record<"FUVA" | "FUVB", number>;
  for (const segment of ["FUVA", "FUVB"] as const) {
    const key = `HVLEVEL${segment.slice(-1)}`;
    const where = `HVTAB ${basename(path)}[${segment}]`;
    const file = FitsFile.open(path);
    let index: number;
    try {
      index = file.hdus.findIndex((h, i) => i > 0 && extname(h.header) === segment);
    } finally {
      file.close();
    }
    if (index < 0) throw new CalibrationError("INVALID_VALUE", `HVTAB ${basename(path)}: has no ${segment} extension`);
    const rows = checkedRows<{ DATE: number } & Record<string, number>>(
      readReferenceTable("HVTAB", path, index).rows,
      { DATE: "number", [key]: "number" },
      where,
    );
    if (rows.length === 0) throw new CalibrationError("TABLE_ROW_MISSING", `${where}: has no rows`);
    // calcos' search: the smallest non-negative EXPSTART − DATE, else the first row
    let best = 0;
    let diff = expstart - rows[0].DATE;
    rows.forEach((r, i) => {
      const d = expstart - r.DATE;
      if (d >= 0 && d < diff) {
        diff = d;
        best = i;
      }
    });
    levels[segment] = Number(rows[best][key]);
  }
  return levels;
}

const REGION_SCHEMA = { LX: "number", LY: "number", DX: "number", DY: "number", DQ: "number" } as const;

/** The gain-sagged regions for the segment at the voltage, and a warning when no extension matched exactly. */
export function loadGainSag(
  path: string,
  segment: string,
  hvlevel: number,
  expstart: number,
): { regions: BpixRegion[]; warning?: string } {
  const key = `HVLEVEL${segment.slice(-1)}`;
  const file = FitsFile.open(path);
  let extension = -1;
  let closest: number | undefined;
  let closestDiff = Number.POSITIVE_INFINITY;
  try {
    for (let i = 1; i < file.hdus.length; i++) {
      const h = file.hdus[i].header;
      if (String(h.get("SEGMENT") ?? "missing").trim() !== segment) continue;
      const hv = h.getNumber(key, -999);
      if (hv === hvlevel) {
        extension = i;
        break;
      }
      if (hv > hvlevel && hv - hvlevel < closestDiff) {
        closestDiff = hv - hvlevel;
        closest = i;
      }
    }
  } finally {
    file.close();
  }
  let warning: string | undefined;
  if (extension < 0) {
    warning = `GSAGTAB ${basename(path)}: no extension for SEGMENT=${segment}, ${key}=${hvlevel}`;
    if (closest === undefined) return { regions: [], warning };
    extension = closest;
  }
  const where = `GSAGTAB ${basename(path)}[${extension}]`;
  const table = readReferenceTable("GSAGTAB", path, extension);
  const rows = checkedRows<Record<string, number>>(table.rows, { ...REGION_SCHEMA, DATE: "number" }, where);
  const regions = rows
    .filter((r) => r.DATE <= expstart)
    .map((r) => ({ LX: Number(r.LX), LY: Number(r.LY), DX: Number(r.DX), DY: Number(r.DY), DQ: Number(r.DQ) }));
  return { regions, warning };
}

/** LLT and ULT of the PHATAB row for the segment (and OPT_ELEM when the table has that column). */
export function loadPhaLimits(path: string, segment: string, optElem: string): { low: number; high: number } {
  const table = readReferenceTable("PHATAB", path);
  const where = `PHATAB ${basename(path)}[1]`;
  const filter: Filter = table.columnTypes.OPT_ELEM ? { SEGMENT: segment, OPT_ELEM: optElem } : { SEGMENT: segment };
  const rows = requireRows(table.rows, filter, where, "PHACORR");
  if (rows.length !== 1) {
    throw new CalibrationError("INVALID_VALUE", `${where}: ${rows.length} rows for SEGMENT='${segment}', not one`);
  }
  const [row] = checkedRows<{ LLT: number; ULT: number }>(rows, { LLT: "number", ULT: "number" }, where);
  return { low: Number(row.LLT), high: Number(row.ULT) };
}

/** The segment's flat: the extension named after it, placed at its ORIGIN_X/ORIGIN_Y. */
export function loadFuvFlat(path: string, segment: string): FlatField {
  const file = FitsFile.open(path);
  try {
    const index = file.hdus.findIndex((h, i) => i > 0 && extname(h.header) === segment);
    if (index < 0)
      throw new CalibrationError("INVALID_VALUE", `FLATFILE ${basename(path)}: has no ${segment} extension`);
    const image = file.readImage(index);
    if (image.axes.length !== 2) {
      throw new CalibrationError("INVALID_VALUE", `FLATFILE ${basename(path)}[${segment}]: is not a 2-D image`);
    }
    const header = file.hdus[index].header;
    const data = image.data instanceof Float32Array ? image.data : Float32Array.from(image.data as ArrayLike<number>);
    const [nx, ny] = image.axes;
    return { data, nx, ny, originX: header.getInt("ORIGIN_X", 0), originY: header.getInt("ORIGIN_Y", 0) };
  } finally {
    file.close();
  }
}
