/**
 * Writing the COS TIME-TAG products atomically (temporary name, renamed): the `_corrtag` (primary, EVENTS with
 * calcos' twelve columns, the raw's GTI, TIMELINE) and the `_counts` / `_flt` images (primary, SCI, ERR, DQ).
 */
import { basename } from "node:path";
import type { CorrtagEvents } from "../../calib/cos/events.js";
import type { TimelineColumns } from "../../calib/cos/timeline.js";
import { FitsWriter, Header } from "../../fits/index.js";
import { errDqHeader } from "./image-headers.js";
import type { Rawtag } from "./rawtag.js";

function write(path: string, body: (writer: FitsWriter) => void): void {
  const writer = new FitsWriter(path);
  try {
    body(writer);
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}

const named = (primary: Header, path: string) => primary.clone().set("FILENAME", basename(path));

/** Keywords of a table header that describe columns; an image header keeps the rest. */
const COLUMN_KEY = /^(TTYPE|TFORM|TUNIT|TDISP|TNULL|TSCAL|TZERO|TDIM|TCTYP|TCRPX|TCRVL|TCDLT|TCUNI|TC\d|TP\d)\d*/;

export function writeCorrtag(
  path: string,
  primary: Header,
  hdr: Header,
  e: CorrtagEvents,
  raw: Rawtag,
  timeline: TimelineColumns,
  /** Good-time intervals changed by BADTCORR: a further GTI table (the next EXTVER), as calcos' saveNewGTI. */
  newGti?: readonly [number, number][],
): void {
  const columns = [
    { name: "TIME", format: "1E", unit: "s", data: e.time },
    { name: "RAWX", format: "1I", unit: "pixel", data: e.rawx },
    { name: "RAWY", format: "1I", unit: "pixel", data: e.rawy },
    { name: "XCORR", format: "1E", unit: "pixel", data: e.xcorr },
    { name: "YCORR", format: "1E", unit: "pixel", data: e.ycorr },
    { name: "XDOPP", format: "1E", unit: "pixel", data: e.xdopp },
    { name: "XFULL", format: "1E", unit: "pixel", data: e.xfull },
    { name: "YFULL", format: "1E", unit: "pixel", data: e.yfull },
    { name: "WAVELENGTH", format: "1E", unit: "angstrom", disp: "F9.4", data: e.wavelength },
    { name: "EPSILON", format: "1E", data: e.epsilon },
    { name: "DQ", format: "1I", data: e.dq },
    { name: "PHA", format: "1B", data: e.pha },
  ];
  write(path, (writer) => {
    const head = named(primary, path);
    // calcos counts the extensions when it appends the new GTI, before the TIMELINE
    if (newGti) head.set("NEXTEND", raw.gtiHeader ? 3 : 2);
    writer.writeImage(head);
    const h = hdr.clone();
    h.removeWhere((card) => COLUMN_KEY.test(card.keyword));
    writer.writeTable(h, columns, e.time.length);
    if (raw.gtiHeader) {
      const gti = raw.gti;
      writer.writeTable(
        raw.gtiHeader.clone(),
        [
          { name: "START", format: "1D", unit: "s", data: Float64Array.from(gti, (g) => g[0]) },
          { name: "STOP", format: "1D", unit: "s", data: Float64Array.from(gti, (g) => g[1]) },
        ],
        gti.length,
      );
    }
    if (newGti) {
      const extver = raw.gtiHeader ? raw.gtiHeader.getInt("EXTVER", 1) + 1 : 1;
      writer.writeTable(
        new Header().set("EXTNAME", "GTI").set("EXTVER", extver),
        [
          { name: "START", format: "1D", unit: "s", data: Float64Array.from(newGti, (g) => g[0]) },
          { name: "STOP", format: "1D", unit: "s", data: Float64Array.from(newGti, (g) => g[1]) },
        ],
        newGti.length,
      );
    }
    const units: Record<string, [string, string]> = {
      TIME: ["s", "F8.3"],
      LONGITUDE: ["degree", "F10.6"],
      LATITUDE: ["degree", "F10.6"],
      SUN_ALT: ["degree", "F6.2"],
      SUN_ZD: ["degree", "F6.2"],
      TARGET_ALT: ["degree", "F6.2"],
      RADIAL_VEL: ["km /s", "F7.5"],
      SHIFT1: ["pixel", "F7.3"],
      LY_ALPHA: ["count /s", "G15.6"],
      OI_1304: ["count /s", "G15.6"],
      OI_1356: ["count /s", "G15.6"],
      DARKRATE: ["count /s /pixel", "G15.6"],
    };
    const th = hdr.clone();
    th.removeWhere((card) => COLUMN_KEY.test(card.keyword));
    th.set("EXTNAME", "TIMELINE").set("EXTVER", 1);
    const timelineSpecs = Object.entries(timeline).map(([name, data]) => ({
      name,
      format: "1E",
      unit: units[name][0],
      disp: units[name][1],
      data: data as Float32Array,
    }));
    writer.writeTable(th, timelineSpecs, timeline.TIME.length);
  });
}

export function writeCountImage(
  path: string,
  primary: Header,
  hdr: Header,
  image: { sci: Float32Array; err: Float32Array } | undefined,
  dq: Int16Array,
  shape: { nx: number; ny: number },
): void {
  const axes = [shape.nx, shape.ny];
  // no events: calcos' writeNull, extensions without data
  const extension = (name: string) => {
    const h = hdr.clone();
    h.removeWhere((card) => COLUMN_KEY.test(card.keyword) || ["TFIELDS", "THEAP"].includes(card.keyword));
    return h.set("EXTNAME", name).set("EXTVER", 1);
  };
  write(path, (writer) => {
    if (!image) {
      writer.writeImage(named(primary, path));
      for (const name of ["SCI", "ERR", "DQ"]) writer.writeImage(extension(name));
      return;
    }
    // calcos' makeImage: three extensions, the ERR and DQ headers from mkHeaders
    writer.writeImage(named(primary, path).set("NEXTEND", 3));
    writer.writeImage(extension("SCI").set("BUNIT", "count /s"), image.sci, axes);
    writer.writeImage(errDqHeader(hdr, "ERR"), image.err, axes);
    writer.writeImage(errDqHeader(hdr, "DQ"), dq, axes);
  });
}
