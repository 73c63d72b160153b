/**
 * The wavecal and geometry tables of the simulated long-slit mode in the formats calstis reads (cs4
 * getwcp/getlamp/getapdes4/getdisp4/getinang4/gettrace4, cs7 getsdc): WCPTAB, LAMPTAB, APDESTAB (columns as
 * the archive's 16j16005o_apd.fits), DISPTAB, INANGTAB, SPTRCTAB and SDCTAB, one row each for G430L/4300 on
 * 52X0.2, from the model in stis-longslit-model.ts.
 */
import type { ColumnSpec } from "../fits/index.js";
import { Header } from "../fits/index.js";
import type { DetectorModel } from "./detectors.js";
import { type ReferenceFile, referencePrimary, writeTableFile } from "./reference-files.js";
import { ref } from "./references-ccd.js";
import * as G430L from "./stis-longslit-model.js";
import type { LongSlitOptics } from "./stis-longslit-optics.js";

export interface TableContext {
  model: DetectorModel;
  seed: number;
  dir: string;
  /** The mode's optics (G430L when absent). */
  optics?: LongSlitOptics;
}

const PEDIGREE = "MODEL";
const text = (name: string, value: string): ColumnSpec => ({ name, data: [value] });
const int = (name: string, value: number, format = "1J"): ColumnSpec => ({
  name,
  data: format === "1I" ? Int16Array.of(value) : Int32Array.of(value),
  format,
});
const real = (name: string, value: number): ColumnSpec => ({ name, data: Float32Array.of(value), format: "1E" });
const double = (name: string, value: number): ColumnSpec => ({ name, data: Float64Array.of(value), format: "1D" });
export const doubles = (name: string, values: ArrayLike<number>): ColumnSpec => ({
  name,
  data: Float64Array.from(values),
  format: `${values.length}D`,
});

/** Writes a one-table reference; a one-row table gets its PEDIGREE and DESCRIP here. */
export function writeTable(
  c: TableContext,
  filekind: string,
  filetype: string,
  descrip: string,
  columns: ColumnSpec[],
  keys?: Header,
  oneRow = true,
): ReferenceFile {
  const r = ref(c, filekind);
  const primary = referencePrimary(c.model, filetype, descrip, new Header());
  const described = oneRow ? [...columns, text("PEDIGREE", PEDIGREE), text("DESCRIP", descrip)] : columns;
  writeTableFile(r.path, primary, [{ columns: described, keys }]);
  return r;
}

function wcptab(c: TableContext): ReferenceFile {
  const m = c.optics ?? G430L;
  return writeTable(c, "wcptab", "WAVECAL PARAMETERS TABLE", "Synthetic wavecal parameters", [
    text("DETECTOR", m.DETECTOR),
    text("OPT_ELEM", m.OPT_ELEM),
    int("WL_TRIM1", 30),
    int("WL_TRIM2", 30),
    int("SP_TRIM1", 10),
    int("SP_TRIM2", 10),
    int("WL_RANGE", 21),
    int("SP_RANGE", 41),
    double("NSIG_CR", 3),
    double("NSIG_ILL", 3),
    double("MAD_REJ", 5),
    double("MIN_MAD", 5),
  ]);
}

/** The lamp spectrum sampled every 0.25 Å over the grating's range and beyond. */
function lamptab(c: TableContext): ReferenceFile {
  const m = c.optics ?? G430L;
  const { start, n } = m.LAMPTAB_SAMPLES;
  const wavelength = Float64Array.from({ length: n }, (_, i) => start + 0.25 * i);
  return writeTable(c, "lamptab", "TEMPLATE CAL LAMP SPECTRA TABLE", "Synthetic line lamp spectrum", [
    text("OPT_ELEM", m.OPT_ELEM),
    text("SCLAMP", m.LAMP.sclamp),
    text("LAMPSET", m.LAMP.lampset),
    int("NELEM", n),
    doubles("WAVELENGTH", wavelength),
    doubles("FLUX", wavelength.map(m.lampFlux)),
  ]);
}

function apdestab(c: TableContext): ReferenceFile {
  const m = c.optics ?? G430L;
  const e = (name: string, value: number) => ({ ...real(name, value), unit: "arcsec" });
  return writeTable(c, "apdestab", "APERTURE DESCRIPTION TABLE", "Synthetic long-slit aperture", [
    text("APERTURE", m.APERTURE),
    e("WIDTH1", m.SLIT.width1),
    e("WIDTH2", m.SLIT.width2),
    { ...real("ANGLE", m.SLIT.angle), unit: "degrees" },
    e("OFFSET1", 0),
    e("OFFSET2", 0),
    int("NBARS", m.SLIT.bars.length, "1I"),
    e("BAR1LOCN", m.SLIT.bars[0]),
    e("BAR2LOCN", m.SLIT.bars[1]),
    e("BAR3LOCN", 0),
    e("BAR1WIDTH", m.SLIT.barWidths[0]),
    e("BAR2WIDTH", m.SLIT.barWidths[1]),
    e("BAR3WIDTH", 0),
  ]);
}

function disptab(c: TableContext): ReferenceFile {
  const m = c.optics ?? G430L;
  const coeff = [...m.DISP_COEFF, 0, 0, 0, 0, 0, 0, 0];
  return writeTable(c, "disptab", "DISPERSION COEFFICIENTS TABLE", `Synthetic ${m.OPT_ELEM} dispersion`, [
    text("OPT_ELEM", m.OPT_ELEM),
    int("CENWAVE", m.CENWAVE),
    double("A2CENTER", m.TRACE.a2center),
    text("REF_APER", m.APERTURE),
    int("NCOEFF", m.DISP_COEFF.length),
    doubles("COEFF", coeff),
  ]);
}

function inangtab(c: TableContext): ReferenceFile {
  const m = c.optics ?? G430L;
  return writeTable(c, "inangtab", "INCIDENCE ANGLE CORRECTION TABLE", "Synthetic: no incidence-angle term", [
    text("OPT_ELEM", m.OPT_ELEM),
    int("CENWAVE", m.CENWAVE),
    int("SPORDER", 1, "1I"),
    int("NCOEFF1", 2),
    doubles("COEFF1", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    int("NCOEFF2", 2),
    doubles("COEFF2", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
  ]);
}

export const TRACE_LENGTH = 1024;

function sptrctab(c: TableContext): ReferenceFile {
  const m = c.optics ?? G430L;
  return writeTable(c, "sptrctab", "1-D SPECTRUM TRACE TABLE", `Synthetic ${m.OPT_ELEM} trace`, [
    text("OPT_ELEM", m.OPT_ELEM),
    int("CENWAVE", m.CENWAVE),
    int("SPORDER", 1, "1I"),
    double("A1CENTER", m.TRACE.a1center),
    double("A2CENTER", m.TRACE.a2center),
    int("NELEM", TRACE_LENGTH),
    doubles(
      "A2DISPL",
      Array.from({ length: TRACE_LENGTH }, (_, x) => m.traceDisplacement(x)),
    ),
    double("MJD", 50000),
    double("DEGPERYR", 0),
  ]);
}

/** The x2d grid: 1024 × 1024, linear in wavelength at the centre's dispersion, the trace on row CRPIX2. */
export const x2dGrid = (m: LongSlitOptics) => ({
  npix: [1024, 1024],
  crpix: [512.5, m.TRACE.a2center],
  crval: [m.CENWAVE, 0],
  cdelt: [Number(m.dispersionAt(m.CENWAVE).toFixed(5)), m.PLATE_SCALE],
});
export const X2D_GRID = x2dGrid(G430L);

function sdctab(c: TableContext): ReferenceFile {
  const m = c.optics ?? G430L;
  const g = x2dGrid(m);
  return writeTable(c, "sdctab", "2-D SPECTRUM DISTORTION CORRECTION TABLE", `Synthetic ${m.OPT_ELEM} x2d grid`, [
    text("APERTURE", m.APERTURE),
    text("OPT_ELEM", m.OPT_ELEM),
    int("CENWAVE", m.CENWAVE),
    int("SPORDER", 1, "1I"),
    double("A2CENTER", m.TRACE.a2center),
    int("NPIX1", g.npix[0]),
    int("NPIX2", g.npix[1]),
    double("CRPIX1", g.crpix[0]),
    double("CRPIX2", g.crpix[1]),
    double("CRVAL1", g.crval[0]),
    double("CRVAL2", g.crval[1]),
    double("CDELT1", g.cdelt[0]),
    double("CDELT2", g.cdelt[1]),
  ]);
}

/** Writes the seven tables. */
export function writeLongSlitGeometryTables(c: TableContext): ReferenceFile[] {
  return [wcptab(c), lamptab(c), apdestab(c), disptab(c), inangtab(c), sptrctab(c), sdctab(c)];
}
