/**
 * The references a STIS CCD exposure needs for the steps it performs, resolved from its primary header
 * (oref$…) and read in the main thread. Each is checked to be a STIS CCD reference: a file of another
 * instrument or detector is refused with one error naming keyword and file.
 */
import { CalibrationError } from "../../calib/common/errors.js";
import type { ImageSet } from "../../calib/common/imset.js";
import { checkedRows, type TableSchema } from "../../calib/common/table-schema.js";
import type { StisBpixRow } from "../../calib/stis/basic2d.js";
import { STIS_CCDTAB_COLUMNS, type StisCcdRow } from "../../calib/stis/ccdtab.js";
import type { StisLinearityRow } from "../../calib/stis/mama.js";
import { FitsFile, type Header } from "../../fits/index.js";
import { type ReferenceName, type ReferenceNames, resolveReferenceNames } from "../program-files.js";
import { type Env, readReferenceImage, readReferenceTable } from "../reference-files.js";

/** The reference keywords each switch needs (cs1 getflags1.c); CCDTAB is always read for the CCD. */
export const STIS_CCD_REFERENCES: Readonly<Record<string, readonly string[]>> = {
  DQICORR: ["BPIXTAB"],
  BIASCORR: ["BIASFILE"],
  DARKCORR: ["DARKFILE"],
  FLATCORR: ["PFLTFILE", "DFLTFILE", "LFLTFILE"],
  PHOTCORR: ["IMPHTTAB", "TDSTAB"],
  CRCORR: ["CRREJTAB"],
};

/** May be N/A: any one flat (not all three), and the TDSTAB (PHOTCORR then leaves out its temperature term). */
const OPTIONAL = new Set(["PFLTFILE", "DFLTFILE", "LFLTFILE", "TDSTAB"]);

/** The reference keywords of a MAMA's switches (cs1 getflags1.c): no CCDTAB; the NUV-MAMA's dark needs its TDCTAB. */
export const STIS_MAMA_REFERENCES: Readonly<Record<string, readonly string[]>> = {
  DQICORR: ["BPIXTAB"],
  GLINCORR: ["MLINTAB"],
  LFLGCORR: ["MLINTAB"],
  DARKCORR: ["DARKFILE"],
  FLATCORR: ["PFLTFILE", "DFLTFILE", "LFLTFILE"],
  PHOTCORR: ["IMPHTTAB", "TDSTAB"],
};

/**
 * Resolves the references of the PERFORM switches (with CCDTAB for the CCD); a flat may be N/A (not all
 * three). Each must be a STIS reference of `detector` (or ANY).
 */
export function resolveStisReferences(
  primary: Header,
  perform: readonly string[],
  env: Env,
  detector = "CCD",
): ReferenceNames {
  const ccd = detector === "CCD";
  const table = ccd ? STIS_CCD_REFERENCES : STIS_MAMA_REFERENCES;
  const keywords = [...(ccd ? ["CCDTAB"] : []), ...perform.flatMap((s) => table[s] ?? [])];
  if (detector === "NUV-MAMA" && perform.includes("DARKCORR")) keywords.push("TDCTAB");
  const names = resolveReferenceNames(primary, [...new Set(keywords)], (k) => OPTIONAL.has(k), env);
  if (perform.includes("FLATCORR") && !names.PFLTFILE && !names.DFLTFILE && !names.LFLTFILE) {
    throw new CalibrationError("CAL_FILE_MISSING", "FLATCORR: PFLTFILE, DFLTFILE and LFLTFILE are all N/A", {
      step: "FLATCORR",
    });
  }
  for (const [keyword, ref] of Object.entries(names)) if (ref) checkDetector(keyword, ref, detector);
  return names;
}

/** The reference must say INSTRUME STIS and DETECTOR `detector` or ANY (when it names a detector). */
function checkDetector(keyword: string, ref: ReferenceName, expected: string): void {
  const file = FitsFile.open(ref.path);
  try {
    const primary = file.hdus[0]!.header;
    const instrument = String(primary.get("INSTRUME") ?? "STIS")
      .trim()
      .toUpperCase();
    const detector = String(primary.get("DETECTOR") ?? expected)
      .trim()
      .toUpperCase();
    if (instrument !== "STIS" || (detector !== expected && detector !== "ANY")) {
      throw new CalibrationError(
        "INVALID_VALUE",
        `${keyword} = '${ref.name}': ${ref.path} is a ${instrument}/${detector} reference, not STIS/${expected}`,
      );
    }
  } finally {
    file.close();
  }
}

export interface StisImageReference {
  name: string;
  pedigree: string;
  descrip: string;
  set: ImageSet;
  /** The reference's primary header (REF_TEMP, DRK_VS_T of a dark). */
  primary: Header;
}

/** The first image set of a reference image (STIS references have one). */
export function readStisImage(keyword: string, ref: ReferenceName): StisImageReference {
  const image = readReferenceImage(keyword, ref.path);
  const set = image.imsets[0];
  if (!set) throw new CalibrationError("INVALID_VALUE", `${keyword} = '${ref.name}': ${ref.path} has no SCI extension`);
  const file = FitsFile.open(ref.path);
  try {
    const primary = file.hdus[0]!.header.clone();
    return { name: ref.name, pedigree: image.pedigree, descrip: image.descrip, set, primary };
  } finally {
    file.close();
  }
}

export interface StisTable<Row> {
  name: string;
  pedigree: string;
  descrip: string;
  rows: Row[];
}

function tableRows<Row>(keyword: string, ref: ReferenceName, schema: TableSchema<Row>): StisTable<Row> {
  const table = readReferenceTable(keyword, ref.path);
  const rows = checkedRows(table.rows, schema, `${keyword} ${ref.path} extension 1`);
  return { name: ref.name, pedigree: table.pedigree, descrip: table.descrip, rows };
}

export function readCcdtab(ref: ReferenceName): StisTable<StisCcdRow> {
  return tableRows("CCDTAB", ref, STIS_CCDTAB_COLUMNS);
}

const MLINTAB_COLUMNS: TableSchema<StisLinearityRow> = {
  DETECTOR: "string",
  GLOBAL_LIMIT: "number",
  LOCAL_LIMIT: "number",
  TAU: "number",
  EXPAND: "number",
};

/** The MAMA linearity table (GLINCORR, LFLGCORR). */
export function readMlintab(ref: ReferenceName): StisTable<StisLinearityRow> {
  return tableRows("MLINTAB", ref, MLINTAB_COLUMNS);
}

const BPIXTAB_COLUMNS: TableSchema<StisBpixRow> = {
  OPT_ELEM: "string?",
  PIX1: "number",
  PIX2: "number",
  LENGTH: "number",
  AXIS: "number",
  VALUE: "number",
};

/** BPIXTAB rows and the detector size its header gives (SIZAXIS1/2 of the table extension). */
export function readBpixtab(ref: ReferenceName): StisTable<StisBpixRow> & { size?: [number, number] } {
  const table = tableRows("BPIXTAB", ref, BPIXTAB_COLUMNS);
  const rows = table.rows;
  for (const [r, row] of rows.entries()) {
    if ((row.AXIS !== 1 && row.AXIS !== 2) || row.LENGTH <= 0) {
      throw new CalibrationError(
        "INVALID_VALUE",
        `BPIXTAB ${ref.path} row ${r + 1}: AXIS must be 1 or 2 and LENGTH positive (got ${row.AXIS}, ${row.LENGTH})`,
      );
    }
  }
  const file = FitsFile.open(ref.path);
  try {
    const h = file.hdus[1]?.header;
    const size = h?.has("SIZAXIS1") && h.has("SIZAXIS2") ? [h.getInt("SIZAXIS1"), h.getInt("SIZAXIS2")] : undefined;
    return { ...table, size: size as [number, number] | undefined };
  } finally {
    file.close();
  }
}

/**
 * The references of one exposure, each read once however many calstis1 passes use it (a CR-SPLIT's `_crj`
 * and CR-flagged `_flt` are flat-fielded by the same files). What it holds is only read, never changed.
 */
export class ReferenceCache {
  private readonly held = new Map<string, unknown>();

  get<T>(key: string, read: () => T): T {
    if (!this.held.has(key)) this.held.set(key, read());
    return this.held.get(key) as T;
  }
}
