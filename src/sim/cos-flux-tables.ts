/**
 * COS FLUXTAB and TDSTAB in calcos' formats (doFluxCorr, getTdsFactors): per stripe of G185M/1850/PSA (or per FUV
 * segment of G130M/1291/PSA, FUV_FLUX_MODE)
 * the sensitivity curve (WAVELENGTH, SENSITIVITY arrays of NELEM values) and the time-dependent sensitivity
 * (NWL wavelengths × NT times of SLOPE in %/yr and INTERCEPT, REF_TIME in the table header, PEDIGREE per row).
 * The curves stop short of NUVC's red end. The FLUXTAB arrays are exactly NELEM long: calcos interpolates over
 * the whole array whatever NELEM says (a padded row would be read as decreasing); the TDSTAB rows hold one unused
 * wavelength slot, which calcos leaves out (NWL).
 */
import { join } from "node:path";
import { FitsWriter, Header } from "../fits/index.js";

/** Sensitivity grid, Å: 1780 … 1900 (NUVC's spectrum runs past its end, where calcos holds the last value). */
export const FLUX_WAVELENGTHS = Array.from({ length: 13 }, (_, i) => 1780 + 10 * i);
/** (count/s/pixel) / (erg/s/cm²/Å): a smooth curve rising to the red. */
export const sensitivityAt = (wl: number) => 2.0e12 * (1 + 0.004 * (wl - 1780)) * (1 + 0.05 * Math.sin(wl / 17));
export const TDS_REF_TIME = 54976.0;
export const TDS_TIMES = [54900, 55300, 55700];
const TDS_NWL = 5;
export const tdsSlope = (t: number, k: number) => -1.5 - 0.25 * k - 0.5 * t;
export const tdsIntercept = (t: number, k: number) => 1 - 0.01 * k + 0.002 * t;

/** What the tables are for: the stripes or segments, their mode, grids and sensitivity curve. */
export interface FluxTableMode {
  segments: string[];
  optElem: string;
  cenwave: number;
  detector: string;
  fluxWavelengths: number[];
  sensitivity: (wl: number) => number;
  /** NWL wavelengths and one unused slot. */
  tdsWavelengths: number[];
}

export const NUV_FLUX_MODE: FluxTableMode = {
  segments: ["NUVA", "NUVB", "NUVC"],
  optElem: "G185M",
  cenwave: 1850,
  detector: "NUV",
  fluxWavelengths: FLUX_WAVELENGTHS,
  sensitivity: sensitivityAt,
  tdsWavelengths: [1750, 1800, 1850, 1900, 1950, 0],
};

/** FUV G130M/1291: one grid over both segments (B 1133–1297 Å, A 1290–1454 Å). */
export const FUV_FLUX_MODE: FluxTableMode = {
  segments: ["FUVA", "FUVB"],
  optElem: "G130M",
  cenwave: 1291,
  detector: "FUV",
  fluxWavelengths: Array.from({ length: 13 }, (_, i) => 1110 + 30 * i),
  sensitivity: (wl: number) => 1.0e12 * (1 + 0.002 * (wl - 1100)) * (1 + 0.05 * Math.sin(wl / 17)),
  tdsWavelengths: [1100, 1200, 1300, 1400, 1500, 0],
};

function write(
  path: string,
  primary: Header,
  extension: Header,
  columns: Parameters<FitsWriter["writeTable"]>[1],
  rows: number,
) {
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(primary);
    writer.writeTable(extension, columns, rows);
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}

export function writeCosFluxTables(
  dir: string,
  names: { FLUXTAB: string; TDSTAB: string },
  primary: (filetype: string, descrip: string) => Header,
  mode: FluxTableMode = NUV_FLUX_MODE,
): void {
  const SEGMENTS = mode.segments;
  const n = mode.fluxWavelengths.length;
  const wl = new Float64Array(SEGMENTS.length * n);
  const sens = new Float32Array(SEGMENTS.length * n);
  SEGMENTS.forEach((_, s) => {
    mode.fluxWavelengths.forEach((w, i) => {
      wl[s * n + i] = w;
      sens[s * n + i] = mode.sensitivity(w) * (1 + 0.02 * s);
    });
  });
  const common = [
    { name: "SEGMENT", format: "4A", data: SEGMENTS },
    { name: "OPT_ELEM", format: "8A", data: SEGMENTS.map(() => mode.optElem) },
    { name: "CENWAVE", format: "1J", unit: "angstrom", data: Int32Array.from(SEGMENTS, () => mode.cenwave) },
    { name: "APERTURE", format: "4A", data: SEGMENTS.map(() => "PSA") },
  ];
  write(
    join(dir, names.FLUXTAB),
    primary("PHOTOMETRIC SENSITIVITY REFERENCE TABLE", `synthetic ${mode.detector} ${mode.optElem} sensitivity`),
    new Header().set("EXTNAME", "FLUXTAB"),
    [
      ...common,
      { name: "NELEM", format: "1J", data: Int32Array.from(SEGMENTS, () => n) },
      { name: "WAVELENGTH", format: `${n}D`, unit: "angstrom", data: wl },
      { name: "SENSITIVITY", format: `${n}E`, unit: "count /s /pixel / (erg /s /cm**2 /angstrom)", data: sens },
    ],
    SEGMENTS.length,
  );
  const [nt, maxwl] = [TDS_TIMES.length, mode.tdsWavelengths.length];
  const grid = (fn: (t: number, k: number) => number) => {
    const out = new Float32Array(SEGMENTS.length * nt * maxwl);
    SEGMENTS.forEach((_, s) => {
      for (let t = 0; t < nt; t++) for (let k = 0; k < maxwl; k++) out[(s * nt + t) * maxwl + k] = fn(t, k) + 0.1 * s;
    });
    return out;
  };
  write(
    join(dir, names.TDSTAB),
    primary("TIME DEPENDENT SENSITIVITY TABLE", `synthetic ${mode.detector} ${mode.optElem} sensitivity decline`),
    new Header().set("EXTNAME", "TDSTAB").set("REF_TIME", TDS_REF_TIME, { comment: "reference time (MJD)" }),
    [
      ...common,
      { name: "NWL", format: "1J", data: Int32Array.from(SEGMENTS, () => TDS_NWL) },
      { name: "NT", format: "1J", data: Int32Array.from(SEGMENTS, () => nt) },
      {
        name: "WAVELENGTH",
        format: `${maxwl}D`,
        unit: "angstrom",
        data: Float64Array.from(SEGMENTS.flatMap(() => mode.tdsWavelengths)),
      },
      { name: "TIME", format: `${nt}D`, unit: "MJD", data: Float64Array.from(SEGMENTS.flatMap(() => TDS_TIMES)) },
      { name: "SLOPE", format: `${nt * maxwl}E`, unit: "percent /yr", data: grid(tdsSlope) },
      { name: "INTERCEPT", format: `${nt * maxwl}E`, data: grid(tdsIntercept) },
      { name: "PEDIGREE", format: "16A", data: SEGMENTS.map(() => "INFLIGHT") },
    ],
    SEGMENTS.length,
  );
}
