/**
 * WAVECORR of one FUV segment of a TIME-TAG exposure with TAGFLASH lamp flashes (calcos' processConcurrentWavecal
 * with FUVConcurrentWavecal): the flashes found in the segment's WCA rows (YCORR within B_SPEC ± HEIGHT), per
 * flash the cross-dispersion shift of the WCA spectrum, its gross/net/background spectrum extracted from
 * XDOPP/YCORR and its dispersion shift found against the LAMPTAB template (FP_PIXEL_SHIFT added), the shifts
 * applied inside the active area interpolated in time, SHIFT1x/SHIFT2x/CHI_SQ_x/NDF_x/DPIXEL1x, the flash
 * keywords and one `_lampflash_x` row per flash.
 */
import { basename } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import { wavelengthAt } from "../../calib/cos/doppcorr.js";
import { NO_DOPPLER, regionsDqImage, roundHalfEven } from "../../calib/cos/dqicorr.js";
import type { CorrtagEvents } from "../../calib/cos/events.js";
import { FUV_X, FUV_Y } from "../../calib/cos/events.js";
import { averageShift, shift1VsTime } from "../../calib/cos/flash-apply.js";
import { extractFlashSpectrum } from "../../calib/cos/flash-spectrum.js";
import { timeRange } from "../../calib/cos/flash-times.js";
import { applyFuvFlashShifts, findFuvShift, fuvMeanFraction, fuvWavelengths } from "../../calib/cos/fuv-flash.js";
import { requireRows } from "../../calib/cos/table-select.js";
import { findXdShift } from "../../calib/cos/xd-search.js";
import type { Header } from "../../fits/index.js";
import { type Env, readReferenceTable } from "../reference-files.js";
import { spectroTables } from "./doppcorr.js";
import type { LampflashRow } from "./lampflash-product.js";
import { loadBpixtab } from "./references.js";
import type { SpectroTables } from "./spectro-tables.js";
import { requiredReference } from "./switches.js";
import { extractionKeywords, measureFlashes, type TagflashResult } from "./tagflash.js";

/**
 * WAVECORR of the segment when it is PERFORM on TAGFLASH data (undefined otherwise): the shifts, and the lampflash
 * table's primary (as when the flashes were processed) and events header.
 */
export function fuvWavecorr(
  events: CorrtagEvents,
  primary: Header,
  hdr: Header,
  env: Env,
  segment: string,
  area: { low: number; high: number },
  active: Uint8Array,
  rawName: string,
): (TagflashResult & { primary: Header; eventsHeader: Header }) | undefined {
  const text = (k: string, d: string) => primary.getString(k, d).trim().toUpperCase();
  if (text("WAVECORR", "OMIT") !== "PERFORM" || text("TAGFLASH", "NONE") === "NONE") return undefined;
  const snapshot = primary.clone().set("WAVECORR", "COMPLETE").set("WAVECALS", "");
  const tables = spectroTables(primary, env, "WAVECORR");
  const result = fuvTagflashShifts(events, primary, hdr, env, tables, segment, area, rawName);
  const filter = {
    OPT_ELEM: primary.getString("OPT_ELEM").trim(),
    CENWAVE: primary.getInt("CENWAVE"),
    SEGMENT: segment,
  };
  const fpoffset = primary.getInt("FPOFFSET", 0);
  const middle = FUV_X / 2;
  const psaRow = tables.bSpec({ ...filter, APERTURE: "PSA" }, middle);
  const boundary = roundHalfEven((psaRow + tables.bSpec({ ...filter, APERTURE: "WCA" }, middle)) / 2);
  const relations = {
    psa: tables.dispersion({ ...filter, APERTURE: "PSA", FPOFFSET: fpoffset }),
    wca: tables.dispersion({ ...filter, APERTURE: "WCA", FPOFFSET: fpoffset }),
  };
  const helcorr = ["PERFORM", "COMPLETE"].includes(text("HELCORR", "OMIT"));
  fuvWavelengths(events, active, boundary, relations, helcorr ? hdr.getNumber("V_HELIO", 0) : undefined);
  // calcos' empty lampflash table (no flash found) is written with WAVECORR SKIPPED and LAMPUSED NONE
  if (result.wavecorr === "SKIPPED") snapshot.set("WAVECORR", "SKIPPED").set("LAMPUSED", "NONE");
  const eventsHeader = hdr.clone();
  if (!eventsHeader.has("X_OFFSET")) eventsHeader.set("X_OFFSET", 0);
  return { ...result, primary: snapshot, eventsHeader };
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
const FUV_DETECTOR = { extendedX: FUV_X, xOffset: 0, x: FUV_X };

export function fuvTagflashShifts(
  events: CorrtagEvents,
  primary: Header,
  hdr: Header,
  env: Env,
  tables: SpectroTables,
  segment: string,
  activeRows: { low: number; high: number },
  rawName: string,
): TagflashResult {
  const optElem = primary.getString("OPT_ELEM").trim();
  const cenwave = primary.getInt("CENWAVE");
  const fpoffset = primary.getInt("FPOFFSET", 0);
  const { time } = events;
  const base = { OPT_ELEM: optElem, CENWAVE: cenwave };
  const wca = tables.boxcarRow({ ...base, SEGMENT: segment, APERTURE: "WCA" }, "WAVECORR");
  const src = { low: roundHalfEven(wca.bSpec - wca.height), high: roundHalfEven(wca.bSpec + wca.height) };
  const flashes = measureFlashes(primary, hdr, time, events.ycorr, src, rawName, segment);
  const [low, high] = [activeRows.low, activeRows.high];
  if (flashes.length === 0) {
    applyFuvFlashShifts(events, { median: [], shift1: [], shift2: [] }, low, high);
    primary.set("LAMPUSED", "NONE");
    return { shift1: [0], shift1VsTime: undefined, rows: [], keywords: [], extraction: [], wavecorr: "SKIPPED" };
  }
  const lamptab = requiredReference(primary, "LAMPTAB", env, "WAVECORR");
  const wcptab = requiredReference(primary, "WCPTAB", env, "WAVECORR");
  const wcpWhere = `WCPTAB ${basename(wcptab)}[1]`;
  const wcp = requireRows(readReferenceTable("WCPTAB", wcptab).rows, { OPT_ELEM: optElem }, wcpWhere, "WAVECORR")[0];
  const lamp = readReferenceTable("LAMPTAB", lamptab);
  const hasFp = "FPOFFSET" in lamp.columnTypes;
  const hasShift = "FP_PIXEL_SHIFT" in lamp.columnTypes;
  const searchOffset = wcp.SEARCH_OFFSET === undefined ? 0 : Number(wcp.SEARCH_OFFSET);
  const filter = { ...base, SEGMENT: segment, ...(hasFp ? { FPOFFSET: fpoffset } : {}) };
  const lampRow = requireRows(lamp.rows, filter, `LAMPTAB ${basename(lamptab)}[1]`, "WAVECORR")[0];
  const template = new Float32Array(FUV_X);
  template.set(Float32Array.from(lampRow.INTENSITY as unknown as ArrayLike<number>).subarray(0, FUV_X));
  const fpPixelShift = hasShift ? Number(lampRow.FP_PIXEL_SHIFT) : 0;
  const shape = { nx: FUV_X, ny: FUV_Y, xOffset: 0 };
  const bpix = loadBpixtab(requiredReference(primary, "BPIXTAB", env, "WAVECORR"), segment);
  const dqImage = { data: regionsDqImage(bpix.regions, bpix.widen, shape, NO_DOPPLER), nx: shape.nx, ny: shape.ny };
  const sdqflags = hdr.getInt("SDQFLAGS", 184);
  const backcorr = primary.getString("BACKCORR", "OMIT").trim().toUpperCase() === "PERFORM";
  const search = {
    opticalElement: optElem,
    xOffset: 0,
    xcRange: Number(wcp.XC_RANGE),
    initialOffset: hasShift ? searchOffset : fpoffset * Number(wcp.STEPSIZE) + searchOffset,
    nSigma: wcp.N_SIGMA === undefined ? undefined : Number(wcp.N_SIGMA),
  };
  const relation = tables.dispersion({ ...base, SEGMENT: segment, APERTURE: "WCA", FPOFFSET: fpoffset });
  const rows: LampflashRow[] = [];
  const extraction = new Map<string, number>();
  const perFlash = flashes.map((flash) => {
    const [i0, i1] = timeRange(time, flash.on, flash.off);
    const slice = {
      xi: events.xdopp.subarray(i0, i1),
      eta: events.ycorr.subarray(i0, i1),
      dq: events.dq.subarray(i0, i1),
      epsilon: events.epsilon.subarray(i0, i1),
    };
    const xd = findXdShift(slice, [{ stripe: segment, ...wca }], Number(wcp.XD_RANGE), Number(wcp.BOX), FUV_Y);
    const xdShift = xd.shifts.get(segment);
    const shift2 = xd.shift2 ?? 0;
    extractionKeywords(extraction, segment, wca, shift2, FUV_DETECTOR);
    const spectrum = extractFlashSpectrum(slice, wca, shift2, dqImage, sdqflags, 0, backcorr, `${rawName} flash`);
    const r = findFuvShift(Float64Array.from(spectrum.gross), template, fpPixelShift, xdShift !== undefined, search);
    // calcos would apply FP_PIXEL_SHIFT alone; a flash whose lamp lines do not match the template is refused
    if (!r.found) {
      throw new CalibrationError(
        "NO_GOOD_DATA",
        `${rawName}[EVENTS]: lamp flash ${flash.on.toFixed(1)}-${flash.off.toFixed(1)} s has no lamp lines matching LAMPTAB ${basename(lamptab)} (OPT_ELEM=${optElem}, CENWAVE=${cenwave}, SEGMENT=${segment}): WAVECORR cannot measure the shift`,
        { step: "WAVECORR" },
      );
    }
    const exptime = flash.off - flash.on > 0 ? flash.off - flash.on : 1;
    rows.push({
      segment,
      time: flash.median,
      exptime: flash.off - flash.on,
      lampOn: flash.on,
      lampOff: flash.off,
      wavelength: Float64Array.from({ length: FUV_X }, (_, i) => wavelengthAt(relation, i - r.shift1)),
      net: spectrum.net.map((v) => v / exptime),
      gross: spectrum.gross.map((v) => v / exptime),
      background: spectrum.background.map((v) => v / exptime),
      shiftDisp: r.shift1,
      shiftXdisp: xdShift ?? 0,
      specFound: r.found,
      chiSquare: r.chiSquare,
      ndf: r.ndf,
    });
    return { shift2, r };
  });
  const median = flashes.map((f) => f.median);
  const shift1 = perFlash.map((p) => p.r.shift1);
  const shift2 = perFlash.map((p) => p.shift2);
  applyFuvFlashShifts(events, { median, shift1, shift2 }, low, high);
  const letter = segment.slice(-1);
  const avg = averageShift(time, median, shift1);
  const chisq = perFlash.reduce((t, p) => t + p.r.chiSquare, 0);
  const ndf = perFlash.reduce((t, p) => t + p.r.ndf + 1, 0) - 1;
  const keywords: [string, number][] = [
    [`SHIFT1${letter}`, round(avg, 4)],
    [`SHIFT2${letter}`, round(averageShift(time, median, shift2), 4)],
    [`CHI_SQ_${letter}`, round(chisq, 1)],
    [`NDF_${letter}`, ndf],
    [`DPIXEL1${letter}`, round(fuvMeanFraction(events, low, high), 4)],
  ];
  for (const [k, v] of keywords) hdr.set(k, v, { float: true });
  const lampplan = primary.has("LAMPPLAN") ? primary.getString("LAMPPLAN") : undefined;
  if (primary.getString("LAMPUSED", "").trim().toUpperCase() === "NONE" && lampplan !== undefined)
    primary.set("LAMPUSED", lampplan);
  primary.set("WAVECALS", rawName);
  return {
    shift1: [avg],
    shift1VsTime: shift1VsTime(time, median, shift1),
    rows,
    keywords,
    extraction: [...extraction],
    wavecorr: "COMPLETE",
  };
}

/** calcos' getWavecalOffsets for FUV: the range of XDOPP − XFULL and YCORR − YFULL over the active area's events. */
export function fuvShiftRange(
  events: CorrtagEvents,
  active: Uint8Array,
): { min1: number; max1: number; min2: number; max2: number } {
  let [min1, max1, min2, max2] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let k = 0; k < active.length; k++) {
    if (!active[k]) continue;
    const dx = Math.fround(events.xdopp[k] - events.xfull[k]);
    const dy = Math.fround(events.ycorr[k] - events.yfull[k]);
    [min1, max1] = [Math.min(min1, dx), Math.max(max1, dx)];
    [min2, max2] = [Math.min(min2, dy), Math.max(max2, dy)];
  }
  return min1 > max1 ? { min1: 0, max1: 0, min2: 0, max2: 0 } : { min1, max1, min2, max2 };
}
