/**
 * The COS NUV TIME-TAG references the native steps read, checked when loaded: BPIXTAB regions (rows of the
 * segment, N/A for NUV: all rows), DEADTAB rows (at least one for the segment) and its TIMESTEP, the FLATFILE
 * image with its ORIGIN_X/ORIGIN_Y. A missing column or row names the file, the table and the keys.
 */
import { basename } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import { checkedRows } from "../../calib/common/table-schema.js";
import type { DeadtabRow } from "../../calib/cos/deadcorr.js";
import { type BpixRegion, DEFAULT_WIDEN } from "../../calib/cos/dqicorr.js";
import type { FlatField } from "../../calib/cos/flatcorr.js";
import { requireRows, selectRows } from "../../calib/cos/table-select.js";
import { FitsFile } from "../../fits/index.js";
import { readReferenceTable } from "../reference-files.js";

const BPIX_SCHEMA = { LX: "number", LY: "number", DX: "number", DY: "number", DQ: "number" } as const;
const DEAD_SCHEMA = { OBS_RATE: "number", LIVETIME: "number" } as const;

const numbers = <T>(rows: Record<string, unknown>[], keys: readonly string[]) =>
  rows.map((r) => Object.fromEntries(keys.map((k) => [k, Number(r[k])]))) as T[];

export function loadBpixtab(path: string, segment: string): { regions: BpixRegion[]; widen: number } {
  const table = readReferenceTable("BPIXTAB", path);
  const where = `BPIXTAB ${basename(path)}[1]`;
  const rows = checkedRows<Record<keyof typeof BPIX_SCHEMA, number>>(table.rows, BPIX_SCHEMA, where);
  const hasSegment = table.columnTypes.SEGMENT !== undefined;
  const selected = hasSegment ? selectRows(table.rows, { SEGMENT: segment }) : rows;
  const file = FitsFile.open(path);
  try {
    const widen = file.hdus[1]?.header.getNumber("WIDEN", DEFAULT_WIDEN) ?? DEFAULT_WIDEN;
    return { regions: numbers<BpixRegion>(selected as Record<string, unknown>[], Object.keys(BPIX_SCHEMA)), widen };
  } finally {
    file.close();
  }
}

export function loadDeadtab(path: string, segment: string): { rows: DeadtabRow[]; timestep: number } {
  const table = readReferenceTable("DEADTAB", path);
  const where = `DEADTAB ${basename(path)}[1]`;
  checkedRows(table.rows, { ...DEAD_SCHEMA, SEGMENT: "string" }, where);
  const selected = requireRows(table.rows, { SEGMENT: segment }, where, "DEADCORR");
  const file = FitsFile.open(path);
  try {
    const header = file.hdus[1].header;
    if (!header.has("TIMESTEP")) throw new CalibrationError("INVALID_VALUE", `${where}: has no TIMESTEP keyword`);
    const timestep = header.getNumber("TIMESTEP");
    if (!(timestep > 0)) throw new CalibrationError("INVALID_VALUE", `${where}: TIMESTEP = ${timestep} is not > 0`);
    return { rows: numbers<DeadtabRow>(selected as Record<string, unknown>[], Object.keys(DEAD_SCHEMA)), timestep };
  } finally {
    file.close();
  }
}

/** The NUV flat is the first extension. */
export function loadNuvFlat(path: string): FlatField {
  const file = FitsFile.open(path);
  try {
    if (file.hdus.length < 2) throw new CalibrationError("INVALID_VALUE", `FLATFILE ${basename(path)}: has no image`);
    const image = file.readImage(1);
    const [nx, ny] = image.axes;
    if (image.axes.length !== 2) {
      throw new CalibrationError("INVALID_VALUE", `FLATFILE ${basename(path)}[1]: is not a 2-D image`);
    }
    const header = file.hdus[1].header;
    return {
      data: Float32Array.from(image.data as ArrayLike<number>),
      nx,
      ny,
      originX: header.getInt("ORIGIN_X", 0),
      originY: header.getInt("ORIGIN_Y", 0),
    };
  } finally {
    file.close();
  }
}
