/**
 * COS NUV FLUXTAB and TDSTAB in calcos' formats (doFluxCorr, getTdsFactors): per stripe of G185M/1850/PSA
 * the sensitivity curve (WAVELENGTH, SENSITIVITY arrays of NELEM values) and the time-dependent sensitivity
 * (NWL wavelengths × NT times of SLOPE in %/yr and INTERCEPT, REF_TIME in the table header, PEDIGREE per row).
 * The curves stop short of NUVC's red end. The FLUXTAB arrays are exactly NELEM long: calcos interpolates over
 * the whole array whatever NELEM says (a padded row would be read as decreasing); the TDSTAB rows hold one unused
 * wavelength slot, which calcos leaves out (NWL).
 */
import { join } from "node:path";
import { FitsWriter, Header } from "../fits/index.js";

const SEGMENTS = ["NUVA", "NUVB", "NUVC"];
/** Sensitivity grid, Å: 1780 … 1900 (NUVC's spectrum runs past its end, where calcos holds the last value). */
export const FLUX_WAVELENGTHS = Array.from({ length: 13 }, (_, i) => 1780 + 10 * i);
/** (count/s/pixel) / (erg/s/cm²/Å): a smooth curve rising to the red. */
export const sensitivityAt = (wl: number) => 2.0e12 * (1 + 0.004 * (wl - 1780)) * (1 + 0.05 * Math.sin(wl / 17));
export const TDS_REF_TIME = 54976.0;
export const TDS_TIMES = [54900, 55300, 55700];
const TDS_WAVELENGTHS = [1750, 1800, 1850, 1900, 1950, 0];
const TDS_NWL = 5;
export const tdsSlope = (t: number, k: number) => -1.5 - 0.25 * k - 0.5 * t;
export const tdsIntercept = (t: number, k: number) => 1 - 0.01 * k + 0.002 * t;

function write(path: string, primary: Header, extension: Header, columns: Parameters<FitsWriter["writeTable"]>[1]) {
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(primary);
    writer.writeTable(extension, columns, SEGMENTS.length);
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
): void {
  const n = FLUX_WAVELENGTHS.length;
  const wl = new Float64Array(SEGMENTS.length * n);
  const sens = new Float32Array(SEGMENTS.length * n);
  SEGMENTS.forEach((_, s) => {
    FLUX_WAVELENGTHS.forEach((w, i) => {
      wl[s * n + i] = w;
      sens[s * n + i] = sensitivityAt(w) * (1 + 0.02 * s);
    });
  });
  const common = [
    { name: "SEGMENT", format: "4A", data: SEGMENTS },
    { name: "OPT_ELEM", format: "8A", data: SEGMENTS.map(() => "G185M") },
    { name: "CENWAVE", format: "1J", unit: "angstrom", data: Int32Array.from(SEGMENTS, () => 1850) },
    { name: "APERTURE", format: "4A", data: SEGMENTS.map(() => "PSA") },
  ];
  write(
    join(dir, names.FLUXTAB),
    primary("PHOTOMETRIC SENSITIVITY REFERENCE TABLE", "synthetic NUV G185M sensitivity"),
    new Header().set("EXTNAME", "FLUXTAB"),
    [
      ...common,
      { name: "NELEM", format: "1J", data: Int32Array.from(SEGMENTS, () => FLUX_WAVELENGTHS.length) },
      { name: "WAVELENGTH", format: `${n}D`, unit: "angstrom", data: wl },
      { name: "SENSITIVITY", format: `${n}E`, unit: "count /s /pixel / (erg /s /cm**2 /angstrom)", data: sens },
    ],
  );
  const [nt, maxwl] = [TDS_TIMES.length, TDS_WAVELENGTHS.length];
  const grid = (fn: (t: number, k: number) => number) => {
    const out = new Float32Array(SEGMENTS.length * nt * maxwl);
    SEGMENTS.forEach((_, s) => {
      for (let t = 0; t < nt; t++) for (let k = 0; k < maxwl; k++) out[(s * nt + t) * maxwl + k] = fn(t, k) + 0.1 * s;
    });
    return out;
  };
  write(
    join(dir, names.TDSTAB),
    primary("TIME DEPENDENT SENSITIVITY TABLE", "synthetic NUV G185M sensitivity decline"),
    new Header().set("EXTNAME", "TDSTAB").set("REF_TIME", TDS_REF_TIME, { comment: "reference time (MJD)" }),
    [
      ...common,
      { name: "NWL", format: "1J", data: Int32Array.from(SEGMENTS, () => TDS_NWL) },
      { name: "NT", format: "1J", data: Int32Array.from(SEGMENTS, () => nt) },
      {
        name: "WAVELENGTH",
        format: `${maxwl}D`,
        unit: "angstrom",
        data: Float64Array.from(SEGMENTS.flatMap(() => TDS_WAVELENGTHS)),
      },
      { name: "TIME", format: `${nt}D`, unit: "MJD", data: Float64Array.from(SEGMENTS.flatMap(() => TDS_TIMES)) },
      { name: "SLOPE", format: `${nt * maxwl}E`, unit: "percent /yr", data: grid(tdsSlope) },
      { name: "INTERCEPT", format: `${nt * maxwl}E`, data: grid(tdsIntercept) },
      { name: "PEDIGREE", format: "16A", data: SEGMENTS.map(() => "INFLIGHT") },
    ],
  );
}
