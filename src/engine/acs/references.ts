/**
 * The reference files an ACS exposure needs, resolved from its primary header (jref$…) in the main thread,
 * and loaded (once per worker) into the records the ACS steps take.
 */
import type { Acs2dReferences } from "../../calib/acs/acs2d.js";
import type { AcsCcdReferences, ImageReference, TableReference } from "../../calib/acs/acsccd.js";
import type { CcdtabRow } from "../../calib/acs/ccdtab.js";
import type { BpixRow } from "../../calib/acs/dqicorr.js";
import type { Imphttab } from "../../calib/acs/imphttab.js";
import type { OscnRow } from "../../calib/acs/oscntab.js";
import type { ReferenceImage } from "../../calib/acs/reference-image.js";
import { CalibrationError } from "../../calib/common/errors.js";
import type { RowValue } from "../../calib/common/table-rows.js";
import type { Header } from "../../fits/index.js";
import { readImphttab } from "../imphttab-file.js";
import { cachedReference, type ReferenceName, type ReferenceNames, resolveReferenceNames } from "../program-files.js";
import { type Env, readReferenceImage, readReferenceTable } from "../reference-files.js";
import type { AcsSwitches } from "./keywords.js";

/** Keywords each switch needs (calibration.md §3.1); CCDTAB is always needed for CCD data. */
function neededKeywords(s: AcsSwitches): string[] {
  const needed = ["CCDTAB"];
  if (s.dqicorr === "PERFORM") needed.push("BPIXTAB");
  if (s.biascorr === "PERFORM") needed.push("BIASFILE", "SATUFILE");
  if (s.blevcorr === "PERFORM") needed.push("OSCNTAB");
  if (s.sinkcorr === "PERFORM") needed.push("SNKCFILE");
  if (s.darkcorr === "PERFORM") needed.push("DARKFILE");
  if (s.flshcorr === "PERFORM") needed.push("FLSHFILE");
  if (s.flatcorr === "PERFORM") needed.push("PFLTFILE", "DFLTFILE", "LFLTFILE");
  if (s.shadcorr === "PERFORM") needed.push("SHADFILE");
  if (s.photcorr === "PERFORM") needed.push("IMPHTTAB");
  if (s.crcorr === "PERFORM" || s.rptcorr === "PERFORM") needed.push("CRREJTAB");
  return needed;
}

/** Keywords that may be N/A without failing (BPIXTAB: saturation flags only; the extra flats). */
const OPTIONAL = new Set(["BPIXTAB", "DFLTFILE", "LFLTFILE", "SNKCFILE"]);

/** Resolves every reference the switches need; a missing file is a CAL_FILE_MISSING naming keyword and path. */
export function resolveReferences(primary: Header, switches: AcsSwitches, env: Env): ReferenceNames {
  const optional = (keyword: string) =>
    OPTIONAL.has(keyword) || (keyword === "PFLTFILE" && primary.get("DFLTFILE") !== undefined);
  return resolveReferenceNames(primary, neededKeywords(switches), optional, env);
}

function table<Row>(keyword: string, ref: ReferenceName | undefined): TableReference<Row> | undefined {
  if (!ref) return undefined;
  return cachedReference(`table:${ref.path}`, () => {
    const t = readReferenceTable(keyword, ref.path);
    return {
      name: ref.name,
      pedigree: t.pedigree,
      descrip: t.descrip,
      rows: t.rows as unknown as Row[],
      gainColumnIsInteger: ["I", "J", "K", "B"].includes(t.columnTypes.CCDGAIN ?? ""),
    };
  });
}

/** An image reference with its PEDIGREE and DESCRIP ("" when absent), as both the CCD and 2-D steps take it. */
function image(keyword: string, ref: ReferenceName | undefined): (ImageReference & ReferenceImage) | undefined {
  if (!ref) return undefined;
  return cachedReference(`image:${ref.path}`, () => {
    const r = readReferenceImage(keyword, ref.path);
    return { name: ref.name, pedigree: r.pedigree, descrip: r.descrip, imsets: r.imsets };
  });
}

function imphttab(ref: ReferenceName | undefined): Imphttab | undefined {
  if (!ref) return undefined;
  return cachedReference(`imphttab:${ref.path}`, () => readImphttab(ref.name, ref.path));
}

export function ccdReferences(names: ReferenceNames): AcsCcdReferences {
  const ccdtab = table<CcdtabRow>("CCDTAB", names.CCDTAB);
  if (!ccdtab) throw new CalibrationError("CAL_FILE_MISSING", "CCDTAB is needed");
  return {
    ccdtab,
    oscntab: table<OscnRow>("OSCNTAB", names.OSCNTAB) ?? { name: "N/A", pedigree: "", descrip: "", rows: [] },
    bpixtab: table<BpixRow>("BPIXTAB", names.BPIXTAB),
    bias: image("BIASFILE", names.BIASFILE),
    satufile: image("SATUFILE", names.SATUFILE),
    snkcfile: image("SNKCFILE", names.SNKCFILE),
  };
}

export function twoDReferences(names: ReferenceNames): Acs2dReferences {
  return {
    dark: image("DARKFILE", names.DARKFILE),
    flash: image("FLSHFILE", names.FLSHFILE),
    flats: {
      pflt: image("PFLTFILE", names.PFLTFILE),
      dflt: image("DFLTFILE", names.DFLTFILE),
      lflt: image("LFLTFILE", names.LFLTFILE),
    },
    shading: image("SHADFILE", names.SHADFILE),
    imphttab: imphttab(names.IMPHTTAB),
  };
}

export function crrejRows(names: ReferenceNames): readonly Readonly<Record<string, RowValue>>[] {
  return table<Record<string, RowValue>>("CRREJTAB", names.CRREJTAB)?.rows ?? [];
}

export type { ReferenceName, ReferenceNames };
