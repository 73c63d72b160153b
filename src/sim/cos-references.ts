/**
 * COS NUV reference files in their real formats, as calcos 3.4 reads them (FILETYPE strings from calcos'
 * `missingRefFiles`, columns and selection keys from its `getTable` calls): BPIXTAB (SEGMENT, LX, LY, DX, DY,
 * DQ), DEADTAB (SEGMENT, OBS_RATE, LIVETIME; TIMESTEP in the table header) and FLATFILE (one NUV image); the
 * spectroscopic tables, LAMPTAB/WCPTAB and FLUXTAB/TDSTAB (cos-flux-tables.ts).
 */
import { join } from "node:path";
import { FitsWriter, Header } from "../fits/index.js";
import { writeCosFluxTables } from "./cos-flux-tables.js";
import type { Random } from "./random.js";
import { hashString } from "./random.js";

export const NUV_SIZE = 1024;
/** Rows of the three stripes' centres (A, B, C). */
export const NUV_STRIPE_ROWS = [180, 280, 440];
/** Rows from each stripe's PSA spectrum to its wavecal (WCA) spectrum. */
export const NUV_WCA_OFFSET = 480;

export interface CosReferenceSet {
  /** Header keyword → basename in the reference folder. */
  names: Record<string, string>;
  /** Bad-pixel regions written to the BPIXTAB, detector pixels (0-based, inclusive lower corner). */
  badRegions: { lx: number; ly: number; dx: number; dy: number; dq: number }[];
}

const USEAFTER = "Oct 01 1996 00:00:00";
/** The same date as CRDS writes it in an rmap. */
export const COS_USEAFTER = "1996-10-01 00:00:00";

/** The primary header of a synthetic COS reference file of `detector`. */
export function cosReferencePrimary(detector: "FUV" | "NUV", filetype: string, descrip: string): Header {
  const h = new Header();
  h.set("TELESCOP", "HST", { comment: "telescope used to acquire data" });
  h.set("INSTRUME", "COS", { comment: "identifier for instrument used to acquire data" });
  h.set("DETECTOR", detector, { comment: "FUV or NUV" });
  h.set("FILETYPE", filetype, { comment: "type of data found in data file" });
  h.set("VCALCOS", "2.0", { comment: "version of calcos that can use this file" });
  h.set("USEAFTER", USEAFTER, { comment: "use after this date" });
  h.set("PEDIGREE", "MODEL", { comment: "synthetic: the simulator's detector model" });
  h.set("DESCRIP", descrip, { comment: "description of the reference file" });
  h.addCommentary("HISTORY", "Synthetic reference file written by caldp sim; not an STScI calibration product.");
  return h;
}

const referencePrimary = (filetype: string, descrip: string) => cosReferencePrimary("NUV", filetype, descrip);

/** A CDBS-style name: 8 base-36 characters, 'l' (COS), the suffix. */
export function cosReferenceName(seed: number, suffix: string): string {
  const h1 = hashString(`${seed}/COS/NUV/${suffix}`);
  const h2 = hashString(`${suffix}/${h1}`);
  return `${(h1.toString(36) + h2.toString(36)).padStart(8, "0").slice(0, 8)}l_${suffix}.fits`;
}

function writeTable(path: string, primary: Header, keys: Header, columns: Parameters<FitsWriter["writeTable"]>[1]) {
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(primary);
    const nrows = (columns[0].data as { length: number }).length;
    writer.writeTable(keys, columns, nrows);
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}

/** Writes the three NUV references into `dir`; the flat is 1 ± a few per cent with a smooth ramp. */
/** `fpOffsets`: the FPOFFSETs the DISPTAB and LAMPTAB have rows for (FP-POS associations; default 0 only). */
export function writeCosNuvReferences(dir: string, seed: number, random: Random, fpOffsets = [0]): CosReferenceSet {
  const names = {
    BPIXTAB: cosReferenceName(seed, "bpix"),
    DEADTAB: cosReferenceName(seed, "dead"),
    FLATFILE: cosReferenceName(seed, "flat"),
    XTRACTAB: cosReferenceName(seed, "1dx"),
    DISPTAB: cosReferenceName(seed, "disp"),
    LAMPTAB: cosReferenceName(seed, "lamp"),
    WCPTAB: cosReferenceName(seed, "wcp"),
    FLUXTAB: cosReferenceName(seed, "phot"),
    TDSTAB: cosReferenceName(seed, "tds"),
  };
  const badRegions = [
    { lx: 300, ly: 280, dx: 12, dy: 30, dq: 4 },
    { lx: 700, ly: 0, dx: 3, dy: 1024, dq: 2 },
    { lx: 0, ly: 600, dx: 1024, dy: 5, dq: 8 },
    { lx: 512, ly: 440, dx: 40, dy: 25, dq: 32 },
  ];
  writeTable(
    join(dir, names.BPIXTAB),
    referencePrimary("DATA QUALITY INITIALIZATION TABLE", "synthetic NUV bad-pixel regions"),
    new Header().set("EXTNAME", "BPIXTAB"),
    [
      { name: "SEGMENT", format: "4A", data: badRegions.map(() => "N/A") },
      { name: "LX", format: "1I", data: Int16Array.from(badRegions, (r) => r.lx) },
      { name: "LY", format: "1I", data: Int16Array.from(badRegions, (r) => r.ly) },
      { name: "DX", format: "1I", data: Int16Array.from(badRegions, (r) => r.dx) },
      { name: "DY", format: "1I", data: Int16Array.from(badRegions, (r) => r.dy) },
      { name: "DQ", format: "1I", data: Int16Array.from(badRegions, (r) => r.dq) },
    ],
  );
  const rates = [0, 10000, 20000, 40000, 80000, 160000];
  writeTable(
    join(dir, names.DEADTAB),
    referencePrimary("DEADTIME REFERENCE TABLE", "synthetic NUV MAMA livetime vs count rate"),
    new Header().set("EXTNAME", "DEADTAB").set("TIMESTEP", 10.0, { comment: "seconds per livetime interval" }),
    [
      { name: "SEGMENT", format: "4A", data: rates.map(() => "N/A") },
      { name: "OBS_RATE", format: "1E", unit: "count /s", data: Float32Array.from(rates) },
      { name: "LIVETIME", format: "1E", data: Float32Array.from(rates, (r) => 1 / (1 + r * 2.8e-7)) },
    ],
  );
  const flat = new Float32Array(NUV_SIZE * NUV_SIZE);
  for (let y = 0; y < NUV_SIZE; y++) {
    for (let x = 0; x < NUV_SIZE; x++) {
      flat[y * NUV_SIZE + x] = 1 + 0.03 * (x / NUV_SIZE - 0.5) + 0.02 * (random.uniform() - 0.5);
    }
  }
  for (let x = 100; x < 110; x++) flat[900 * NUV_SIZE + x] = 0; // dead pixels: calcos leaves epsilon alone
  const writer = new FitsWriter(join(dir, names.FLATFILE));
  try {
    writer.writeImage(referencePrimary("FLAT FIELD REFERENCE IMAGE", "synthetic NUV pixel-to-pixel flat"));
    writer.writeImage(new Header().set("EXTNAME", "SCI").set("EXTVER", 1), flat, [NUV_SIZE, NUV_SIZE]);
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
  writeSpectroscopicTables(dir, names, fpOffsets);
  writeWavecalTables(dir, names, fpOffsets);
  writeCosFluxTables(dir, names, referencePrimary);
  return { names, badRegions };
}

/** Where FPOFFSET 0 puts each stripe's spectrum relative to the template (LAMPTAB FP_PIXEL_SHIFT), pixels. */
export const FP_PIXEL_SHIFT = [-3.25, -3.5, -3.75];
/** Detector columns the spectrum moves per FPOFFSET step (the WCPTAB STEPSIZE). */
export const FP_STEP_PIXELS = 52;

/** The LAMPTAB template of stripe s (0 = NUVA) at detector column x: three lamp lines on a floor. */
export function lampTemplate(s: number, x: number): number {
  const line = (c: number, h: number) => h * Math.exp(-(((x - c) / 1.5) ** 2));
  return 2 + line(200 + 37 * s, 400) + line(610 - 21 * s, 900) + line(880, 250);
}

/** LAMPTAB (template lamp spectra, FP_PIXEL_SHIFT per stripe) and WCPTAB (wavecal parameters) for G185M. */
function writeWavecalTables(dir: string, names: Record<string, string>, fpOffsets: number[]): void {
  const nrows = 3 * fpOffsets.length;
  const intensity = new Float32Array(nrows * NUV_SIZE);
  for (let r = 0; r < nrows; r++)
    for (let x = 0; x < NUV_SIZE; x++) intensity[r * NUV_SIZE + x] = lampTemplate(r % 3, x);
  const stripes = fpOffsets.flatMap(() => ["NUVA", "NUVB", "NUVC"]);
  writeTable(
    join(dir, names.LAMPTAB),
    referencePrimary("TEMPLATE CAL LAMP SPECTRA TABLE", "synthetic NUV Pt-Ne lamp templates"),
    new Header().set("EXTNAME", "LAMPTAB"),
    [
      { name: "SEGMENT", format: "4A", data: stripes },
      { name: "OPT_ELEM", format: "8A", data: stripes.map(() => "G185M") },
      { name: "CENWAVE", format: "1J", unit: "angstrom", data: Int32Array.from(stripes, () => 1850) },
      { name: "FPOFFSET", format: "1J", data: Int32Array.from(stripes, (_, r) => fpOffsets[Math.trunc(r / 3)]) },
      {
        name: "FP_PIXEL_SHIFT",
        format: "1D",
        unit: "pixel",
        data: Float64Array.from(stripes, (_, r) => FP_PIXEL_SHIFT[r % 3]),
      },
      { name: "INTENSITY", format: `${NUV_SIZE}E`, data: intensity },
    ],
  );
  writeTable(
    join(dir, names.WCPTAB),
    referencePrimary("WAVECAL PARAMETERS REFERENCE TABLE", "synthetic NUV wavecal parameters"),
    new Header().set("EXTNAME", "WCPTAB"),
    [
      { name: "OPT_ELEM", format: "8A", data: ["G185M"] },
      { name: "XC_RANGE", format: "1J", unit: "pixel", data: Int32Array.from([57]) },
      { name: "RESWIDTH", format: "1D", unit: "pixel", data: Float64Array.from([3]) },
      { name: "MAX_TIME_DIFF", format: "1D", unit: "day", data: Float64Array.from([0.067]) },
      { name: "STEPSIZE", format: "1J", unit: "pixel/OSM step", data: Int32Array.from([52]) },
      { name: "XD_RANGE", format: "1J", unit: "pixel", data: Int32Array.from([40]) },
      { name: "BOX", format: "1J", unit: "pixel", data: Int32Array.from([13]) },
    ],
  );
}

/** G185M / 1850 rows for the three stripes: where each spectrum lies (XTRACTAB) and its wavelengths (DISPTAB). */
function writeSpectroscopicTables(dir: string, names: Record<string, string>, fpOffsets: number[]): void {
  const rows = NUV_STRIPE_ROWS.flatMap((row, i) => [
    { segment: `NUV${"ABC"[i]}`, aperture: "PSA", b_spec: row, wl0: 1786 + 38 * i },
    { segment: `NUV${"ABC"[i]}`, aperture: "WCA", b_spec: row + NUV_WCA_OFFSET, wl0: 1786 + 38 * i },
  ]);
  const strings = (f: (r: (typeof rows)[number]) => string) => rows.map(f);
  writeTable(
    join(dir, names.XTRACTAB),
    referencePrimary("1-D EXTRACTION PARAMETERS TABLE", "synthetic NUV extraction regions"),
    new Header().set("EXTNAME", "XTRACTAB"),
    [
      { name: "SEGMENT", format: "4A", data: strings((r) => r.segment) },
      { name: "OPT_ELEM", format: "5A", data: strings(() => "G185M") },
      { name: "CENWAVE", format: "1J", unit: "angstrom", data: Int32Array.from(rows, () => 1850) },
      { name: "APERTURE", format: "3A", data: strings((r) => r.aperture) },
      { name: "SLOPE", format: "1D", data: new Float64Array(rows.length) },
      { name: "B_SPEC", format: "1D", unit: "pixel", data: Float64Array.from(rows, (r) => r.b_spec) },
      { name: "B_BKG1", format: "1D", unit: "pixel", data: Float64Array.from(rows, () => 40) },
      { name: "B_BKG2", format: "1D", unit: "pixel", data: Float64Array.from(rows, () => 960) },
      { name: "HEIGHT", format: "1J", unit: "pixel", data: Int32Array.from(rows, () => 17) },
      { name: "B_HGT1", format: "1J", unit: "pixel", data: Int32Array.from(rows, () => 30) },
      { name: "B_HGT2", format: "1J", unit: "pixel", data: Int32Array.from(rows, () => 30) },
      { name: "BWIDTH", format: "1J", unit: "pixel", data: Int32Array.from(rows, () => 100) },
    ],
  );
  // one row per FPOFFSET: the spectrum FP_STEP_PIXELS further along the detector per step
  const disp = fpOffsets.flatMap((fp) => rows.map((r) => ({ ...r, fp, wl0: r.wl0 - 0.0369 * FP_STEP_PIXELS * fp })));
  const coeff = new Float64Array(disp.length * 4);
  disp.forEach((r, i) => {
    coeff.set([r.wl0, 0.0369, 0, 0], 4 * i);
  });
  writeTable(
    join(dir, names.DISPTAB),
    referencePrimary("DISPERSION RELATION REFERENCE TABLE", "synthetic NUV dispersion relations"),
    new Header().set("EXTNAME", "DISPTAB"),
    [
      { name: "SEGMENT", format: "4A", data: disp.map((r) => r.segment) },
      { name: "OPT_ELEM", format: "8A", data: disp.map(() => "G185M") },
      { name: "APERTURE", format: "4A", data: disp.map((r) => r.aperture) },
      { name: "CENWAVE", format: "1J", unit: "angstrom", data: Int32Array.from(disp, () => 1850) },
      { name: "FPOFFSET", format: "1J", data: Int32Array.from(disp, (r) => r.fp) },
      { name: "NELEM", format: "1J", data: Int32Array.from(disp, () => 4) },
      { name: "COEFF", format: "4D", data: coeff },
      { name: "D_TV03", format: "1D", data: new Float64Array(disp.length) },
      { name: "D", format: "1D", data: new Float64Array(disp.length) },
    ],
  );
}
