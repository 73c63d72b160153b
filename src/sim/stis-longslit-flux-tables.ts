/**
 * The extraction and flux tables of the simulated long-slit mode in the formats calstis' cs6 and cs7 read
 * (getextract, getabsphot6, getapthr6, getpct6, getgac6, gettds): XTRACTAB, PHOTTAB, APERTAB, PCTAB (with
 * MAXHGHT), TDSTAB (the original STIS format: no INTERCEPT) and GACTAB, from stis-longslit-model.ts.
 */
import type { ColumnSpec } from "../fits/index.js";
import { Header } from "../fits/index.js";
import type { ReferenceFile } from "./reference-files.js";
import * as G430L from "./stis-longslit-model.js";
import { doubles, type TableContext, writeTable } from "./stis-longslit-tables.js";

/** Background regions: 5 rows each, 300 rows either side of the trace, a flat background. */
export const BACKGROUND = { size: 5, offset: 300 };
/** PCTAB MAXHGHT: the EXTRHEIGHT that stands for an infinite box. */
export const MAX_HEIGHT = 600;
/** PCTAB EXTRHEIGHTs: the mode's EXTRSIZE among them. */
const pctHeights = (extrsize: number) =>
  [...new Set([3, 5, extrsize, 9, 11, 15])].sort((a, b) => a - b).concat(MAX_HEIGHT);

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
  const m = c.optics ?? G430L;
  const zeros = new Array(20).fill(0);
  return writeTable(c, "xtractab", "1-D EXTRACTION PARAMETERS TABLE", `Synthetic ${m.OPT_ELEM} extraction box`, [
    text("APERTURE", m.APERTURE),
    text("OPT_ELEM", m.OPT_ELEM),
    int("CENWAVE", m.CENWAVE),
    int("SPORDER", 1, "1I"),
    real("EXTRSIZE", m.EXTRSIZE),
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
  const m = c.optics ?? G430L;
  const wl = grid(m.SENSITIVITY_RANGE[0], m.SENSITIVITY_RANGE[1], 10);
  return writeTable(c, "phottab", "PHOTOMETRIC CONVERSION TABLE", `Synthetic ${m.OPT_ELEM} sensitivity`, [
    text("OPT_ELEM", m.OPT_ELEM),
    int("CENWAVE", m.CENWAVE),
    int("SPORDER", 1),
    int("NELEM", wl.length),
    doubles("WAVELENGTH", wl),
    doubles("THROUGHPUT", wl.map(m.response)),
    doubles(
      "ERROR",
      wl.map((w) => 0.01 * m.response(w)),
    ),
  ]);
}

function apertab(c: TableContext): ReferenceFile {
  const m = c.optics ?? G430L;
  const wl = grid(m.APERTURE_RANGE[0], m.APERTURE_RANGE[1], 100);
  return writeTable(c, "apertab", "APERTURE THROUGHPUT TABLE", `Synthetic ${m.APERTURE} throughput`, [
    text("APERTURE", m.APERTURE),
    int("NELEM", wl.length),
    doubles("WAVELENGTH", wl),
    doubles("THROUGHPUT", wl.map(m.slitThroughput)),
  ]);
}

/** One row per extraction height: the fraction of the source's profile inside it (1 for MAXHGHT). */
function pctab(c: TableContext): ReferenceFile {
  const m = c.optics ?? G430L;
  const wl = grid(m.SENSITIVITY_RANGE[0], m.SENSITIVITY_RANGE[1], 100);
  const heights = pctHeights(m.EXTRSIZE);
  const n = heights.length;
  const descrip = "Synthetic enclosed fractions of the source profile";
  const factors = heights.flatMap((h) => Array.from(wl, (w) => (h === MAX_HEIGHT ? 1 : m.enclosedFraction(w, h))));
  const columns: ColumnSpec[] = [
    { name: "APERTURE", data: new Array(n).fill(m.APERTURE) },
    { name: "CENWAVE", data: new Int32Array(n).fill(m.CENWAVE), format: "1J" },
    { name: "EXTRHEIGHT", data: Int32Array.from(heights), format: "1J" },
    { name: "NELEM", data: new Int32Array(n).fill(wl.length), format: "1J" },
    { name: "WAVELENGTH", data: Float64Array.from(heights.flatMap(() => Array.from(wl))), format: `${wl.length}D` },
    { name: "THROUGHPUT", data: Float64Array.from(factors), format: `${wl.length}D` },
    { name: "PEDIGREE", data: new Array(n).fill("MODEL") },
    { name: "DESCRIP", data: new Array(n).fill(descrip) },
  ];
  const keys = new Header().set("MAXHGHT", MAX_HEIGHT, { comment: "EXTRHEIGHT of an infinite box" });
  return writeTable(c, "pctab", "PHOTOMETRIC CORRECTION TABLE", descrip, columns, keys, false);
}

function tdstab(c: TableContext): ReferenceFile {
  const m = c.optics ?? G430L;
  const wl = grid(1000, 11000, 1000);
  return writeTable(c, "tdstab", "TIME DEPENDENT SENSITIVITY TABLE", "Synthetic sensitivity loss", [
    text("OPT_ELEM", m.OPT_ELEM),
    int("NWL", wl.length),
    int("NT", 1),
    doubles("WAVELENGTH", wl),
    doubles("TIME", [m.TDS_EPOCH]),
    { ...doubles("SLOPE", new Array(wl.length).fill(m.TDS_SLOPE)), dim: [wl.length, 1] },
    { name: "REFTEMP", data: Float64Array.of(m.TDS_TEMPERATURE.reftemp), format: "1D" },
    doubles("TEMPSENS", new Array(wl.length).fill(m.TDS_TEMPERATURE.tempsens)),
  ]);
}

function gactab(c: TableContext): ReferenceFile {
  const m = c.optics ?? G430L;
  const wl = grid(m.SENSITIVITY_RANGE[0], m.SENSITIVITY_RANGE[1], 100);
  return writeTable(c, "gactab", "GRATING-APERTURE CORRECTION TABLE", `Synthetic ${m.OPT_ELEM} on ${m.APERTURE}`, [
    text("OPT_ELEM", m.OPT_ELEM),
    int("CENWAVE", m.CENWAVE),
    text("APERTURE", m.APERTURE),
    int("NELEM", wl.length),
    doubles("WAVELENGTH", wl),
    doubles("THROUGHPUT", wl.map(m.gratingApertureFactor)),
  ]);
}

export function writeLongSlitFluxTables(c: TableContext): ReferenceFile[] {
  return [xtractab(c), phottab(c), apertab(c), pctab(c), tdstab(c), gactab(c)];
}
