/**
 * Reading a COS NUV `_rawaccum` (primary; SCI, ERR, DQ image set) as calcos' accumBasicCalibration does: the SCI
 * counts become pseudo events (calib/cos/accum.ts) at EXPTIME / 2, the SCI header becomes the EVENTS header
 * (image WCS keywords renamed to their table forms, BUNIT and scaling dropped: imageHeaderToCorrtag), one GTI
 * covers [0, EXPTIME], and the DQ extension is the start of the `_flt`'s DQ (getInputDQ). A missing extension or
 * keyword, or an image of the wrong size, is one error naming the file and the extension.
 */
import { basename } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import { type AccumImage, unbinAccum } from "../../calib/cos/accum.js";
import { NUV_EXTENDED_X, NUV_X, NUV_X_OFFSET, NUV_Y } from "../../calib/cos/events.js";
import { FitsFile, Header } from "../../fits/index.js";
import type { Rawtag } from "./rawtag.js";

export interface Rawaccum extends Rawtag {
  exptime: number;
  /** The DQ image in the extended NUV frame (NUV_EXTENDED_X × NUV_Y). */
  dq: Int16Array;
}

const IMAGE_WCS = ["CTYPE1", "CRVAL1", "CRPIX1", "CDELT1", "CUNIT1", "CD1_1", "CD1_2"].concat([
  "CTYPE2",
  "CRVAL2",
  "CRPIX2",
  "CDELT2",
  "CUNIT2",
  "CD2_1",
  "CD2_2",
]);
const TABLE_WCS = ["TCTYP2", "TCRVL2", "TCRPX2", "TCDLT2", "TCUNI2", "TC2_2", "TC2_3"].concat([
  "TCTYP3",
  "TCRVL3",
  "TCRPX3",
  "TCDLT3",
  "TCUNI3",
  "TC3_2",
  "TC3_3",
]);
const DROPPED = ["BSCALE", "BZERO", "BUNIT", "DATAMIN", "DATAMAX"];

/** calcos' imageHeaderToCorrtag, for the keywords an NUV SCI header can have. */
function eventsHeaderOf(sci: Header): Header {
  const h = sci.clone();
  const rename = (from: string, to: string) => {
    const card = h.card(from);
    if (!card) return;
    if (h.has(to)) h.delete(from);
    else h.replaceCard(from, { ...card, keyword: to, images: undefined });
  };
  for (const [i, k] of IMAGE_WCS.entries()) rename(k, TABLE_WCS[i]);
  for (const k of DROPPED) h.delete(k);
  h.set("EXTNAME", "EVENTS");
  return h;
}

export function readRawaccum(path: string): Rawaccum {
  const name = basename(path);
  const file = FitsFile.open(path);
  try {
    const extension = (extname: string) => {
      const hdu = file.hdus.find((h) => h.header.getString("EXTNAME", "").trim().toUpperCase() === extname);
      if (!hdu) throw new CalibrationError("INVALID_VALUE", `${name}: has no ${extname} extension`);
      return hdu;
    };
    const primary = file.hdus[0].header.clone();
    const sciHdu = extension("SCI");
    if (!sciHdu.header.has("EXPTIME")) {
      throw new CalibrationError("HEADER_PROBLEM", `${name}[SCI]: keyword EXPTIME is missing`);
    }
    const exptime = sciHdu.header.getNumber("EXPTIME");
    const sci = file.readImage(sciHdu);
    const [nx, ny] = sci.axes;
    if (nx !== NUV_X || ny !== NUV_Y || !(sci.data instanceof Int16Array || sci.data instanceof Float32Array)) {
      const what = `${sci.axes.join("x")} ${sci.data.constructor.name}`;
      throw new CalibrationError("INVALID_VALUE", `${name}[SCI]: is ${what}, not ${NUV_X}x${NUV_Y} counts`);
    }
    // calcos takes X_OFFSET of the SCI header (0 for NUV raws) when it unbins
    const xOffset = sciHdu.header.getInt("X_OFFSET", 0);
    const events = unbinAccum(sci.data as AccumImage, { nx, ny, xOffset }, exptime / 2, `${name}[SCI]`);
    const pha = new Uint8Array(events.time.length);
    const dq = inputDq(file, extension("DQ"), name);
    const gtiHeader = new Header().set("EXTNAME", "GTI");
    const gti: [number, number][] = [[0, exptime]];
    return {
      primary,
      eventsHeader: eventsHeaderOf(sciHdu.header),
      events: { ...events, pha },
      gti,
      gtiHeader,
      exptime,
      dq,
    };
  } finally {
    file.close();
  }
}

/** calcos' getInputDQ for a spectroscopic NUV raw: the DQ in the extended frame, a constant everywhere. */
function inputDq(file: FitsFile, hdu: FitsFile["hdus"][number], name: string): Int16Array {
  const dq = new Int16Array(NUV_EXTENDED_X * NUV_Y);
  if (hdu.axes.length === 0) return dq.fill(hdu.header.getInt("PIXVALUE", 0));
  const image = file.readImage(hdu);
  const [nx, ny] = image.axes;
  if (ny !== NUV_Y || (nx !== NUV_X && nx !== NUV_EXTENDED_X)) {
    throw new CalibrationError("INVALID_VALUE", `${name}[DQ]: is ${image.axes.join("x")}, not ${NUV_X}x${NUV_Y}`);
  }
  const data = image.data as ArrayLike<number>;
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      const v = data[y * nx + x];
      // a full-width DQ has its subarray flags (64, 128) cleared, as calcos does
      if (nx === NUV_EXTENDED_X) dq[y * nx + x] = v & (16383 - (64 + 128));
      else dq[y * NUV_EXTENDED_X + x + NUV_X_OFFSET] = v;
    }
  }
  return dq;
}

/**
 * DOPPCORR of an ACCUM exposure: done on board; calcos turns it OMIT when DOPMAGT is 0 and SKIPPED when DOPPONT
 * is false. Otherwise calcos smears the flat by the orbital motion, which is not native: refused by name.
 */
export function accumDoppcorr(primary: Header, sci: Header, rawName: string): string[] {
  if (primary.getString("DOPPCORR", "OMIT").trim().toUpperCase() !== "PERFORM") return [];
  const reset = (value: string, why: string) => {
    primary.set("DOPPCORR", value);
    return [`DOPPCORR  ${value} (${why})`];
  };
  if (sci.getNumber("DOPMAGT", -1) === 0) return reset("OMIT", "DOPMAGT = 0");
  if (!sci.getBool("DOPPONT", false)) return reset("SKIPPED", "DOPPONT false");
  throw new CalibrationError(
    "INVALID_VALUE",
    `${rawName}[SCI]: DOPPCORR of an ACCUM exposure (the flat smeared by DOPMAGT ${sci.get("DOPMAGT")}) is not native`,
    { step: "DOPPCORR" },
  );
}

/**
 * calcos' updateShift, after the basic calibration of an ACCUM exposure and before its extraction: DPIXEL1[ABC]
 * 0 (not used for ACCUM) and, with no wavecal exposure to take shifts from, SHIFT1[ABC] and SHIFT2[ABC] 0 too.
 */
export function resetAccumShifts(hdr: Header): void {
  for (const key of ["DPIXEL1", "SHIFT1", "SHIFT2"]) {
    for (const stripe of ["A", "B", "C"]) hdr.set(`${key}${stripe}`, 0, { float: true });
  }
}
