/**
 * Synthetic geometric-distortion references in the formats the archive serves (the real ones are in
 * shared/data/hst): an IDCTAB (`*_idc.fits`: NORDER/PARITY in the primary, one BINTABLE row per chip and
 * direction with DETCHIP 1I, DIRECTION/FILTER1/FILTER2 8A, XSIZE/YSIZE 1J, XREF … SCALE and CX10 … CY55 1D),
 * a D2IMFILE (`*_d2i.fits`) and an NPOLFILE (`*_npl.fits`): DX/DY float32 grids per chip, EXTVER = chip
 * order, with ONAXIS1/2, CDELT1/2 and CCDCHIP. The model is smooth and mild (≲ 1.5 px of non-linearity).
 */
import { type ColumnSpec, FitsWriter, Header } from "../fits/index.js";
import type { ChipLayout, DetectorModel } from "./detectors.js";
import { type ReferenceFile, referenceName, referencePath, referencePrimary } from "./reference-files.js";

export const IDC_ORDER = 5;
/** The plate scale (arcsec/pixel) and reference V2/V3 (arcsec) of the detectors the dither simulates. */
const APERTURE: Record<string, { scale: number; v2: number; v3: number }> = {
  "ACS/HRC": { scale: 0.025, v2: 206.0, v3: 471.0 },
  "ACS/WFC": { scale: 0.05, v2: 260.87, v3: 198.36 },
};
/** Lookup grid spacing (pixels). */
const GRID_STEP = 32;

export interface DistortionFilters {
  filter1: string;
  filter2: string;
}

/** CXnm multiplies x^m y^(n-m) (pixels from XREF, YREF) and gives V2 in arcsec; CYnm gives V3. */
export function idcCoefficients(scale: number, chip: number): { cx: number[][]; cy: number[][] } {
  const zero = () => Array.from({ length: IDC_ORDER + 1 }, () => new Array<number>(IDC_ORDER + 1).fill(0));
  const cx = zero();
  const cy = zero();
  const s = 1 + 0.002 * (chip - 1);
  cx[1][0] = 0.04 * scale;
  cx[1][1] = 0.985 * scale * s;
  cy[1][0] = 0.97 * scale * s;
  cy[1][1] = 0.09 * scale;
  // second and third order: ~0.6 px and ~0.2 px at 500 px from the reference pixel
  cx[2][0] = 2.4e-6 * scale;
  cx[2][1] = -1.6e-6 * scale;
  cx[2][2] = 1.1e-6 * scale;
  cy[2][0] = -1.3e-6 * scale;
  cy[2][1] = 2.0e-6 * scale;
  cy[2][2] = -0.9e-6 * scale;
  cx[3][3] = 1.2e-9 * scale;
  cy[3][0] = -1.5e-9 * scale;
  return { cx, cy };
}

/** The IDCTAB's SCALE (arcsec): the nominal pixel, to which a pixel-area map is normalised. */
export function distortionScale(model: DetectorModel): number {
  return apertureOf(model).scale;
}

function apertureOf(model: DetectorModel) {
  const aperture = APERTURE[`${model.instrument}/${model.detector}`];
  if (!aperture) throw new Error(`no simulated distortion for ${model.instrument}/${model.detector}`);
  return aperture;
}

export function writeIdctab(model: DetectorModel, seed: number, dir: string, filters: DistortionFilters) {
  const { scale, v2, v3 } = apertureOf(model);
  const chips = model.chips;
  const columns: ColumnSpec[] = [
    { name: "DETCHIP", data: Int16Array.from(chips.map((c) => c.ccdchip)), format: "1I", unit: "chip" },
    { name: "DIRECTION", data: chips.map(() => "FORWARD"), format: "8A" },
    { name: "FILTER1", data: chips.map(() => filters.filter1), format: "8A" },
    { name: "FILTER2", data: chips.map(() => filters.filter2), format: "8A" },
    { name: "XSIZE", data: Int32Array.from(chips.map((c) => c.sciNx)), format: "1J" },
    { name: "YSIZE", data: Int32Array.from(chips.map((c) => c.sciNy)), format: "1J" },
    { name: "XREF", data: Float64Array.from(chips.map((c) => c.sciNx / 2)), format: "1D" },
    { name: "YREF", data: Float64Array.from(chips.map((c) => c.sciNy / 2)), format: "1D" },
    // chips of a multi-chip detector stacked in V3 (WFC: chip 2 below chip 1, ~ 2048 px apart)
    { name: "V2REF", data: Float64Array.from(chips.map(() => v2)), format: "1D" },
    { name: "V3REF", data: Float64Array.from(chips.map((c) => v3 + (c.ccdchip - 1) * c.sciNy * scale)), format: "1D" },
    { name: "SCALE", data: Float64Array.from(chips.map(() => scale)), format: "1D", unit: "arcsec" },
  ];
  const coefficients = chips.map((c) => idcCoefficients(scale, c.ccdchip));
  for (const axis of ["cx", "cy"] as const) {
    for (let n = 1; n <= IDC_ORDER; n++) {
      for (let m = 0; m <= n; m++) {
        const data = Float64Array.from(coefficients.map((k) => k[axis][n][m]));
        columns.push({ name: `${axis.toUpperCase()}${n}${m}`, data, format: "1D" });
      }
    }
  }
  const name = referenceName(model, seed, "idctab");
  const path = referencePath(dir, name);
  const extra = new Header().set("NORDER", IDC_ORDER).set("PARITY", -1);
  const primary = referencePrimary(model, "DISTORTION COEFFICIENTS", "Simulated polynomial distortion", extra);
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(primary.set("BITPIX", 16).set("NEXTEND", 1).set("FILENAME", name));
    writer.writeTable(new Header(), columns, chips.length);
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
  return { filekind: "idctab", name, path } satisfies ReferenceFile;
}

/** D2IM: a column-width pattern along x only (DX), as the real WFC file; NPOL: smooth DX/DY residuals. */
export function lookupValue(kind: "d2imfile" | "npolfile", axis: "DX" | "DY", x: number, y: number): number {
  if (kind === "d2imfile") return axis === "DX" ? 0.06 * Math.sin(x / 37) : 0;
  return axis === "DX" ? 0.03 * Math.sin(x / 150 + y / 210) : 0.025 * Math.cos(x / 190 - y / 130);
}

export function writeLookupFile(
  model: DetectorModel,
  seed: number,
  dir: string,
  kind: "d2imfile" | "npolfile",
  filters: DistortionFilters,
) {
  apertureOf(model);
  const name = referenceName(model, seed, kind);
  const path = referencePath(dir, name);
  const filetype = kind === "d2imfile" ? `${model.detector} D2I FILE` : "DXY GRID";
  const extra = new Header().set("FILTER1", filters.filter1).set("FILTER2", filters.filter2);
  const primary = referencePrimary(model, filetype, "Simulated lookup-table distortion", extra);
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(
      primary
        .set("BITPIX", 16)
        .set("NEXTEND", 2 * model.chips.length)
        .set("FILENAME", name),
    );
    model.chips.forEach((chip, i) => {
      for (const axis of ["DX", "DY"] as const) writeGrid(writer, chip, i + 1, axis, kind);
    });
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
  return { filekind: kind, name, path } satisfies ReferenceFile;
}

function writeGrid(
  writer: FitsWriter,
  chip: ChipLayout,
  extver: number,
  axis: "DX" | "DY",
  kind: "d2imfile" | "npolfile",
) {
  const nx = Math.ceil(chip.sciNx / GRID_STEP);
  const ny = Math.ceil(chip.sciNy / GRID_STEP);
  const data = new Float32Array(nx * ny);
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) data[j * nx + i] = lookupValue(kind, axis, i * GRID_STEP, j * GRID_STEP);
  const header = new Header()
    .set("EXTNAME", axis)
    .set("EXTVER", extver)
    .set("ONAXIS1", chip.sciNx)
    .set("ONAXIS2", chip.sciNy)
    .set("CDELT1", GRID_STEP)
    .set("CDELT2", GRID_STEP)
    .set("CCDCHIP", chip.ccdchip);
  writer.writeImage(header, data, [nx, ny]);
}
