/**
 * The extraction and flux tables of the simulated long-slit mode in the formats calstis' cs6 and cs7 read
 * (getextract, getabsphot6, getapthr6, getpct6, getgac6, gettds): XTRACTAB, PHOTTAB, APERTAB, PCTAB (with
 * MAXHGHT), TDSTAB (the original STIS format: no INTERCEPT) and GACTAB, from stis-longslit-model.ts.
 */
import type { ColumnSpec } from "../fits/index.js";
import { Header } from "../fits/index.js";
import type { ReferenceFile } from "./reference-files.js";
import {
  APERTURE,
  CENWAVE,
  EXTRSIZE,
  enclosedFraction,
  gratingApertureFactor,
  OPT_ELEM,
  response,
  slitThroughput,
  TDS_EPOCH,
  TDS_SLOPE,
} from "./stis-longslit-model.js";
import { doubles, type TableContext, writeTable } from "./stis-longslit-tables.js";

/** Background regions: 5 rows each, 300 rows either side of the trace, a flat background. */
export const BACKGROUND = { size: 5, offset: 300 };
/** PCTAB MAXHGHT: the EXTRHEIGHT that stands for an infinite box. */
export const MAX_HEIGHT = 600;
const PCT_HEIGHTS = [3, 5, EXTRSIZE, 9, 11, 15, MAX_HEIGHT];

/** Wavelengths from `from` to `to` every `step` Å. */
const grid = (from: number, to: number, step: number) =>
  Float64Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => from + step * i);

const text = (name: string, value: string): ColumnSpec => ({ name, data: [value] });
const int = (name: string, value: number, format = "1J"): ColumnSpec => ({
  name,
  data: format === "1I" ? Int16Array.of(value) : Int32Array.of(value),
  format,
});
const real = (name: string, value: number): ColumnSpec => ({ name, data: Float32Array.of(value), format: "1E" });

function xtractab(c: TableContext): ReferenceFile {
  const zeros = new Array(20).fill(0);
  return writeTable(c, "xtractab", "1-D EXTRACTION PARAMETERS TABLE", "Synthetic G430L extraction box", [
    text("APERTURE", APERTURE),
    text("OPT_ELEM", OPT_ELEM),
    int("CENWAVE", CENWAVE),
    int("SPORDER", 1, "1I"),
    real("EXTRSIZE", EXTRSIZE),
    real("BK1SIZE", BACKGROUND.size),
    real("BK2SIZE", BACKGROUND.size),
    real("BK1OFFST", -BACKGROUND.offset),
    real("BK2OFFST", BACKGROUND.offset),
    doubles("BKTCOEFF", zeros),
    int("NCOEFFBK", 2),
    doubles("SLTCOEFF", zeros),
    int("NCOEFFSL", 2),
    int("BACKORD", 0, "1I"),
    text("XTRACALG", "UNWEIGHTED"),
    int("MAXSRCH", 10, "1I"),
  ]);
}

function phottab(c: TableContext): ReferenceFile {
  const wl = grid(2800, 5800, 10);
  return writeTable(c, "phottab", "PHOTOMETRIC CONVERSION TABLE", "Synthetic G430L sensitivity", [
    text("OPT_ELEM", OPT_ELEM),
    int("CENWAVE", CENWAVE),
    int("SPORDER", 1),
    int("NELEM", wl.length),
    doubles("WAVELENGTH", wl),
    doubles("THROUGHPUT", wl.map(response)),
    doubles(
      "ERROR",
      wl.map((w) => 0.01 * response(w)),
    ),
  ]);
}

function apertab(c: TableContext): ReferenceFile {
  const wl = grid(2000, 11000, 100);
  return writeTable(c, "apertab", "APERTURE THROUGHPUT TABLE", "Synthetic 52X0.2 throughput", [
    text("APERTURE", APERTURE),
    int("NELEM", wl.length),
    doubles("WAVELENGTH", wl),
    doubles("THROUGHPUT", wl.map(slitThroughput)),
  ]);
}

/** One row per extraction height: the fraction of the source's profile inside it (1 for MAXHGHT). */
function pctab(c: TableContext): ReferenceFile {
  const wl = grid(2800, 5800, 100);
  const n = PCT_HEIGHTS.length;
  const descrip = "Synthetic enclosed fractions of the source profile";
  const factors = PCT_HEIGHTS.flatMap((h) => Array.from(wl, (w) => (h === MAX_HEIGHT ? 1 : enclosedFraction(w, h))));
  const columns: ColumnSpec[] = [
    { name: "APERTURE", data: new Array(n).fill(APERTURE) },
    { name: "CENWAVE", data: new Int32Array(n).fill(CENWAVE), format: "1J" },
    { name: "EXTRHEIGHT", data: Int32Array.from(PCT_HEIGHTS), format: "1J" },
    { name: "NELEM", data: new Int32Array(n).fill(wl.length), format: "1J" },
    { name: "WAVELENGTH", data: Float64Array.from(PCT_HEIGHTS.flatMap(() => Array.from(wl))), format: `${wl.length}D` },
    { name: "THROUGHPUT", data: Float64Array.from(factors), format: `${wl.length}D` },
    { name: "PEDIGREE", data: new Array(n).fill("MODEL") },
    { name: "DESCRIP", data: new Array(n).fill(descrip) },
  ];
  const keys = new Header().set("MAXHGHT", MAX_HEIGHT, { comment: "EXTRHEIGHT of an infinite box" });
  return writeTable(c, "pctab", "PHOTOMETRIC CORRECTION TABLE", descrip, columns, keys, false);
}

function tdstab(c: TableContext): ReferenceFile {
  const wl = grid(1000, 11000, 1000);
  return writeTable(c, "tdstab", "TIME DEPENDENT SENSITIVITY TABLE", "Synthetic sensitivity loss", [
    text("OPT_ELEM", OPT_ELEM),
    int("NWL", wl.length),
    int("NT", 1),
    doubles("WAVELENGTH", wl),
    doubles("TIME", [TDS_EPOCH]),
    { ...doubles("SLOPE", new Array(wl.length).fill(TDS_SLOPE)), dim: [wl.length, 1] },
    { name: "REFTEMP", data: Float64Array.of(0), format: "1D" },
    doubles("TEMPSENS", new Array(wl.length).fill(0)),
  ]);
}

function gactab(c: TableContext): ReferenceFile {
  const wl = grid(2800, 5800, 100);
  return writeTable(c, "gactab", "GRATING-APERTURE CORRECTION TABLE", "Synthetic G430L on 52X0.2", [
    text("OPT_ELEM", OPT_ELEM),
    int("CENWAVE", CENWAVE),
    text("APERTURE", APERTURE),
    int("NELEM", wl.length),
    doubles("WAVELENGTH", wl),
    doubles("THROUGHPUT", wl.map(gratingApertureFactor)),
  ]);
}

export function writeLongSlitFluxTables(c: TableContext): ReferenceFile[] {
  return [xtractab(c), phottab(c), apertab(c), pctab(c), tdstab(c), gactab(c)];
}
