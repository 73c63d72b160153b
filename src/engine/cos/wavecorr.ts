/**
 * WAVECORR of a NUV TIME-TAG exposure without a wavecal (no TAGFLASH, no wavecal in the association): the
 * stripes' shifts from the LAMPTAB (FP_PIXEL_SHIFT for OPT_ELEM, CENWAVE, FPOFFSET), the WCPTAB row of the
 * OPT_ELEM (calcos requires exactly one), XFULL/YFULL and WAVELENGTH, the SHIFT1[ABC], SHIFT2[ABC] and
 * DPIXEL1[ABC] keywords, and the slices whose shift ranges widen the DQ image. WAVECORR is recorded SKIPPED,
 * as calcos does when it found no wavecal.
 */
import { basename } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import type { Dispersion } from "../../calib/cos/doppcorr.js";
import type { ShiftSlice } from "../../calib/cos/dqicorr.js";
import { type CorrtagEvents, NUV_X_OFFSET } from "../../calib/cos/events.js";
import { requireRows, selectRows } from "../../calib/cos/table-select.js";
import {
  applyWavecalShifts,
  computeWavelengths,
  meanFractionalPixel,
  nuvWcaBoundaries,
  type StripeRows,
  wavecalSlices,
} from "../../calib/cos/wavecorr.js";
import type { Header } from "../../fits/index.js";
import { type Env, readReferenceTable } from "../reference-files.js";
import type { SpectroTables } from "./spectro-tables.js";
import { requiredReference } from "./switches.js";
import { type TagflashResult, tagflashShifts } from "./tagflash.js";

const STRIPES = ["NUVA", "NUVB", "NUVC"];
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

export interface NuvWavecorr {
  slices: ShiftSlice[];
  /** The shift of each stripe (A, B, C), pixels (the exposure's average with lamp flashes). */
  shift1: number[];
  /** TIMELINE's SHIFT1 (NUVB; one value without flashes) and the median calcos takes of it. */
  timelineShift1: number | Float32Array;
  medianShift1: number;
  /** With TAGFLASH: the `_lampflash` contents. */
  tagflash?: TagflashResult & { primary: Header; eventsHeader: Header };
  /** Stripes whose DISPTAB rows are missing: no WAVELENGTH for them (calcos says so and goes on). */
  missing: string[];
}

export function nuvWavecorr(
  events: CorrtagEvents,
  primary: Header,
  hdr: Header,
  env: Env,
  tables: SpectroTables,
  psaRows: [number, number][],
  vHelio: number | undefined,
  rawName = "",
): NuvWavecorr {
  const optElem = primary.getString("OPT_ELEM").trim();
  const cenwave = primary.getInt("CENWAVE");
  const fpoffset = primary.getInt("FPOFFSET", 0);
  const base = { OPT_ELEM: optElem, CENWAVE: cenwave };
  const bSpec = (segment: string, aperture: string) =>
    tables.bSpec({ ...base, SEGMENT: segment, APERTURE: aperture }, 512);
  const c = bSpec("NUVC", "PSA");
  const wca = nuvWcaBoundaries(
    { c, wcaA: bSpec("NUVA", "WCA"), wcaB: bSpec("NUVB", "WCA"), wcaC: bSpec("NUVC", "WCA") },
    1024,
  );
  const rows: StripeRows = { psa: psaRows, wca };
  const tagflash = primary.getString("TAGFLASH", "NONE").trim().toUpperCase() !== "NONE";
  let flash: NuvWavecorr["tagflash"];
  let shift1: number[];
  if (tagflash) {
    // the lampflash's headers as calcos has them when it sets the file up: WAVECALS blank, X_OFFSET known
    const snapshot = primary.clone().set("WAVECORR", "COMPLETE").set("WAVECALS", "");
    const result = tagflashShifts(events, primary, hdr, env, tables, rawName);
    const eventsHeader = hdr.clone();
    if (!eventsHeader.has("X_OFFSET")) eventsHeader.set("X_OFFSET", NUV_X_OFFSET);
    flash = { ...result, primary: snapshot, eventsHeader };
    shift1 = result.shift1;
  } else {
    shift1 = lamptabShifts(events, primary, hdr, env, rows, psaRows);
  }
  const slices = wavecalSlices(events, rows);
  const missing: string[] = [];
  const relations: { psa: Dispersion; wca: Dispersion }[] = [];
  for (const segment of STRIPES) {
    const row = (aperture: string) => {
      try {
        return tables.dispersion({ ...base, SEGMENT: segment, APERTURE: aperture, FPOFFSET: fpoffset });
      } catch (e) {
        if (e instanceof CalibrationError && e.code === "TABLE_ROW_MISSING") return undefined;
        throw e;
      }
    };
    const [psa, wcaRelation] = [row("PSA"), row("WCA")];
    if (!psa || !wcaRelation) missing.push(segment);
    // a stripe without its relations keeps WAVELENGTH 0: its rows then never match
    relations.push(psa && wcaRelation ? { psa, wca: wcaRelation } : { psa: NONE, wca: NONE });
  }
  const usable: StripeRows = {
    psa: rows.psa.map((r, s) => (missing.includes(STRIPES[s]) ? [0, 0] : r)),
    wca: rows.wca.map((r, s) => (missing.includes(STRIPES[s]) ? [0, 0] : r)),
  };
  computeWavelengths(events, usable, relations, vHelio);
  primary.set("WAVECORR", flash ? flash.wavecorr : "SKIPPED");
  const vsTime = flash?.shift1VsTime;
  const timelineShift1 = vsTime ?? (flash ? 0 : shift1[1]);
  const medianShift1 = vsTime ? Float32Array.from(vsTime).sort()[vsTime.length >> 1] : (timelineShift1 as number);
  return { slices, missing, shift1, timelineShift1, medianShift1, tagflash: flash };
}

/** calcos' noWavecal: each stripe's LAMPTAB FP_PIXEL_SHIFT, constant, and the shift keywords. */
function lamptabShifts(
  events: CorrtagEvents,
  primary: Header,
  hdr: Header,
  env: Env,
  rows: StripeRows,
  psaRows: [number, number][],
): number[] {
  const lamptab = requiredReference(primary, "LAMPTAB", env, "WAVECORR");
  const wcptab = requiredReference(primary, "WCPTAB", env, "WAVECORR");
  const optElem = primary.getString("OPT_ELEM").trim();
  const cenwave = primary.getInt("CENWAVE");
  const fpoffset = primary.getInt("FPOFFSET", 0);
  const wcp = readReferenceTable("WCPTAB", wcptab);
  requireRows(wcp.rows, { OPT_ELEM: optElem }, `WCPTAB ${basename(wcptab)}[1]`, "WAVECORR");
  const lamp = readReferenceTable("LAMPTAB", lamptab);
  const hasShift = "FP_PIXEL_SHIFT" in lamp.columnTypes;
  const shift1 = STRIPES.map((segment) => {
    const filter = {
      OPT_ELEM: optElem,
      CENWAVE: cenwave,
      SEGMENT: segment,
      ...(hasShift ? { FPOFFSET: fpoffset } : {}),
    };
    const row = selectRows(lamp.rows, filter)[0];
    return row && hasShift ? Number(row.FP_PIXEL_SHIFT) : 0;
  });
  applyWavecalShifts(events, rows, shift1, 0);
  STRIPES.forEach((segment, s) => {
    const letter = segment.slice(-1);
    hdr.set(`SHIFT1${letter}`, round4(shift1[s]), { comment: `wavecal shift, stripe ${letter} (pixels)` });
  });
  STRIPES.forEach((segment, s) => {
    const letter = segment.slice(-1);
    hdr.set(`SHIFT2${letter}`, 0, { comment: `cross-dispersion offset, stripe ${letter} (pixels)` });
    const dpixel = round4(meanFractionalPixel(events, psaRows[s]));
    hdr.set(`DPIXEL1${letter}`, dpixel, { comment: "average fractional part of pixel coordinate" });
  });
  return shift1;
}

const NONE: Dispersion = { coeff: [0, 0], delta: 0 };
