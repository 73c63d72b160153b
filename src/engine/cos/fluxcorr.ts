/**
 * FLUXCORR and TDSCORR on the extracted stripes (calcos' doFluxCorr): FLUXTAB rows by OPT_ELEM, CENWAVE,
 * APERTURE, SEGMENT (and FPOFFSET when the table has it), TDSTAB rows by the same without FPOFFSET, its
 * REF_TIME from the table header; a row marked PEDIGREE = DUMMY makes TDSCORR SKIPPED. The FLUXTAB curve is
 * the whole WAVELENGTH/SENSITIVITY array, not its first NELEM values, as calcos interpolates it. A missing row or
 * column names the table and keys.
 */
import { basename } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import { applySensitivity, applyTds, type FluxColumns, type TdsRow, tdsFactors } from "../../calib/cos/fluxcorr.js";
import { type Filter, requireRows } from "../../calib/cos/table-select.js";
import { FitsFile, type Header } from "../../fits/index.js";
import { readReferenceTable } from "../reference-files.js";

export interface FluxStripe extends FluxColumns {
  segment: string;
  /** The wavelengths before HELCORR, where calcos interpolates the sensitivity. */
  restWavelength: Float64Array;
}

const numbers = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number) : [Number(v)]);

function requireColumns(types: Record<string, unknown>, names: string[], where: string, step: string) {
  for (const name of names) {
    if (!(name in types)) throw new CalibrationError("INVALID_VALUE", `${where}: has no column ${name}`, { step });
  }
}

function fluxtabCurves(path: string, base: Filter, fpoffset: number) {
  const table = readReferenceTable("FLUXTAB", path);
  const where = `FLUXTAB ${basename(path)}[1]`;
  requireColumns(table.columnTypes, ["SEGMENT", "WAVELENGTH", "SENSITIVITY"], where, "FLUXCORR");
  const filter = "FPOFFSET" in table.columnTypes ? { ...base, FPOFFSET: fpoffset } : base;
  return (segment: string) => {
    const row = requireRows(table.rows, { ...filter, SEGMENT: segment }, where, "FLUXCORR")[0];
    return { wavelength: numbers(row.WAVELENGTH), sensitivity: numbers(row.SENSITIVITY) };
  };
}

function tdstabRows(path: string, base: Filter) {
  const table = readReferenceTable("TDSTAB", path);
  const where = `TDSTAB ${basename(path)}[1]`;
  const columns = ["SEGMENT", "NWL", "NT", "WAVELENGTH", "TIME", "SLOPE", "INTERCEPT"];
  requireColumns(table.columnTypes, columns, where, "TDSCORR");
  const file = FitsFile.open(path);
  let refTime: number;
  try {
    const header = file.hdus[1].header;
    if (!header.has("REF_TIME")) throw new CalibrationError("INVALID_VALUE", `${where}: has no REF_TIME keyword`);
    refTime = header.getNumber("REF_TIME");
  } finally {
    file.close();
  }
  const single = table.columnTypes.SLOPE === "E" && table.columnTypes.INTERCEPT === "E";
  return {
    refTime,
    row(segment: string): TdsRow & { dummy: boolean } {
      const r = requireRows(table.rows, { ...base, SEGMENT: segment }, where, "TDSCORR")[0];
      const [nwl, nt] = [Number(r.NWL), Number(r.NT)];
      const [wavelength, time] = [numbers(r.WAVELENGTH), numbers(r.TIME)];
      const [slope, intercept] = [numbers(r.SLOPE), numbers(r.INTERCEPT)];
      const fits = nwl >= 1 && nt >= 1 && nwl <= wavelength.length && nt <= time.length;
      if (!fits || slope.length < time.length * wavelength.length || intercept.length < slope.length) {
        throw new CalibrationError("INVALID_VALUE", `${where}: NWL = ${nwl}, NT = ${nt} do not fit ${segment}'s row`, {
          step: "TDSCORR",
        });
      }
      const dummy = String(r.PEDIGREE ?? "").trim() === "DUMMY";
      return { nwl, nt, wavelength, time, slope, intercept, single, dummy };
    },
  };
}

/** Divides each stripe's FLUX (from NET), ERROR and ERROR_LOWER; the switches done and the trailer lines. */
export function fluxCorrect(
  primary: Header,
  sci: Header,
  stripes: FluxStripe[],
  references: { fluxtab: string; tdstab?: string },
): { completed: Record<string, string>; trailer: string[] } {
  const base = {
    OPT_ELEM: primary.getString("OPT_ELEM").trim(),
    CENWAVE: primary.getInt("CENWAVE"),
    APERTURE: primary.getString("APERTURE", "PSA").trim(),
  };
  const curves = fluxtabCurves(references.fluxtab, base, primary.getInt("FPOFFSET", 0));
  for (const s of stripes) applySensitivity(s, s.restWavelength, curves(s.segment));
  const trailer = [`FLUXCORR  PERFORM (FLUXTAB ${basename(references.fluxtab)})`];
  if (!references.tdstab) return { completed: { FLUXCORR: "COMPLETE" }, trailer };
  const tds = tdstabRows(references.tdstab, base);
  const rows = stripes.map((s) => tds.row(s.segment));
  // calcos looks at the rows in order and stops at the first without a PEDIGREE column or marked DUMMY
  if (rows.some((r) => r.dummy)) {
    trailer.push(`TDSCORR   SKIPPED (a row of TDSTAB ${basename(references.tdstab)} is DUMMY)`);
    return { completed: { FLUXCORR: "COMPLETE", TDSCORR: "SKIPPED" }, trailer };
  }
  const tObs = (sci.getNumber("EXPSTART") + sci.getNumber("EXPEND")) / 2;
  let extrapolated = false;
  stripes.forEach((s, k) => {
    const factors = tdsFactors(rows[k], tds.refTime, tObs);
    applyTds(s, s.restWavelength, factors);
    extrapolated ||= factors.extrapolate;
  });
  trailer.push(`TDSCORR   PERFORM (TDSTAB ${basename(references.tdstab)})`);
  if (extrapolated) trailer.push("Warning: TDS correction was extrapolated.");
  return { completed: { FLUXCORR: "COMPLETE", TDSCORR: "COMPLETE" }, trailer };
}
