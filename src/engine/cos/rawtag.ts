/**
 * Reading a COS `_rawtag`: primary header, the EVENTS table's header and its TIME/RAWX/RAWY (PHA) columns as
 * typed arrays, and the GTI table's intervals. A missing table or column, or a column of the wrong type, is one
 * error naming the file, the table and the column.
 */
import { basename } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import type { RawEvents } from "../../calib/cos/events.js";
import { type Column, FitsFile, type Header } from "../../fits/index.js";

export interface Rawtag {
  primary: Header;
  eventsHeader: Header;
  events: RawEvents;
  /** [start, stop] in seconds since EXPSTART; empty when the file has no GTI table. */
  gti: [number, number][];
  gtiHeader?: Header;
}

const REQUIRED: [string, string, (c: Column) => boolean][] = [
  ["TIME", "real", (c) => c.data instanceof Float32Array || c.data instanceof Float64Array],
  ["RAWX", "16-bit integer", (c) => c.data instanceof Int16Array],
  ["RAWY", "16-bit integer", (c) => c.data instanceof Int16Array],
];

export function readRawtag(path: string): Rawtag {
  const name = basename(path);
  const file = FitsFile.open(path);
  try {
    const primary = file.hdus[0].header.clone();
    const eventsHdu = file.hdus.find(
      (h) =>
        String(h.header.get("EXTNAME") ?? "")
          .trim()
          .toUpperCase() === "EVENTS",
    );
    if (!eventsHdu) throw new CalibrationError("INVALID_VALUE", `${name}: has no EVENTS table`);
    const table = file.readTable(eventsHdu);
    const column = (wanted: string) => table.columns.find((c) => c.name.trim().toUpperCase() === wanted);
    const missing = REQUIRED.filter(([n]) => !column(n)).map(([n]) => n);
    if (missing.length > 0) {
      throw new CalibrationError("INVALID_VALUE", `${name}[EVENTS]: has no column ${missing.join(", ")}`);
    }
    for (const [n, kind, ok] of REQUIRED) {
      const c = column(n)!;
      if (!ok(c) || c.form.repeat !== 1) {
        throw new CalibrationError("INVALID_VALUE", `${name}[EVENTS]: column ${n} is ${c.form.type}, not ${kind}`);
      }
    }
    const timeData = column("TIME")!.data as Float32Array | Float64Array;
    const pha = column("PHA");
    if (pha && !(pha.data instanceof Uint8Array && pha.form.repeat === 1)) {
      throw new CalibrationError("INVALID_VALUE", `${name}[EVENTS]: column PHA is ${pha.form.type}, not unsigned byte`);
    }
    const events: RawEvents = {
      time: timeData instanceof Float32Array ? timeData : Float32Array.from(timeData),
      rawx: column("RAWX")!.data as Int16Array,
      rawy: column("RAWY")!.data as Int16Array,
      pha: pha?.data as Uint8Array | undefined,
    };
    const gtiHdu = file.hdus.find(
      (h) =>
        String(h.header.get("EXTNAME") ?? "")
          .trim()
          .toUpperCase() === "GTI",
    );
    let gti: [number, number][] = [];
    if (gtiHdu) {
      const t = file.readTable(gtiHdu);
      const start = t.columns.find((c) => c.name.trim().toUpperCase() === "START");
      const stop = t.columns.find((c) => c.name.trim().toUpperCase() === "STOP");
      if (!start || !stop) throw new CalibrationError("INVALID_VALUE", `${name}[GTI]: has no START and STOP columns`);
      const a = start.data as ArrayLike<number>;
      const b = stop.data as ArrayLike<number>;
      gti = Array.from({ length: t.nrows }, (_, r): [number, number] => [Number(a[r]), Number(b[r])]);
    }
    return { primary, eventsHeader: eventsHdu.header.clone(), events, gti, gtiHeader: gtiHdu?.header.clone() };
  } finally {
    file.close();
  }
}
