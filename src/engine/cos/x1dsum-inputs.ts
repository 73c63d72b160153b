/**
 * The `_x1d` files calcos' fpavg averages, read back as it reads them: each row one spectrum (SEGMENT, EXPTIME,
 * the array columns), the flat-field weight made from the FLATFILE the exposure was calibrated with (FLATCORR
 * COMPLETE), its SP_LOC_x / SHIFT1x / SHIFT2x / X_OFFSET and its Doppler motion (DOPPCORR COMPLETE).
 */
import { basename } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import { NUV_X } from "../../calib/cos/events.js";
import { FLOAT_COLUMNS, type InputSpectrum } from "../../calib/cos/fpavg.js";
import { collapseFlat, convolveDoppler, dopplerPixels, type FlatImage, placeFlat } from "../../calib/cos/fpavg-flat.js";
import { type Column, FitsFile, type Header } from "../../fits/index.js";
import type { Env } from "../reference-files.js";
import { loadNuvFlat } from "./references.js";
import { requiredReference } from "./switches.js";

export interface X1dFile {
  path: string;
  primary: Header;
  sci: Header;
  /** Column names in the file's order, with TUNIT/TDISP, for a one-input copy. */
  columns: Column[];
  spectra: InputSpectrum[];
}

const COLUMN_OF: Record<(typeof FLOAT_COLUMNS)[number], string> = {
  flux: "FLUX",
  error: "ERROR",
  errorLower: "ERROR_LOWER",
  gross: "GROSS",
  gcounts: "GCOUNTS",
  varianceFlat: "VARIANCE_FLAT",
  varianceCounts: "VARIANCE_COUNTS",
  varianceBkg: "VARIANCE_BKG",
  net: "NET",
  background: "BACKGROUND",
  dqWgt: "DQ_WGT",
};

const upper = (h: Header, key: string) => h.getString(key, "").trim().toUpperCase();

export function readX1d(path: string, env: Env, flats: Map<string, FlatImage>): X1dFile {
  const name = basename(path);
  const file = FitsFile.open(path);
  try {
    const primary = file.hdus[0].header.clone();
    const sci = file.hdus[1]?.header.clone();
    if (!sci) throw new CalibrationError("INVALID_VALUE", `${name}: has no SCI table`, { step: "X1DSUM" });
    const table = file.readTable(1);
    const column = (c: string) => {
      const found = table.columns.find((col) => col.name.toUpperCase() === c);
      if (!found) throw new CalibrationError("INVALID_VALUE", `${name}[SCI]: has no column ${c}`, { step: "X1DSUM" });
      return found.data as ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> };
    };
    const segments = (table.columns.find((c) => c.name.toUpperCase() === "SEGMENT")?.data ?? []) as string[];
    const nelem = table.nrows > 0 ? column("WAVELENGTH").length / table.nrows : 0;
    const spectra: InputSpectrum[] = [];
    for (let r = 0; r < table.nrows; r++) {
      const slice = (c: string) => column(c).subarray(r * nelem, (r + 1) * nelem);
      const sp = {
        segment: segments[r],
        exptime: column("EXPTIME")[r],
        wavelength: Float64Array.from(slice("WAVELENGTH")),
        dq: Int16Array.from(slice("DQ")),
      } as InputSpectrum;
      for (const c of FLOAT_COLUMNS) sp[c] = Float32Array.from(slice(COLUMN_OF[c]));
      sp.flatWeight = flatWeight(primary, sci, sp, env, flats);
      spectra.push(sp);
    }
    return { path, primary, sci, columns: table.columns, spectra };
  } finally {
    file.close();
  }
}

/** calcos' Spectrum: the flat collapsed at the spectrum, placed and Doppler-smoothed; none without FLATCORR. */
function flatWeight(
  primary: Header,
  sci: Header,
  sp: InputSpectrum,
  env: Env,
  flats: Map<string, FlatImage>,
): Float64Array | undefined {
  if (!["COMPLETE", "PERFORM"].includes(upper(primary, "FLATCORR"))) return undefined;
  if (upper(primary, "DETECTOR") !== "NUV")
    throw new CalibrationError("INVALID_VALUE", `${sp.segment}: the native x1dsum averages NUV spectra only`, {
      step: "X1DSUM",
    });
  const path = requiredReference(primary, "FLATFILE", env, "X1DSUM");
  let flat = flats.get(path);
  if (!flat) {
    flat = loadNuvFlat(path);
    flats.set(path, flat);
  }
  const x = sp.segment.slice(-1);
  const external = upper(primary, "EXPTYPE").startsWith("EXTERNAL");
  const shift1 = external ? sci.getNumber(`SHIFT1${x}`) : 0;
  const shift2 = external ? sci.getNumber(`SHIFT2${x}`) : 0;
  const row = collapseFlat(flat, sci.getNumber(`SP_LOC_${x}`), shift2);
  const xOffset = sci.getInt("X_OFFSET", 0);
  const placed = placeFlat(row, flat.originX, shift1, xOffset, sp.wavelength.length);
  const doppcorr = upper(primary, "DOPPCORR");
  if (doppcorr === "OMIT" || doppcorr === "SKIPPED") return placed;
  if (upper(primary, "OBSMODE") !== "TIME-TAG")
    throw new CalibrationError("INVALID_VALUE", `${sp.segment}: x1dsum of ACCUM spectra is not native`, {
      step: "X1DSUM",
    });
  const doppmag = dopplerPixels(sci.getNumber("DOPPMAGV"), sp.wavelength, xOffset + NUV_X / 2);
  return convolveDoppler(placed, doppmag, {
    doppzero: sci.getNumber("DOPPZERO"),
    orbitper: sci.getNumber("ORBITPER"),
    expstart: sci.getNumber("EXPSTART"),
    expend: sci.getNumber("EXPEND"),
  });
}
