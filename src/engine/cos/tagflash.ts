/**
 * WAVECORR of a NUV TIME-TAG exposure with TAGFLASH lamp flashes (calcos' processConcurrentWavecal for NUV):
 * the flashes found in the WCA rows, each flash's three wavecal spectra extracted and their shifts found
 * against the LAMPTAB templates (findshift), the cross-dispersion shift from the flash's profile, both applied
 * to the events interpolated in time, the exposure-average SHIFT1/SHIFT2/CHI_SQ/NDF/DPIXEL1 keywords, the
 * flash keywords (NUMFLASH, LMP_ONn, LMPOFFn, LMPDURn, LMPMEDn) and the `_lampflash` table rows.
 */
import { basename } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import { wavelengthAt } from "../../calib/cos/doppcorr.js";
import { NO_DOPPLER, regionsDqImage, roundHalfEven } from "../../calib/cos/dqicorr.js";
import type { CorrtagEvents } from "../../calib/cos/events.js";
import { NUV_EXTENDED_X, NUV_X, NUV_X_OFFSET, NUV_Y } from "../../calib/cos/events.js";
import {
  applyFlashShifts,
  averageShift,
  meanFraction,
  shift1VsTime,
  stripeRegions,
} from "../../calib/cos/flash-apply.js";
import { extractFlashSpectrum, type WcaRow } from "../../calib/cos/flash-spectrum.js";
import { commandedFlashes, type FlashTimes, findFlashes, timeRange } from "../../calib/cos/flash-times.js";
import { findStripeShifts } from "../../calib/cos/stripe-shifts.js";
import { requireRows } from "../../calib/cos/table-select.js";
import { findXdShift } from "../../calib/cos/xd-search.js";
import type { Header } from "../../fits/index.js";
import { type Env, readReferenceTable } from "../reference-files.js";
import type { LampflashRow } from "./lampflash-product.js";
import { loadBpixtab } from "./references.js";
import type { SpectroTables } from "./spectro-tables.js";
import { requiredReference } from "./switches.js";

const STRIPES = ["NUVA", "NUVB", "NUVC"];
const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

export interface TagflashResult {
  /** Per stripe the exposure-average SHIFT1, and SHIFT1 of NUVB at each second of the TIMELINE. */
  shift1: number[];
  shift1VsTime: Float32Array | undefined;
  rows: LampflashRow[];
  /** Keywords for the lampflash's table header (also set in the corrtag's, all floats). */
  keywords: [string, number][];
  /** The extraction keywords calcos leaves in the lampflash's table header (SP_LOC_x … B_HGT2_x, last flash). */
  extraction: [string, number][];
  wavecorr: "COMPLETE" | "SKIPPED";
}

export function tagflashShifts(
  events: CorrtagEvents,
  primary: Header,
  hdr: Header,
  env: Env,
  tables: SpectroTables,
  rawName: string,
): TagflashResult {
  const optElem = primary.getString("OPT_ELEM").trim();
  const cenwave = primary.getInt("CENWAVE");
  const fpoffset = primary.getInt("FPOFFSET", 0);
  const { time } = events;
  const base = { OPT_ELEM: optElem, CENWAVE: cenwave };
  const wca = (segment: string) => tables.boxcarRow({ ...base, SEGMENT: segment, APERTURE: "WCA" }, "WAVECORR");
  const nuva = wca("NUVA");
  const src = { low: roundHalfEven(nuva.bSpec - nuva.height), high: NUV_Y - 1 };
  const flashes = measureFlashes(primary, hdr, time, events.rawy, src, rawName, "");
  const regions = stripeRegions(
    STRIPES.flatMap((s) => [
      { stripe: s, row: tables.bSpec({ ...base, SEGMENT: s, APERTURE: "WCA" }, 512) },
      { stripe: s, row: tables.bSpec({ ...base, SEGMENT: s, APERTURE: "PSA" }, 512) },
    ]),
  );
  if (flashes.length === 0) {
    applyFlashShifts(events, { median: [], shift1: [], shift2: [] }, regions);
    primary.set("LAMPUSED", "NONE");
    return { shift1: [0, 0, 0], shift1VsTime: undefined, rows: [], keywords: [], extraction: [], wavecorr: "SKIPPED" };
  }
  const lamptab = requiredReference(primary, "LAMPTAB", env, "WAVECORR");
  const wcptab = requiredReference(primary, "WCPTAB", env, "WAVECORR");
  const wcp = requireRows(
    readReferenceTable("WCPTAB", wcptab).rows,
    { OPT_ELEM: optElem },
    `WCPTAB ${basename(wcptab)}[1]`,
    "WAVECORR",
  )[0];
  const lamp = readReferenceTable("LAMPTAB", lamptab);
  const hasFp = "FPOFFSET" in lamp.columnTypes;
  const hasShift = "FP_PIXEL_SHIFT" in lamp.columnTypes;
  const searchOffset = wcp.SEARCH_OFFSET === undefined ? 0 : Number(wcp.SEARCH_OFFSET);
  const initialOffset = hasShift ? searchOffset : fpoffset * Number(wcp.STEPSIZE) + searchOffset;
  const lampRows = new Map(
    STRIPES.map((segment) => {
      const filter = { ...base, SEGMENT: segment, ...(hasFp ? { FPOFFSET: fpoffset } : {}) };
      const row = requireRows(lamp.rows, filter, `LAMPTAB ${basename(lamptab)}[1]`, "WAVECORR")[0];
      const template = new Float32Array(NUV_EXTENDED_X);
      template.set(
        Float32Array.from(row.INTENSITY as unknown as ArrayLike<number>).subarray(0, NUV_EXTENDED_X - NUV_X_OFFSET),
        NUV_X_OFFSET,
      );
      return [segment, { template, fpPixelShift: hasShift ? Number(row.FP_PIXEL_SHIFT) : 0 }];
    }),
  );
  const shape = { nx: NUV_EXTENDED_X, ny: NUV_Y, xOffset: NUV_X_OFFSET };
  const bpixPath = requiredReference(primary, "BPIXTAB", env, "WAVECORR");
  const bpix = loadBpixtab(bpixPath, "N/A");
  const dqImage = { data: regionsDqImage(bpix.regions, bpix.widen, shape, NO_DOPPLER), nx: shape.nx, ny: shape.ny };
  const sdqflags = hdr.getInt("SDQFLAGS", 184);
  const backcorr = primary.getString("BACKCORR", "OMIT").trim().toUpperCase() === "PERFORM";
  const search = {
    opticalElement: optElem,
    xOffset: NUV_X_OFFSET,
    xcRange: Number(wcp.XC_RANGE),
    initialOffset,
    nSigma: wcp.N_SIGMA === undefined ? undefined : Number(wcp.N_SIGMA),
  };
  const rows: LampflashRow[] = [];
  const extraction = new Map<string, number>();
  const perFlash = flashes.map((flash) => {
    const [i0, i1] = timeRange(time, flash.on, flash.off);
    const slice = {
      xi: events.xdopp.subarray(i0, i1),
      eta: events.rawy.subarray(i0, i1),
      dq: events.dq.subarray(i0, i1),
      epsilon: events.epsilon.subarray(i0, i1),
    };
    const stripes = STRIPES.map((s) => ({ stripe: s, ...wca(s) }));
    const xd = findXdShift(slice, stripes, Number(wcp.XD_RANGE), Number(wcp.BOX), NUV_Y);
    const shift2 = xd.shift2 ?? 0;
    const anyFound = [...xd.shifts.values()].some((v) => v !== undefined);
    for (const s of STRIPES) extractionKeywords(extraction, s, wca(s), shift2);
    const spectra = STRIPES.map((s) =>
      extractFlashSpectrum(slice, wca(s), shift2, dqImage, sdqflags, NUV_X_OFFSET, backcorr, `${rawName} flash`),
    );
    const shifts = findStripeShifts(
      STRIPES.map((s, k) => ({
        stripe: s,
        spectrum: Float64Array.from(spectra[k].gross),
        template: lampRows.get(s)?.template ?? new Float32Array(NUV_EXTENDED_X),
        fpPixelShift: lampRows.get(s)?.fpPixelShift ?? 0,
        found: anyFound && xd.shifts.get(s) !== undefined,
      })),
      search,
    );
    // calcos would apply whatever it measured; a flash in which no stripe shows the lamp's lines is refused
    if (![...shifts.values()].some((r) => r.found)) {
      throw new CalibrationError(
        "NO_GOOD_DATA",
        `${rawName}[EVENTS]: lamp flash ${flash.on.toFixed(1)}-${flash.off.toFixed(1)} s has no lamp lines matching LAMPTAB ${basename(lamptab)} (OPT_ELEM=${optElem}, CENWAVE=${cenwave}, FPOFFSET=${fpoffset}) in any stripe: WAVECORR cannot measure the shift`,
        { step: "WAVECORR" },
      );
    }
    const exptime = flash.off - flash.on > 0 ? flash.off - flash.on : 1;
    STRIPES.forEach((s, k) => {
      const r = shifts.get(s);
      if (!r) return;
      const relation = tables.dispersion({ ...base, SEGMENT: s, APERTURE: "WCA", FPOFFSET: fpoffset });
      rows.push({
        segment: s,
        time: flash.median,
        exptime: flash.off - flash.on,
        lampOn: flash.on,
        lampOff: flash.off,
        wavelength: Float64Array.from({ length: NUV_EXTENDED_X }, (_, i) =>
          wavelengthAt(relation, i - r.shift1 - NUV_X_OFFSET),
        ),
        net: spectra[k].net.map((v) => v / exptime),
        gross: spectra[k].gross.map((v) => v / exptime),
        background: spectra[k].background.map((v) => v / exptime),
        shiftDisp: r.shift1,
        shiftXdisp: xd.shifts.get(s) ?? 0,
        specFound: r.found,
        chiSquare: r.chiSquare,
        ndf: r.ndf,
      });
    });
    return { shift2, shifts };
  });
  const median = flashes.map((f) => f.median);
  const shift1 = perFlash.map((p) => new Map(STRIPES.map((s) => [s, p.shifts.get(s)?.shift1 ?? 0])));
  const shift2 = perFlash.map((p) => p.shift2);
  applyFlashShifts(events, { median, shift1, shift2 }, regions);
  const keywords: [string, number][] = [];
  const averages = STRIPES.map((s) => {
    const letter = s.slice(-1);
    const avg = averageShift(
      time,
      median,
      shift1.map((m) => m.get(s) ?? 0),
    );
    keywords.push(
      [`SHIFT1${letter}`, round(avg, 4)],
      [`SHIFT2${letter}`, round(averageShift(time, median, shift2), 4)],
    );
    const chisq = perFlash.reduce((t, p) => t + (p.shifts.get(s)?.chiSquare ?? 0), 0);
    const ndf = perFlash.reduce((t, p) => t + (p.shifts.get(s)?.ndf ?? 0) + 1, 0) - 1;
    keywords.push([`CHI_SQ_${letter}`, round(chisq, 1)], [`NDF_${letter}`, ndf]);
    keywords.push([`DPIXEL1${letter}`, round(meanFraction(events, regions.get(s)?.[0] ?? [0, 0]), 4)]);
    return avg;
  });
  for (const [k, v] of keywords) hdr.set(k, v, { float: true });
  const lampplan = primary.has("LAMPPLAN") ? primary.getString("LAMPPLAN") : undefined;
  if (primary.getString("LAMPUSED", "").trim().toUpperCase() === "NONE" && lampplan !== undefined)
    primary.set("LAMPUSED", lampplan);
  primary.set("WAVECALS", rawName);
  const nuvb = shift1.map((m) => m.get("NUVB") ?? 0);
  return {
    shift1: averages,
    shift1VsTime: shift1VsTime(time, median, nuvb),
    rows,
    keywords,
    extraction: [...extraction],
    wavecorr: "COMPLETE",
  };
}

/** Trailer lines: each flash's times and each stripe's shifts, as calcos' verbose table. */
export function tagflashTrailer(r: TagflashResult, rawName: string): string[] {
  if (r.wavecorr === "SKIPPED") return [`Warning: no lamp flash found in ${rawName}: WAVECORR SKIPPED`];
  const lines = ["WAVECORR  COMPLETE (TAGFLASH: shifts from the lamp flashes)"];
  for (const row of r.rows) {
    const found = row.specFound ? "" : "  # not found";
    lines.push(
      `  ${row.segment} flash ${row.lampOn.toFixed(1)}-${row.lampOff.toFixed(1)} s: shift ${row.shiftDisp.toFixed(3)} (xd ${row.shiftXdisp.toFixed(2)}), chi sq ${row.chiSquare.toFixed(1)} (${row.ndf})${found}`,
    );
  }
  return lines;
}

/** calcos' updateExtractionKeywords for one stripe's (or FUV segment's) WCA extraction (the other segment's error -999). */
export function extractionKeywords(
  keys: Map<string, number>,
  stripe: string,
  row: WcaRow,
  shift2: number,
  detector = { extendedX: NUV_EXTENDED_X, xOffset: NUV_X_OFFSET, x: NUV_X },
): void {
  const x = stripe.slice(-1);
  const locn = row.bSpec + shift2 + row.slope * (Math.trunc(detector.extendedX / 2) - detector.xOffset);
  const tilt = (row.slope * detector.x) / 2;
  keys
    .set(`SP_LOC_${x}`, locn)
    .set(`SP_ERR_${x}`, 999)
    .set(`SP_ERR_${x === "A" ? "B" : "A"}`, -999);
  keys.set(`SP_OFF_${x}`, -999).set(`SP_NOM_${x}`, locn).set(`SP_SLP_${x}`, row.slope).set(`SP_HGT_${x}`, row.height);
  keys.set(`B_BKG1_${x}`, row.bBkg1 + shift2 + tilt).set(`B_BKG2_${x}`, row.bBkg2 + shift2 + tilt);
  keys.set(`B_HGT1_${x}`, row.bHgt1).set(`B_HGT2_${x}`, row.bHgt2);
}

/**
 * The lamp flashes in the WCA rows `src` of `rows` (calcos' findFlash within the commanded LMP_ON/LMPOFF times),
 * with NUMFLASH and the LMP* keywords rewritten to the measured times. calcos warns and skips WAVECORR when a
 * commanded flash has no lines in the data; that is refused instead, naming the rows (and `segment`, for FUV).
 */
export function measureFlashes(
  primary: Header,
  hdr: Header,
  time: Float32Array,
  rows: ArrayLike<number>,
  src: { low: number; high: number },
  rawName: string,
  segment: string,
): FlashTimes[] {
  const n = time.length;
  const auto = primary.getString("TAGFLASH", "NONE").trim().toUpperCase() === "AUTO";
  const card = (k: string) => (hdr.has(k) ? hdr.getNumber(k) : undefined);
  const commanded = commandedFlashes(card, auto, time[0], time[n - 1]);
  const flashes = findFlashes(time, rows, src, commanded);
  if (commanded.length > 0 && flashes.length === 0) {
    const times = commanded.map((c) => `${c.on}-${c.off} s`).join(", ");
    const where = `the WCA rows ${src.low}-${src.high}${segment ? ` of ${segment}` : ""}`;
    throw new CalibrationError(
      "NO_GOOD_DATA",
      `${rawName}[EVENTS]: NUMFLASH = ${card("NUMFLASH")} lamp flash(es) commanded (LMP_ONn/LMPOFFn ${times}) but no lamp lines in ${where}: WAVECORR cannot measure the shift`,
      { step: "WAVECORR" },
    );
  }
  hdr.set("NUMFLASH", flashes.length);
  flashes.forEach((f, i) => {
    if (!hdr.has(`LMP_ON${i + 1}`)) return;
    hdr
      .set(`LMP_ON${i + 1}`, f.on, { float: true })
      .set(`LMPOFF${i + 1}`, f.off, { float: true })
      .set(`LMPDUR${i + 1}`, f.off - f.on, { float: true });
    hdr.set(`LMPMED${i + 1}`, f.median, { float: true });
  });
  return flashes;
}
