/**
 * Writing the COS TIME-TAG products atomically (temporary name, renamed): the `_corrtag` (primary, EVENTS with
 * calcos' twelve columns, the raw's GTI) and the `_counts` / `_flt` images (primary, SCI, ERR, DQ).
 */
import { basename } from "node:path";
import type { CorrtagEvents } from "../../calib/cos/events.js";
import { FitsWriter, type Header } from "../../fits/index.js";
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

export function writeCorrtag(path: string, primary: Header, hdr: Header, e: CorrtagEvents, raw: Rawtag): void {
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
    writer.writeImage(named(primary, path));
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
  });
}

export function writeCountImage(
  path: string,
  primary: Header,
  hdr: Header,
  image: { sci: Float32Array; err: Float32Array },
  dq: Int16Array,
  shape: { nx: number; ny: number },
): void {
  const axes = [shape.nx, shape.ny];
  const extension = (name: string) => {
    const h = hdr.clone();
    h.removeWhere((card) => COLUMN_KEY.test(card.keyword) || ["TFIELDS", "THEAP"].includes(card.keyword));
    return h.set("EXTNAME", name).set("EXTVER", 1);
  };
  write(path, (writer) => {
    writer.writeImage(named(primary, path));
    writer.writeImage(extension("SCI").set("BUNIT", "count /s"), image.sci, axes);
    writer.writeImage(extension("ERR").set("BUNIT", "count /s"), image.err, axes);
    writer.writeImage(extension("DQ"), dq, axes);
  });
}
