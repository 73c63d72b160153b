/**
 * The `_x1d` table as calcos writes it for BOXCAR: one row per stripe (SEGMENT, EXPTIME, NELEM) and the
 * spectrum columns (FLUX 0 without FLUXCORR), DQ_OUTER = DQ, the box rows in Y_*_OUTER/INNER, written under a
 * temporary name and renamed.
 */
import { basename } from "node:path";
import { FUV_X, NUV_X } from "../../calib/cos/events.js";
import { FitsWriter, type Header } from "../../fits/index.js";
import { setArchiveWavelengths } from "./archive-search.js";
import type { StripeSpectrum } from "./x1d.js";

const CALCOS_DOUBLE = ["WAVELENGTH", "ACTUAL_EE", "Y_LOWER_OUTER", "Y_UPPER_OUTER", "Y_LOWER_INNER", "Y_UPPER_INNER"];

function joined<T extends Float32Array | Float64Array | Int16Array>(
  Ctor: new (n: number) => T,
  stripes: StripeSpectrum[],
  values: (s: StripeSpectrum, i: number) => number,
  n: number,
): T {
  const out = new Ctor(stripes.length * n);
  stripes.forEach((s, r) => {
    for (let i = 0; i < n; i++) out[r * n + i] = values(s, i);
  });
  return out;
}

/** `nelem` sets the array columns' length when there is no stripe (calcos' table for an exposure without events). */
export function x1dColumns(stripes: StripeSpectrum[], nelem: number) {
  const n = stripes[0]?.wavelength.length ?? nelem;
  const rate = "count /s";
  const flux = "erg /s /cm**2 /angstrom";
  const box = (s: StripeSpectrum, i: number) => Math.trunc(s.bSpec - Math.trunc(s.height / 2) + s.slope * i + 0.5);
  const float = (name: string, f: (s: StripeSpectrum, i: number) => number, unit?: string) => ({
    name,
    format: `${n}${CALCOS_DOUBLE.includes(name) ? "D" : "E"}`,
    unit,
    data: CALCOS_DOUBLE.includes(name) ? joined(Float64Array, stripes, f, n) : joined(Float32Array, stripes, f, n),
  });
  const short = (name: string, f: (s: StripeSpectrum, i: number) => number) => ({
    name,
    format: `${n}I`,
    data: joined(Int16Array, stripes, f, n),
  });
  return [
    { name: "SEGMENT", format: "4A", data: stripes.map((s) => s.segment) },
    { name: "EXPTIME", format: "1D", unit: "s", disp: "F8.3", data: Float64Array.from(stripes, (s) => s.exptime) },
    { name: "NELEM", format: "1J", disp: "I6", data: Int32Array.from(stripes, () => n) },
    float("WAVELENGTH", (s, i) => s.wavelength[i], "angstrom"),
    float("FLUX", (s, i) => s.flux[i], flux),
    float("ERROR", (s, i) => s.error[i], flux),
    float("ERROR_LOWER", (s, i) => s.errorLower[i], flux),
    float("VARIANCE_FLAT", (s, i) => s.varianceFlat[i]),
    float("VARIANCE_COUNTS", (s, i) => s.varianceCounts[i]),
    float("VARIANCE_BKG", (s, i) => s.varianceBkg[i]),
    float("GROSS", (s, i) => s.gross[i], rate),
    float("GCOUNTS", (s, i) => s.gcounts[i], "count"),
    float("NET", (s, i) => s.net[i], rate),
    float("BACKGROUND", (s, i) => s.background[i], rate),
    short("DQ", (s, i) => s.dq[i]),
    float("DQ_WGT", (s, i) => s.dqWgt[i]),
    short("DQ_OUTER", (s, i) => s.dq[i]),
    float("BACKGROUND_PER_PIXEL", (s, i) => s.background[i] / s.height, "count /s /pixel"),
    short("NUM_EXTRACT_ROWS", (s) => s.height),
    float("ACTUAL_EE", () => 1),
    float("Y_LOWER_OUTER", box),
    float("Y_UPPER_OUTER", (s, i) => box(s, i) + s.height - 1),
    float("Y_LOWER_INNER", box),
    float("Y_UPPER_INNER", (s, i) => box(s, i) + s.height - 1),
  ];
}

/** The extraction keywords calcos leaves in the SCI header per stripe (fpavg reads SP_LOC_x). */
function setExtractionKeywords(sci: Header, stripes: StripeSpectrum[]): Header {
  for (const s of stripes) {
    const x = s.segment.slice(-1);
    const float = { float: true };
    sci.set(`SP_LOC_${x}`, s.location, { ...float, comment: `spectrum location, stripe ${x} (pixels)` });
    // calcos' updateExtractionKeywords: SP_NOM and B_BKGn where the bands cross the detector's middle column
    sci.set(`SP_NOM_${x}`, s.location, { ...float, comment: `nominal spectrum location, stripe ${x} (pixels)` });
    sci.set(`SP_SLP_${x}`, s.slope, { ...float, comment: `slope of spectrum, stripe ${x}` });
    sci.set(`SP_HGT_${x}`, s.height, { comment: `extraction height, stripe ${x} (pixels)` });
    const b = s.backgroundBoxes;
    if (!b) continue;
    const tilt = (s.slope * (s.segment.startsWith("FUV") ? FUV_X : NUV_X)) / 2;
    sci.set(`B_BKG1_${x}`, b.bBkg1 + tilt, { ...float, comment: `location of background 1, stripe ${x}` });
    sci.set(`B_BKG2_${x}`, b.bBkg2 + tilt, { ...float, comment: `location of background 2, stripe ${x}` });
    sci.set(`B_HGT1_${x}`, b.bHgt1, { comment: `height of background 1, stripe ${x}` });
    sci.set(`B_HGT2_${x}`, b.bHgt2, { comment: `height of background 2, stripe ${x}` });
  }
  return sci;
}

export function writeX1d(path: string, primary: Header, sci: Header, stripes: StripeSpectrum[], nelem: number): void {
  const writer = new FitsWriter(path);
  try {
    const x1dPrimary = primary.clone().set("FILENAME", basename(path)).set("NEXTEND", 1);
    setArchiveWavelengths(x1dPrimary, stripes);
    writer.writeImage(x1dPrimary);
    const table = setExtractionKeywords(sci.clone().set("EXTNAME", "SCI").set("EXTVER", 1), stripes);
    writer.writeTable(table, x1dColumns(stripes, nelem), stripes.length);
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}
