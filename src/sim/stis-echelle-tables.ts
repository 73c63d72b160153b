/**
 * The spectroscopic tables of the simulated E140M echelle mode in the formats calstis reads (cs4 getwcp, getlamp,
 * getapdes4, getdisp4, getinang4, gettrace4; cs7 getsdc; cs6 getextract, getabsphot6, getapthr6, getpct6,
 * gettds): one row per SPORDER where calstis selects by order (INANGTAB, SPTRCTAB, SDCTAB, XTRACTAB, PHOTTAB), one
 * row for the mode where it does not (WCPTAB, LAMPTAB, APDESTAB, the echelle DISPTAB in m·λ, PCTAB, APERTAB,
 * TDSTAB). The PHOTTAB has no blaze-shift columns (cs6 then warns and skips the blaze shift, as for old tables).
 */
import type { ColumnSpec } from "../fits/index.js";
import { Header } from "../fits/index.js";
import type { ReferenceFile } from "./reference-files.js";
import * as E140M from "./stis-echelle-model.js";
import { type TableContext, writeTable } from "./stis-longslit-tables.js";

type Cell = string | number | readonly number[];
/** Scalar formats by column; a number array is `nD`, a string is text. Unlisted numbers are 1D. */
const FORMAT: Record<string, string> = {
  SPORDER: "1I",
  CENWAVE: "1J",
  NCOEFF: "1J",
  NCOEFF1: "1J",
  NCOEFF2: "1J",
  NELEM: "1J",
  NPIX1: "1J",
  NPIX2: "1J",
  NCOEFFBK: "1J",
  NCOEFFSL: "1J",
  BACKORD: "1I",
  MAXSRCH: "1I",
  NBARS: "1I",
  EXTRHEIGHT: "1J",
  WL_TRIM1: "1J",
  WL_TRIM2: "1J",
  SP_TRIM1: "1J",
  SP_TRIM2: "1J",
  WL_RANGE: "1J",
  SP_RANGE: "1J",
  NWL: "1J",
  NT: "1J",
  MREF: "1I",
};
const REALS = new Set(["EXTRSIZE", "BK1SIZE", "BK2SIZE", "BK1OFFST", "BK2OFFST", "WIDTH1", "WIDTH2", "ANGLE"]);
const REAL_PREFIXES = ["OFFSET", "BAR1", "BAR2", "BAR3"];

function column(name: string, values: Cell[]): ColumnSpec {
  const first = values[0]!;
  if (typeof first === "string") return { name, data: values as string[] };
  if (typeof first !== "number") {
    const n = first.length;
    return { name, data: Float64Array.from(values.flatMap((v) => [...(v as number[])])), format: `${n}D` };
  }
  const numbers = values as number[];
  const format = FORMAT[name];
  if (format === "1I") return { name, data: Int16Array.from(numbers), format };
  if (format === "1J") return { name, data: Int32Array.from(numbers), format };
  if (REALS.has(name) || REAL_PREFIXES.some((p) => name.startsWith(p)))
    return { name, data: Float32Array.from(numbers), format: "1E" };
  return { name, data: Float64Array.from(numbers), format: "1D" };
}

/** A table of rows (each row's PEDIGREE and DESCRIP added). */
function rowsTable(
  c: TableContext,
  kind: [filekind: string, filetype: string, descrip: string],
  rows: Record<string, Cell>[],
  keys?: Header,
): ReferenceFile {
  const [filekind, filetype, descrip] = kind;
  const full = rows.map((r) => ({ ...r, PEDIGREE: "MODEL", DESCRIP: descrip }));
  const columns = Object.keys(full[0]!).map((name) =>
    column(
      name,
      full.map((r) => r[name as keyof typeof r]!),
    ),
  );
  return writeTable(c, filekind, filetype, descrip, columns, keys, false);
}

const m = E140M;
const mode = { OPT_ELEM: m.OPT_ELEM, CENWAVE: m.CENWAVE };
const grid = (from: number, to: number, step: number) =>
  Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => from + step * i);
const zeros = (n: number) => new Array<number>(n).fill(0);
const [W0, W1] = m.WAVELENGTH_RANGE as [number, number];

const wcptab = (c: TableContext) =>
  rowsTable(
    c,
    ["wcptab", "WAVECAL PARAMETERS TABLE", "Synthetic echelle wavecal parameters"],
    [{ DETECTOR: m.DETECTOR, OPT_ELEM: m.OPT_ELEM, WL_TRIM1: 30, WL_TRIM2: 30, SP_TRIM1: 10, SP_TRIM2: 10 }].map(
      (r) => ({ ...r, WL_RANGE: 21, SP_RANGE: 41, NSIG_CR: 3, NSIG_ILL: 3, MAD_REJ: 5, MIN_MAD: 5 }),
    ),
  );

function lamptab(c: TableContext) {
  const wl = grid(Math.floor(W0) - 5, Math.ceil(W1) + 5, 0.004);
  const row = { OPT_ELEM: m.OPT_ELEM, SCLAMP: m.LAMP.sclamp, LAMPSET: m.LAMP.lampset, NELEM: wl.length };
  return rowsTable(
    c,
    ["lamptab", "TEMPLATE CAL LAMP SPECTRA TABLE", "Synthetic echelle line lamp"],
    [{ ...row, WAVELENGTH: wl, FLUX: wl.map(m.lampFlux) }],
  );
}

const apdestab = (c: TableContext) =>
  rowsTable(
    c,
    ["apdestab", "APERTURE DESCRIPTION TABLE", "Synthetic echelle aperture"],
    [{ APERTURE: m.APERTURE, WIDTH1: m.SLIT.width1, WIDTH2: m.SLIT.width2, ANGLE: 0, OFFSET1: 0, OFFSET2: 0 }].map(
      (r) => ({ ...r, NBARS: 0, BAR1LOCN: 0, BAR2LOCN: 0, BAR3LOCN: 0, BAR1WIDTH: 0, BAR2WIDTH: 0, BAR3WIDTH: 0 }),
    ),
  );

/** The echelle DISPTAB with its MAMA offset columns (MREF, YREF, A4CORR = 0: no skew with the spatial shift). */
const disptab = (c: TableContext) =>
  rowsTable(
    c,
    ["disptab", "DISPERSION COEFFICIENTS TABLE", "Synthetic E140M echelle dispersion"],
    [
      { ...mode, A2CENTER: m.orderRow(100), REF_APER: m.APERTURE, NCOEFF: 2, COEFF: [...m.DISP_COEFF, ...zeros(8)] },
    ].map((r) => ({ ...r, MREF: 100, YREF: m.orderRow(100), A4CORR: 0 })),
  );

const perOrder = <R extends Record<string, Cell>>(row: (order: number) => R) =>
  m.ORDERS.map((order) => ({ ...mode, SPORDER: order, ...row(order) }));

const inangtab = (c: TableContext) =>
  rowsTable(
    c,
    ["inangtab", "INCIDENCE ANGLE CORRECTION TABLE", "Synthetic: no incidence-angle term"],
    perOrder(() => ({ NCOEFF1: 2, COEFF1: zeros(10), NCOEFF2: 2, COEFF2: zeros(10) })),
  );

export const TRACE_LENGTH = 1024;
const sptrctab = (c: TableContext) =>
  rowsTable(
    c,
    ["sptrctab", "1-D SPECTRUM TRACE TABLE", "Synthetic E140M traces"],
    perOrder((order) => ({
      A1CENTER: m.A1CENTER,
      A2CENTER: m.orderRow(order),
      NELEM: TRACE_LENGTH,
      A2DISPL: Array.from({ length: TRACE_LENGTH }, (_, x) => m.traceDisplacement(x)),
      MJD: 50000,
      DEGPERYR: 0,
    })),
  );

/** Each order's x2d: 1024 columns linear in wavelength at the order's dispersion, 61 rows around its trace. */
export const x2dGrid = (order: number) => ({
  npix: [1024, 61],
  crpix: [512.5, 31],
  crval: [Number(m.wavelengthAt(order, 511.5).toFixed(4)), 0],
  cdelt: [Number(m.dispersionAt(order).toFixed(7)), m.PLATE_SCALE],
});
const sdctab = (c: TableContext) =>
  rowsTable(
    c,
    ["sdctab", "2-D SPECTRUM DISTORTION CORRECTION TABLE", "Synthetic E140M x2d grids"],
    m.ORDERS.map((order) => {
      const g = x2dGrid(order);
      const [NPIX1, NPIX2] = g.npix as [number, number];
      const [CRPIX1, CRPIX2] = g.crpix as [number, number];
      const [CRVAL1, CRVAL2] = g.crval as [number, number];
      const [CDELT1, CDELT2] = g.cdelt as [number, number];
      const where = { APERTURE: m.APERTURE, ...mode, SPORDER: order, A2CENTER: m.orderRow(order) };
      return { ...where, NPIX1, NPIX2, CRPIX1, CRPIX2, CRVAL1, CRVAL2, CDELT1, CDELT2 };
    }),
  );

const xtractab = (c: TableContext) =>
  rowsTable(
    c,
    ["xtractab", "1-D EXTRACTION PARAMETERS TABLE", "Synthetic E140M extraction boxes"],
    perOrder(() => ({
      APERTURE: m.APERTURE,
      EXTRSIZE: m.EXTRSIZE,
      BK1SIZE: m.BACKGROUND.size,
      BK2SIZE: m.BACKGROUND.size,
      BK1OFFST: -m.BACKGROUND.offset,
      BK2OFFST: m.BACKGROUND.offset,
      BKTCOEFF: zeros(20),
      NCOEFFBK: 2,
      SLTCOEFF: zeros(20),
      NCOEFFSL: 2,
      BACKORD: 0,
      XTRACALG: "UNWEIGHTED",
      MAXSRCH: 5,
    })),
  );

function phottab(c: TableContext) {
  const rows = perOrder((order) => {
    const wl = grid(Math.floor(m.wavelengthAt(order, -60)), Math.ceil(m.wavelengthAt(order, 1084)), 0.25);
    const thru = wl.map(m.response(order));
    return { NELEM: wl.length, WAVELENGTH: wl, THROUGHPUT: thru, ERROR: thru.map((t) => 0.01 * t) };
  });
  // a column's arrays have one length: pad every row to the longest with its last values (NELEM says how many)
  const n = Math.max(...rows.map((r) => r.NELEM));
  const pad = (a: number[]) => [...a, ...new Array<number>(n - a.length).fill(a.at(-1)!)];
  const padded = rows.map((r) => ({
    ...r,
    WAVELENGTH: pad(r.WAVELENGTH),
    THROUGHPUT: pad(r.THROUGHPUT),
    ERROR: pad(r.ERROR),
  }));
  return rowsTable(c, ["phottab", "PHOTOMETRIC CONVERSION TABLE", "Synthetic E140M sensitivity"], padded);
}

function apertab(c: TableContext) {
  const wl = grid(1000, 11000, 100);
  return rowsTable(
    c,
    ["apertab", "APERTURE THROUGHPUT TABLE", `Synthetic ${m.APERTURE} throughput`],
    [{ APERTURE: m.APERTURE, NELEM: wl.length, WAVELENGTH: wl, THROUGHPUT: wl.map(m.slitThroughput) }],
  );
}

/** PCTAB MAXHGHT: the EXTRHEIGHT that stands for an infinite box. */
export const MAX_HEIGHT = 600;
function pctab(c: TableContext) {
  const wl = grid(1100, 1800, 50);
  const heights = [3, 5, m.EXTRSIZE, 9, 11, MAX_HEIGHT];
  const rows = heights.map((h) => ({
    APERTURE: m.APERTURE,
    CENWAVE: m.CENWAVE,
    EXTRHEIGHT: h,
    NELEM: wl.length,
    WAVELENGTH: wl,
    THROUGHPUT: wl.map((w) => (h === MAX_HEIGHT ? 1 : m.enclosedFraction(w, h))),
  }));
  const keys = new Header().set("MAXHGHT", MAX_HEIGHT, { comment: "EXTRHEIGHT of an infinite box" });
  return rowsTable(c, ["pctab", "PHOTOMETRIC CORRECTION TABLE", "Synthetic enclosed fractions"], rows, keys);
}

function tdstab(c: TableContext) {
  const wl = grid(1000, 11000, 1000);
  const descrip = "Synthetic sensitivity loss";
  return writeTable(c, "tdstab", "TIME DEPENDENT SENSITIVITY TABLE", descrip, [
    { name: "OPT_ELEM", data: [m.OPT_ELEM] },
    { name: "NWL", data: Int32Array.of(wl.length), format: "1J" },
    { name: "NT", data: Int32Array.of(1), format: "1J" },
    { name: "WAVELENGTH", data: Float64Array.from(wl), format: `${wl.length}D` },
    { name: "TIME", data: Float64Array.of(m.TDS_EPOCH), format: "1D" },
    {
      name: "SLOPE",
      data: new Float64Array(wl.length).fill(m.TDS_SLOPE),
      format: `${wl.length}D`,
      dim: [wl.length, 1],
    },
    { name: "REFTEMP", data: Float64Array.of(m.TDS_TEMPERATURE.reftemp), format: "1D" },
    { name: "TEMPSENS", data: new Float64Array(wl.length).fill(m.TDS_TEMPERATURE.tempsens), format: `${wl.length}D` },
  ]);
}

/** The twelve tables of the echelle mode (no GACTAB: CRDS gives a MAMA none). */
export function writeEchelleTables(c: TableContext): ReferenceFile[] {
  return [
    wcptab,
    lamptab,
    apdestab,
    disptab,
    inangtab,
    sptrctab,
    sdctab,
    xtractab,
    phottab,
    apertab,
    pctab,
    tdstab,
  ].map((write) => write(c));
}
