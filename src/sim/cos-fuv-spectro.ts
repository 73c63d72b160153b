/**
 * The FUV spectroscopic tables of the simulated G130M/1291 exposure in calcos' formats: XTRACTAB (where the PSA
 * and WCA spectra of each segment lie, background bands) and DISPTAB (wavelength = Σ COEFF[i] xⁱ per segment,
 * aperture and FPOFFSET). Segment B holds Lyα, segment A the O I lines, as on the real detector.
 */
import { join } from "node:path";
import { FitsWriter, Header } from "../fits/index.js";
import { FUV_SEGMENTS, type FuvSegment, SPECTRUM_ROWS } from "./cos-fuv-layout.js";

/** Wavelength at detector column 0 and dispersion per segment, Å and Å/pixel. */
export const FUV_DISPERSION: Record<FuvSegment, [number, number, number]> = {
  FUVA: [1290.2, 0.009972, 1.1e-9],
  FUVB: [1133.4, 0.009968, 1.2e-9],
};
/** Background band centres of the PSA rows (B_BKG1, B_BKG2), rows. */
export const BACKGROUND_ROWS: Record<FuvSegment, [number, number]> = { FUVA: [420, 650], FUVB: [470, 690] };

export function writeFuvSpectroTables(
  dir: string,
  names: { XTRACTAB: string; DISPTAB: string },
  primary: (filetype: string, descrip: string) => Header,
): void {
  const rows = FUV_SEGMENTS.flatMap((segment) => [
    { segment, aperture: "PSA", bSpec: SPECTRUM_ROWS[segment].psa },
    { segment, aperture: "WCA", bSpec: SPECTRUM_ROWS[segment].wca },
  ]);
  const strings = (f: (r: (typeof rows)[number]) => string) => rows.map(f);
  const ints = (f: (r: (typeof rows)[number]) => number) => Int32Array.from(rows, f);
  const doubles = (f: (r: (typeof rows)[number]) => number) => Float64Array.from(rows, f);
  writeFuvTable(
    join(dir, names.XTRACTAB),
    primary("1-D EXTRACTION PARAMETERS TABLE", "synthetic FUV extraction"),
    "XTRACTAB",
    [
      { name: "SEGMENT", format: "4A", data: strings((r) => r.segment) },
      { name: "OPT_ELEM", format: "5A", data: strings(() => "G130M") },
      { name: "CENWAVE", format: "1J", unit: "angstrom", data: ints(() => 1291) },
      { name: "APERTURE", format: "3A", data: strings((r) => r.aperture) },
      { name: "SLOPE", format: "1D", data: doubles(() => 0) },
      { name: "B_SPEC", format: "1D", unit: "pixel", data: doubles((r) => r.bSpec) },
      { name: "B_BKG1", format: "1D", unit: "pixel", data: doubles((r) => BACKGROUND_ROWS[r.segment][0]) },
      { name: "B_BKG2", format: "1D", unit: "pixel", data: doubles((r) => BACKGROUND_ROWS[r.segment][1]) },
      { name: "HEIGHT", format: "1J", unit: "pixel", data: ints(() => 25) },
      { name: "B_HGT1", format: "1J", unit: "pixel", data: ints(() => 30) },
      { name: "B_HGT2", format: "1J", unit: "pixel", data: ints(() => 30) },
      { name: "BWIDTH", format: "1J", unit: "pixel", data: ints(() => 100) },
    ],
  );
  const coeff = new Float64Array(rows.length * 4);
  rows.forEach((r, i) => {
    coeff.set([...FUV_DISPERSION[r.segment], 0], 4 * i);
  });
  writeFuvTable(
    join(dir, names.DISPTAB),
    primary("DISPERSION RELATION REFERENCE TABLE", "synthetic FUV dispersion"),
    "DISPTAB",
    [
      { name: "SEGMENT", format: "4A", data: strings((r) => r.segment) },
      { name: "OPT_ELEM", format: "8A", data: strings(() => "G130M") },
      { name: "APERTURE", format: "4A", data: strings((r) => r.aperture) },
      { name: "CENWAVE", format: "1J", unit: "angstrom", data: ints(() => 1291) },
      { name: "FPOFFSET", format: "1J", data: ints(() => 0) },
      { name: "NELEM", format: "1J", data: ints(() => 3) },
      { name: "COEFF", format: "4D", data: coeff },
      { name: "D_TV03", format: "1D", data: doubles(() => 0) },
      { name: "D", format: "1D", data: doubles(() => 0) },
    ],
  );
}

export function writeFuvTable(
  path: string,
  primary: Header,
  extname: string,
  columns: Parameters<FitsWriter["writeTable"]>[1],
) {
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(primary);
    writer.writeTable(new Header().set("EXTNAME", extname), columns, (columns[0].data as { length: number }).length);
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}
