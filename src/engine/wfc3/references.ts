/**
 * The reference files a WFC3 exposure needs (iref$…), resolved in the main thread from the primary header
 * and loaded, once per worker, into the records the WFC3 steps take.
 */
import { BPIXTAB_COLUMNS, type BpixRow } from "../../calib/common/bpixtab.js";
import { CRREJTAB_COLUMNS, type CrrejColumns } from "../../calib/common/crrejtab.js";
import { CalibrationError } from "../../calib/common/errors.js";
import type { Imphttab } from "../../calib/common/imphttab.js";
import type { ImageSet } from "../../calib/common/imset.js";
import { dqView } from "../../calib/common/imset.js";
import { isOptionalReference, neededReferences, switchKeywords } from "../../calib/common/steps.js";
import type { RowValue } from "../../calib/common/table-rows.js";
import { checkedRows } from "../../calib/common/table-schema.js";
import type { IrDark } from "../../calib/wfc3/ir-dark.js";
import type { NonLinearity } from "../../calib/wfc3/nlinfile.js";
import { IR_STEPS, UVIS_STEPS, WFC3_ALWAYS } from "../../calib/wfc3/steps.js";
import { FitsFile, type Header } from "../../fits/index.js";
import { readImphttab } from "../imphttab-file.js";
import {
  cachedReference,
  forgetCachedReference,
  type ReferenceName,
  type ReferenceNames,
  resolveReferenceNames,
} from "../program-files.js";
import { type Env, readReferenceImage, readReferenceTable } from "../reference-files.js";
import { readIrDark } from "./ir-dark-file.js";

export type { ReferenceName, ReferenceNames };

export type Detector = "UVIS" | "IR";

/**
 * Resolves the references the PERFORM switches need (the step table's, and CCDTAB and OSCNTAB always);
 * BPIXTAB may be N/A. A missing file is a CAL_FILE_MISSING naming keyword and path.
 */
export function resolveReferences(
  primary: Header,
  detector: Detector,
  perform: (s: string) => boolean,
  env: Env,
): ReferenceNames {
  const table = detector === "IR" ? IR_STEPS : UVIS_STEPS;
  const switches = Object.fromEntries(switchKeywords(table).map((k) => [k, perform(k) ? "PERFORM" : "OMIT"]));
  const optional = (keyword: string) => isOptionalReference(table, keyword, () => false);
  return resolveReferenceNames(primary, neededReferences(table, switches, WFC3_ALWAYS), optional, env);
}

export interface LoadedTable {
  name: string;
  pedigree: string;
  descrip: string;
  rows: Record<string, RowValue>[];
}

export function tableOf(keyword: string, ref: ReferenceName | undefined): LoadedTable | undefined {
  if (!ref) return undefined;
  return cachedReference(`table:${ref.path}`, () => {
    const t = readReferenceTable(keyword, ref.path);
    return { name: ref.name, pedigree: t.pedigree, descrip: t.descrip, rows: t.rows };
  });
}

/** CRREJTAB with its rows checked against the columns WF3REJ and WF3IR read. */
export function crrejtabOf(
  ref: ReferenceName | undefined,
): (Omit<LoadedTable, "rows"> & { rows: CrrejColumns[] }) | undefined {
  const table = tableOf("CRREJTAB", ref);
  return table && { ...table, rows: checkedRows(table.rows, CRREJTAB_COLUMNS, `CRREJTAB ${ref!.path} extension 1`) };
}

export function bpixRows(ref: ReferenceName | undefined): BpixRow[] | undefined {
  const table = tableOf("BPIXTAB", ref);
  return table && checkedRows(table.rows, BPIXTAB_COLUMNS, `BPIXTAB ${ref!.path} extension 1`);
}

/** A keyword of a reference file's primary header, as text (read once per thread). */
export function primaryText(ref: ReferenceName, keyword: string): string {
  return cachedReference(`primary:${keyword}:${ref.path}`, () => {
    const file = FitsFile.open(ref.path);
    try {
      return String(file.hdus[0].header.get(keyword) ?? "").trim();
    } finally {
      file.close();
    }
  });
}

/** SIZAXIS1/SIZAXIS2 of a BPIXTAB, from the table's header as calwf3.e reads them, when both are there. */
export function bpixSize(ref: ReferenceName): [number, number] | undefined {
  return cachedReference(`sizaxis:${ref.path}`, () => {
    const file = FitsFile.open(ref.path);
    try {
      const table = file.hdus[1]?.header;
      const [x, y] = [table?.get("SIZAXIS1"), table?.get("SIZAXIS2")];
      return typeof x === "number" && typeof y === "number" ? ([x, y] as [number, number]) : undefined;
    } finally {
      file.close();
    }
  });
}

export interface LoadedImage {
  name: string;
  pedigree: string;
  descrip: string;
  imsets: ImageSet[];
}

export function imageOf(keyword: string, ref: ReferenceName | undefined): LoadedImage | undefined {
  if (!ref) return undefined;
  return cachedReference(`image:${ref.path}`, () => {
    const r = readReferenceImage(keyword, ref.path);
    return { name: ref.name, pedigree: r.pedigree, descrip: r.descrip, imsets: r.imsets };
  });
}

export function imphttabOf(ref: ReferenceName | undefined): Imphttab | undefined {
  if (!ref) return undefined;
  return cachedReference(`imphttab:${ref.path}`, () => readImphttab(ref.name, ref.path));
}

/** The IR DARKFILE: one imset per sample time (SAMPTIME of each SCI header). */
export function irDarkOf(ref: ReferenceName | undefined): IrDark | undefined {
  if (!ref) return undefined;
  return cachedReference(`irdark:${ref.path}`, () => readIrDark(ref.path));
}

/**
 * Forgets the DARKFILE and NLINFILE of an IR exposure once the steps before CRCORR are done with them (a 16-read
 * dark alone is 64 MB): the next exposure of the run reads them again.
 */
export function forgetIrRampReferences(names: ReferenceNames): void {
  if (names.DARKFILE) forgetCachedReference(`irdark:${names.DARKFILE.path}`);
  if (names.NLINFILE) forgetCachedReference(`nlin:${names.NLINFILE.path}`);
}

/** The NLINFILE (FILETYPE must be LINEARITY COEFFICIENTS). */
export function nlinOf(ref: ReferenceName | undefined): NonLinearity | undefined {
  if (!ref) return undefined;
  return cachedReference(`nlin:${ref.path}`, () => {
    const file = FitsFile.open(ref.path);
    try {
      const primary = file.hdus[0].header;
      const filetype = String(primary.get("FILETYPE") ?? "")
        .trim()
        .toUpperCase();
      if (filetype && filetype !== "LINEARITY COEFFICIENTS") {
        throw new CalibrationError("INVALID_VALUE", `NLINFILE ${ref.name} has FILETYPE '${filetype}'`);
      }
      const ncoef = primary.getInt("NCOEF", 4);
      const image = (name: string, ver = 1) => file.readImage(file.hdu(name, ver));
      const f32 = (name: string, ver = 1) => {
        const data = image(name, ver).data;
        if (data instanceof Float32Array) return data;
        if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Float32Array.from(data, Number);
        return new Float32Array(data);
      };
      const node = image("NODE");
      const [nx, ny] = node.axes;
      const coef1 = file.hdu("COEF", 1).header;
      const dq = image("DQ").data;
      return {
        nx,
        ny,
        ltv: [coef1.getNumber("LTV1", 0), coef1.getNumber("LTV2", 0)],
        coef: Array.from({ length: ncoef }, (_, k) => f32("COEF", k + 1)),
        dq:
          dq instanceof Int16Array || dq instanceof Uint16Array
            ? dqView(dq)
            : Uint16Array.from(dq as ArrayLike<number>, Number),
        node: f32("NODE"),
        zsci: f32("ZSCI"),
        zerr: f32("ZERR"),
      };
    } finally {
      file.close();
    }
  });
}
