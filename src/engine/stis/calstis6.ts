/**
 * calstis6 on files: the first-order long-slit CCD or MAMA spectrum of each imset of a `_crj`/`_flt` (which carries
 * SHIFTA1/SHIFTA2 from the wavecal) extracted into a `_x1d`/`_sx1` in calstis' table format, one SCI table per
 * imset with one row (SPORDER 1) of array columns; the primary header's switches COMPLETE with cs6's HISTORY,
 * each table's header the imset's SCI header without its image WCS, with V_HELIO and CRSCROFF. Written under a
 * temporary name and renamed; the input is only read. A MAMA echelle is calstis6-echelle.ts; optimal and
 * scattered-light extractions are refused by name.
 */

import { basename } from "node:path";
import { formatGeneral } from "../../calib/common/c-format.js";
import { CalibrationError } from "../../calib/common/errors.js";
import { referenceHistory } from "../../calib/common/switches.js";
import { heliocentricFactor } from "../../calib/stis/heliocentric.js";
import { extractFirstOrder, type X1dExposure, type X1dRow } from "../../calib/stis/x1d-spectrum.js";
import { type ColumnSpec, FitsWriter, type Header } from "../../fits/index.js";
import { type ImageSetFile, readImageSetFile } from "../imset-io.js";
import type { Env } from "../reference-files.js";
import { naming, performs, upper } from "./calstis-shared.js";
import { Cs6Tables, readCs6Tables } from "./calstis6-tables.js";
import { detectorTemperature } from "./calstis7.js";

/** Keywords of the SCI header the table does not inherit (cs6 output.c isInvalid; HSTIO leaves out DATE, ORIGIN). */
export const NOT_INHERITED = [
  "BUNIT",
  "CTYPE1",
  "CTYPE2",
  "CRPIX1",
  "CRPIX2",
  "CRVAL1",
  "CRVAL2",
  "CD1_1",
  "CD1_2",
].concat(["CD2_1", "CD2_2", "CUNIT1", "CUNIT2", "DATE", "ORIGIN", "CHECKSUM", "DATASUM"]);
const STEPS = ["X1DCORR", "BACKCORR", "DISPCORR", "HELCORR", "FLUXCORR"] as const;
/** The tables each step's HISTORY names (cs6 history6.c), in its order. */
const STEP_TABLES: Record<(typeof STEPS)[number], string[]> = {
  X1DCORR: ["SPTRCTAB", "XTRACTAB"],
  BACKCORR: ["XTRACTAB"],
  DISPCORR: ["DISPTAB", "INANGTAB", "APDESTAB"],
  HELCORR: [],
  FLUXCORR: ["PHOTTAB", "PCTAB", "APERTAB", "GACTAB", "TDSTAB"],
};

export interface Calstis6Result {
  trailer: string[];
  /** One per imset: the row written. */
  rows: X1dRow[];
}

const num = (h: Header, k: string, fallback?: number) => h.getNumber(k, fallback);

export function columns(r: X1dRow, fluxcorr: boolean, sporder = 1): ColumnSpec[] {
  const n = r.wavelength.length;
  const real = (name: string, data: Float32Array, unit: string): ColumnSpec => ({
    name,
    data,
    format: `${n}E`,
    unit,
    disp: "G15.7",
  });
  const scalar = (name: string, value: number): ColumnSpec => ({
    name,
    data: Float32Array.of(value),
    format: "1E",
    unit: "pixel",
    disp: "G15.7",
  });
  const short = (name: string, data: Int16Array, unit?: string): ColumnSpec => ({
    name,
    data,
    format: `${data.length}I`,
    unit,
    disp: "I11",
    null: -32767,
  });
  const flux = "erg/s/cm**2/Angstrom";
  return [
    short("SPORDER", Int16Array.of(sporder)),
    short("NELEM", Int16Array.of(n)),
    { name: "WAVELENGTH", data: r.wavelength, format: `${n}D`, unit: "Angstroms", disp: "G25.16" },
    real("GROSS", r.gross, "Counts/s"),
    real("BACKGROUND", r.background, "Counts/s"),
    real("NET", r.net, "Counts/s"),
    real("FLUX", r.flux, flux),
    real("ERROR", r.error, fluxcorr ? flux : "Counts/s"),
    real("NET_ERROR", r.netError, "Counts/s"),
    { ...short("DQ", Int16Array.from(r.dq)), format: `${n}I` },
    scalar("A2CENTER", r.a2center),
    scalar("EXTRSIZE", r.extrsize),
    short("MAXSRCH", Int16Array.of(r.maxsrch), "pixel"),
    scalar("BK1SIZE", r.bksize[0]),
    scalar("BK2SIZE", r.bksize[1]),
    scalar("BK1OFFST", r.bkoffset[0]),
    scalar("BK2OFFST", r.bkoffset[1]),
    real("EXTRLOCY", r.extrlocy, "pixel"),
    scalar("OFFSET", r.offset),
  ];
}

export const switches = (primary: Header) =>
  Object.fromEntries(STEPS.map((s) => [s, performs(primary, s)])) as Record<(typeof STEPS)[number], boolean>;
export const tableKeys = (primary: Header, expstart: number, temperature = -1) => ({
  aperture: upper(primary, "APERTURE"),
  optElem: upper(primary, "OPT_ELEM"),
  cenwave: primary.getInt("CENWAVE"),
  expstart,
  temperature,
});

/**
 * What calstis6 extracts from an imset: its image, LT, shifts, WCS and, for the CCD, the noise of the error's Q
 * factor; `hfactor` is 1 without HELCORR.
 */
export function x1dExposure(primary: Header, imset: ImageSetFile["imsets"][number], hfactor: number, atodgain = 1) {
  const sci = imset.sci;
  const exptime = num(sci, "EXPTIME");
  const mama = upper(primary, "DETECTOR").endsWith("-MAMA");
  return {
    image: imset.set,
    lt: { ltv: [num(sci, "LTV1", 0), num(sci, "LTV2", 0)], ltm: [num(sci, "LTM1_1", 1), num(sci, "LTM2_2", 1)] },
    exptime,
    sdqflags: sci.getInt("SDQFLAGS", 32767),
    shifta1: num(sci, "SHIFTA1", 0),
    shifta2: num(sci, "SHIFTA2", 0),
    cd: [num(sci, "CD1_1"), num(sci, "CD2_2")],
    crpix1: num(sci, "CRPIX1", 1),
    crval1: num(sci, "CRVAL1", 0),
    optElem: upper(primary, "OPT_ELEM"),
    cenwave: primary.getInt("CENWAVE"),
    hfactor,
    mama,
    noise: mama
      ? { meandark: 0, readnse: 0, atodgain: 1, ncombine: sci.getInt("NCOMBINE", 1), exptime }
      : {
          meandark: num(sci, "MEANDARK"),
          readnse: num(primary, "READNSE", 0),
          atodgain,
          ncombine: sci.getInt("NCOMBINE"),
          exptime,
        },
  } satisfies X1dExposure;
}

/** First-order spectra of the CCD and of the MAMAs (their echelle and prism modes are refused by calstis-mama.ts). */
function requireFirstOrderDetector(primary: Header): void {
  const detector = upper(primary, "DETECTOR");
  if (detector !== "CCD" && !detector.endsWith("-MAMA"))
    throw new CalibrationError("CAL_STEP_NOT_DONE", `X1DCORR of ${detector} data is not native yet`);
}

/**
 * What calstis6 will need of a raw's tables, before anything is calibrated: a CCD, and the SPTRCTAB, XTRACTAB,
 * APDESTAB, DISPTAB, INANGTAB and flux tables' rows for its aperture, grating and central wavelength.
 */
export function checkCalstis6Tables(primary: Header, env: Env = process.env): void {
  requireFirstOrderDetector(primary);
  const on = switches(primary);
  const keys = tableKeys(primary, primary.getNumber("TEXPSTRT", 0));
  const atodgain = primary.getNumber("ATODGAIN", 1);
  readCs6Tables(new Cs6Tables(primary, env), keys, {
    dispcorr: on.DISPCORR,
    fluxcorr: on.FLUXCORR,
    backcorr: on.BACKCORR,
    atodgain,
  });
}

/** The x1d's primary header: the steps done COMPLETE, their tables' HISTORY as cs6 writes it, then `history`. */
export function x1dPrimary(primary: Header, tables: Cs6Tables, history: string[], file: string, nextend: number) {
  const on = switches(primary);
  const lines: string[] = [];
  for (const step of STEPS) {
    if (!on[step] || (step !== "X1DCORR" && step !== "BACKCORR" && !on.DISPCORR)) continue;
    lines.push(step === "HELCORR" ? "HELCORR performed (no reference file needed)" : `${step} performed ...`);
    for (const keyword of STEP_TABLES[step]) {
      const used = tables.used.get(keyword);
      if (used) lines.push(...referenceHistory("table", used.name, used.pedigree, used.descrip));
    }
  }
  const out = primary.clone().set("FILENAME", file).set("NEXTEND", nextend);
  for (const step of STEPS)
    if (on[step] && (step === "X1DCORR" || step === "BACKCORR" || on.DISPCORR)) out.set(step, "COMPLETE");
  out.set("XTRACALG", "UNWEIGHTED", { comment: "extraction algorithm" });
  for (const line of [...lines, ...history]) out.addCommentary("HISTORY", line);
  return out;
}

/** calstis6 of `input` into `output` (e.g. o8ss01010_crj.fits → o8ss01010_sx1.fits). */
export function runCalstis6(input: string, output: string, env: Env = process.env): Calstis6Result {
  const name = basename(input);
  return naming(name, () => {
    const file = readImageSetFile(input);
    const primary = file.primary;
    requireFirstOrderDetector(primary);
    const on = switches(primary);
    const tables = new Cs6Tables(primary, env);
    const trailer: string[] = [];
    const rows: X1dRow[] = [];
    const headers: Header[] = [];
    // cs6 names the velocity of the last imset it extracted
    let history: string[] = [];
    for (const imset of file.imsets) {
      const sci = imset.sci;
      const keys = tableKeys(primary, num(sci, "EXPSTART"), detectorTemperature(primary, sci));
      const atodgain = num(primary, "ATODGAIN", 1);
      const t = readCs6Tables(tables, keys, {
        dispcorr: on.DISPCORR,
        fluxcorr: on.FLUXCORR,
        backcorr: on.BACKCORR,
        atodgain,
      });
      const helio = heliocentricFactor(
        num(primary, "RA_TARG"),
        num(primary, "DEC_TARG"),
        keys.expstart,
        num(sci, "EXPEND"),
      );
      const hfactor = on.HELCORR && on.DISPCORR ? helio.factor : 1;
      const row = extractFirstOrder(x1dExposure(primary, imset, hfactor, atodgain), t, `${name}[SCI,${imset.ver}]`);
      rows.push(row);
      const header = sci.clone();
      for (const k of NOT_INHERITED) header.delete(k);
      header.removeWhere((card) => card.kind === "commentary");
      if (on.HELCORR && on.DISPCORR)
        header.set("V_HELIO", helio.vHelio, { comment: "heliocentric radial velocity (km/s)" });
      header.set("CRSCROFF", row.offset, { comment: "offset from 1-D extraction cross-corr." });
      headers.push(header);
      trailer.push(`${name}[SCI,${imset.ver}]: spectrum extracted at y position = ${row.a2center.toPrecision(6)}`);
      if (on.HELCORR && on.DISPCORR) history = [`Heliocentric correction = ${formatGeneral(helio.vHelio, 6)} km/s`];
    }
    const out = x1dPrimary(primary, tables, history, basename(output), rows.length);
    const writer = new FitsWriter(output);
    try {
      writer.writeImage(out);
      rows.forEach((row, k) => {
        const h = headers[k]
          .set("EXTNAME", "SCI")
          .set("EXTVER", k + 1)
          .set("INHERIT", true);
        writer.writeTable(h, columns(row, on.FLUXCORR && on.DISPCORR), 1);
      });
      writer.close();
    } catch (e) {
      writer.abort();
      throw e;
    }
    return { trailer, rows };
  });
}
