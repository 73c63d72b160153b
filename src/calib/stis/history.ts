/**
 * The primary-header HISTORY calstis1 writes for the CCD steps it ran and the MAMA nonlinearity steps (cs1
 * history1.c), and PHOTMODE, which it updates whatever PHOTCORR says (photmode.c). Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { referenceHistory } from "../common/switches.js";

export interface ReferenceRecord {
  name: string;
  pedigree: string;
  descrip: string;
}

export interface Cs1HistoryInput {
  /** The CCDTAB (the CCD only). */
  ccdtab?: ReferenceRecord;
  /** DQICORR ran; with the BPIXTAB when there is one. */
  dqicorr?: { bpixtab?: ReferenceRecord };
  blevcorr?: { fromOverscan: boolean; driftcorr: boolean };
  errorsInitialized: boolean;
  /** MAMA: the LORSCORR and nonlinearity lines, which come after the uncertainty array's. */
  mama?: string[];
  biasfile?: ReferenceRecord;
  darkfile?: ReferenceRecord;
  /** The NUV-MAMA's TDCTAB, named after the DARKFILE. */
  tdctab?: ReferenceRecord;
  /** The flats FLATCORR used, in PFLT, DFLT, LFLT order. */
  flats?: ReferenceRecord[];
  /** PHOTCORR: done (with the TDSTAB when there is one) or ignored (obsmode not in the table). */
  photcorr?: { state: "PERFORM" | "IGNORED"; imphttab: ReferenceRecord; tdstab?: ReferenceRecord };
}

const image = (r: ReferenceRecord) => referenceHistory("image", r.name, r.pedigree, r.descrip);
const table = (r: ReferenceRecord) => referenceHistory("table", r.name, r.pedigree, r.descrip);

export function cs1History(h: Cs1HistoryInput): string[] {
  const lines = h.ccdtab ? ["CCD parameters table ...", ...table(h.ccdtab)] : [];
  if (h.dqicorr) {
    lines.push("DQICORR complete ...", "  values checked for saturation");
    if (h.dqicorr.bpixtab) lines.push("  DQ array initialized ...", ...table(h.dqicorr.bpixtab));
  }
  if (h.blevcorr) {
    lines.push(
      h.blevcorr.fromOverscan
        ? "BLEVCORR complete; bias level from overscan was subtracted."
        : "BLEVCORR complete, but default bias level was subtracted.",
      h.blevcorr.driftcorr
        ? "BLEVCORR includes correction for drift along lines."
        : "BLEVCORR does not include correction for drift along lines.",
    );
  }
  if (h.errorsInitialized) lines.push("Uncertainty array initialized.");
  if (h.mama) lines.push(...h.mama);
  if (h.biasfile) lines.push("BIASCORR complete ...", ...image(h.biasfile));
  if (h.darkfile) lines.push("DARKCORR complete ...", ...image(h.darkfile), ...(h.tdctab ? table(h.tdctab) : []));
  if (h.flats) lines.push("FLATCORR complete ...", ...h.flats.flatMap(image));
  if (h.photcorr?.state === "IGNORED") lines.push("PHOTCORR not performed ...");
  else if (h.photcorr) {
    lines.push("PHOTCORR complete ...", ...table(h.photcorr.imphttab));
    if (h.photcorr.tdstab) lines.push(...table(h.photcorr.tdstab));
    else lines.push("  Note:  Time-dependent sensitivity was not included with PHOTCORR");
  }
  return lines;
}

/** PHOTMODE of a CCD exposure: "STIS <aperture> A2D<gain> MIRROR|<opt_elem> CCD [cenwave] MJD#<expstart>". */
export function ccdPhotmode(o: {
  aperture: string;
  ccdgain: number;
  optElem: string;
  obstype: string;
  cenwave?: number;
  expstart: number;
}): string {
  const element = o.optElem.startsWith("MIR") ? "MIRROR" : o.optElem;
  const cenwave = o.obstype === "SPECTROSCOPIC" && (o.cenwave ?? -1) > 0 ? ` ${o.cenwave}` : "";
  return `STIS ${o.aperture} A2D${Math.trunc(o.ccdgain)} ${element} CCD${cenwave} MJD#${o.expstart.toFixed(4)}`;
}

/** nonlinHistory: a line per MAMA nonlinearity step done, then the MLINTAB once (cs1 history1.c). */
export function mamaNonlinearityHistory(glincorr: boolean, lflgcorr: boolean, mlintab: ReferenceRecord): string[] {
  const lines = [...(glincorr ? ["GLINCORR complete ..."] : []), ...(lflgcorr ? ["LFLGCORR complete ..."] : [])];
  return lines.length > 0 ? [...lines, ...table(mlintab)] : [];
}
