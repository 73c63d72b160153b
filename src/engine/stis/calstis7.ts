/**
 * calstis7 (cs7 do2dx.c) for a first-order long-slit spectrum: each image set of a `_flt`/`_crj` (or of a
 * basic-2-D wavecal) rectified onto the SDCTAB's wavelength × slit grid with its SHIFTA1/SHIFTA2 applied
 * (none for a wavecal), the heliocentric correction (HELCORR), surface brightness (FLUXCORR) and statistics
 * (STATFLAG); the headers as cs7 writes them (CRPIX/CRVAL/CD, SPORDER, V_HELIO, BUNIT, DIFF2PT …, X2DCORR and
 * DISPCORR COMPLETE, its HISTORY). An echelle gets one output image set per SDCTAB order, each on its order's
 * SDCTAB grid, trace, INANGTAB and PHOTTAB rows. Prism and DISPAXIS 2 are refused by name.
 */
import { CalibrationError } from "../../calib/common/errors.js";
import { referenceHistory } from "../../calib/common/switches.js";
import { imageStatistics } from "../../calib/stis/basic2d.js";
import { heliocentricFactor } from "../../calib/stis/heliocentric.js";
import { fluxCalibrate } from "../../calib/stis/x2d-flux.js";
import { rectifiedKeywords, scaleGrid } from "../../calib/stis/x2d-geometry.js";
import { rectify } from "../../calib/stis/x2d-rectify.js";
import type { Header } from "../../fits/index.js";
import { addHistory, applyKeywords, setKeyword } from "../headers.js";
import type { ImageSetFile, ImageSetHdus } from "../imset-io.js";
import type { ReferenceNames } from "../program-files.js";
import { performs, upper } from "./calstis-shared.js";
import { ccdTemperature } from "./calstis1.js";
import {
  type FluxTables,
  ordersOf,
  readFluxTables,
  readGeometryTables,
  type Selection,
  type TableRecord,
} from "./calstis7-tables.js";

/** The references calstis7 reads for a spectrum (PCTAB and TDSTAB only when named). */
export const CS7_REFERENCES = ["SDCTAB", "APDESTAB", "DISPTAB", "INANGTAB", "SPTRCTAB"] as const;
export const CS7_FLUX_REFERENCES = ["PHOTTAB", "APERTAB", "PCTAB", "TDSTAB"] as const;

const tableLines = (r: TableRecord) => referenceHistory("table", r.name, r.pedigree, r.descrip, r.rowDescrip);

export function selectionOf(primary: Header, where: string): Selection {
  const optElem = upper(primary, "OPT_ELEM");
  if (optElem.startsWith("PRISM")) {
    throw new CalibrationError("CAL_STEP_NOT_DONE", `${where}: X2DCORR for ${optElem} is not native yet`, {
      step: "X2DCORR",
    });
  }
  if (!primary.has("CENWAVE")) {
    throw new CalibrationError("HEADER_PROBLEM", `${where}: CENWAVE is missing`, { step: "X2DCORR" });
  }
  return { optElem, cenwave: primary.getInt("CENWAVE"), aperture: upper(primary, "APERTURE"), sporder: 1 };
}

function required(h: Header, keyword: string, where: string): number {
  const v = h.get(keyword);
  if (typeof v !== "number") {
    throw new CalibrationError("HEADER_PROBLEM", `${where}: ${keyword} is missing or not a number`, {
      step: "X2DCORR",
    });
  }
  return v;
}

/** GetDetTemp: the CCD's housing temperature on side 2, a MAMA's OM1CAT/OM2CAT; −1 when unknown. */
export function detectorTemperature(primary: Header, sci: Header): number {
  const detector = upper(primary, "DETECTOR");
  if (detector === "CCD") return ccdTemperature(sci);
  const keyword = detector === "FUV-MAMA" ? "OM1CAT" : "OM2CAT";
  return sci.getNumber(keyword, -1);
}

export interface Calstis7Result {
  file: ImageSetFile;
  trailer: string[];
}

/**
 * Rectifies every image set of `input` (named `where` in errors); the input is not changed. `outputName` is
 * the product's FILENAME.
 */
export function calstis7(input: ImageSetFile, refs: ReferenceNames, where: string, outputName: string): Calstis7Result {
  const primary = input.primary.clone();
  const selection = selectionOf(primary, where);
  const helcorr = performs(primary, "HELCORR");
  const fluxcorr = performs(primary, "FLUXCORR");
  const statflag = performs(primary, "STATFLAG");
  const imsets: ImageSetHdus[] = [];
  let fluxHistory: FluxTables | undefined;
  let geometryHistory: TableRecord[] = [];
  let heliocentric = false;
  // one output image set per order of each input image set: [1] for a first-order grating (cs7 GetSDC)
  const orders = ordersOf(refs, selection);
  for (const [hdus, sporder] of input.imsets.flatMap((h) => orders.map((o) => [h, o] as const))) {
    const at = `${where}[SCI,${hdus.ver}]`;
    const sci = hdus.sci.clone();
    if (sci.getInt("DISPAXIS", 1) !== 1) {
      throw new CalibrationError("CAL_STEP_NOT_DONE", `${at}: X2DCORR with DISPAXIS 2 is not native yet`, {
        step: "X2DCORR",
      });
    }
    const wavecal = String(sci.get("ASN_MTYP") ?? "unknown").includes("WAVECAL");
    const expstart = required(sci, "EXPSTART", at);
    const expend = required(sci, "EXPEND", at);
    const exptime = required(sci, "EXPTIME", at);
    const tables = readGeometryTables(refs, { ...selection, sporder }, expstart);
    geometryHistory = tables.history;
    const { ltm } = hdus.set.geometry;
    const ltv: [number, number] = [hdus.set.geometry.ltv[0] + ltm[0] - 1, hdus.set.geometry.ltv[1] + ltm[1] - 1];
    const { grid, plateScale } = scaleGrid(tables.grid, { ltm: [...ltm], ltv, nx: hdus.set.nx, ny: hdus.set.ny });
    const shifta1 = wavecal ? 0 : sci.getNumber("SHIFTA1", 0);
    const shifta2 = wavecal ? 0 : sci.getNumber("SHIFTA2", 0);
    let hfactor = 1;
    if (helcorr && !wavecal) {
      const helio = heliocentricFactor(
        required(primary, "RA_TARG", where),
        required(primary, "DEC_TARG", where),
        expstart,
        expend,
      );
      hfactor = helio.factor;
      sci.set("V_HELIO", helio.vHelio, { comment: "heliocentric radial velocity (km/s)" });
      heliocentric = true;
    }
    const set = rectify(hdus.set, {
      grid,
      dispersion: tables.dispersion,
      incidence: tables.incidence,
      delta: tables.slit.offset[0] - tables.refOffset1,
      traces: tables.traces,
      slit: tables.slit,
      shifta1,
      offset2: shifta2 + tables.slit.offset[1] / plateScale[1],
      ltm: [...ltm],
      ltv,
      hfactor,
    });
    const out: ImageSetHdus = { ver: imsets.length + 1, set, sci, err: hdus.err.clone(), dq: hdus.dq.clone() };
    // an echelle's orders become image sets 1, 2, … of the output (cs7 o_extver)
    for (const h of [out.sci, out.err, out.dq]) if (h.get("EXTVER") !== out.ver) h.set("EXTVER", out.ver);
    sci.set("SPORDER", grid.sporder, { comment: "spectral order number" });
    for (const h of [out.sci, out.err, out.dq]) applyKeywords(h, rectifiedKeywords(grid));
    if (fluxcorr && exptime > 0) {
      const flux = readFluxTables(refs, { ...selection, sporder }, expstart, detectorTemperature(primary, sci));
      fluxHistory = flux;
      const keywords = fluxCalibrate(set, {
        grid,
        response: flux.response,
        pct: flux.pct,
        slit: flux.slit,
        tds: flux.tds,
        slitWidth: tables.slit.width[0],
        plateScale,
        atodgain: primary.getNumber("ATODGAIN", 1),
        exptime,
        hfactor,
      });
      applyKeywords(out.sci, keywords);
      setKeyword(out.err, "BUNIT", keywords.BUNIT);
    }
    if (statflag) {
      const stats = imageStatistics(set, sci.getInt("SDQFLAGS", 32767));
      applyKeywords(out.sci, stats.sci);
      applyKeywords(out.err, stats.err);
    }
    imsets.push(out);
  }
  const history = ["X2DCORR complete ...", ...geometryHistory.flatMap(tableLines)];
  setKeyword(primary, "X2DCORR", "COMPLETE");
  setKeyword(primary, "DISPCORR", "COMPLETE");
  if (heliocentric) {
    setKeyword(primary, "HELCORR", "COMPLETE");
    history.push("HELCORR complete");
  }
  if (fluxHistory) {
    setKeyword(primary, "FLUXCORR", "COMPLETE");
    const [phot, aper, ...rest] = fluxHistory.history;
    history.push("FLUXCORR complete ...", ...tableLines(phot), ...tableLines(aper));
    if (fluxHistory.pctcorr) history.push(...tableLines(rest.shift()!));
    else history.push("  Note:  PCTAB correction was not included in DIFF2PT");
    if (fluxHistory.tdscorr) history.push(...tableLines(rest.shift()!));
    else history.push("  Note:  TDSTAB correction was not included in fluxcorr");
  }
  if (statflag) history.push("Statistics computed");
  setKeyword(primary, "FILENAME", outputName);
  addHistory(primary, history);
  return { file: { primary, imsets }, trailer: history };
}
