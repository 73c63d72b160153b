/**
 * The reference tables calstis6 reads for a first-order spectrum, as its Get* functions select rows:
 * SPTRCTAB and XTRACTAB (X1DCORR), APDESTAB, DISPTAB and INANGTAB (DISPCORR), PHOTTAB, APERTAB, PCTAB (the
 * row of MAXHGHT and the EXTRHEIGHT nearest the box), GACTAB and TDSTAB (FLUXCORR; the last three only when
 * named). A table without the exposure's row is an error naming the table and the keys.
 */

import { CalibrationError } from "../../calib/common/errors.js";
import type { Curve, FluxCalibration } from "../../calib/stis/absolute-flux.js";
import { tdsAtTemperature, tdsFactors } from "../../calib/stis/absolute-flux.js";
import {
  type DispersionRow,
  dispersionRows,
  type IncidenceAngleRow,
  incidenceAngleRow,
} from "../../calib/stis/dispersion.js";
import type { ExtractionRow, X1dTables } from "../../calib/stis/x1d-spectrum.js";
import { type TraceTableRow, traceRows } from "../../calib/stis/x1d-trace.js";
import { FitsFile, type Header } from "../../fits/index.js";
import { type Env, readReferenceTable, requireReferenceOf, resolveReference } from "../reference-files.js";

type Row = Record<string, unknown>;
const text = (v: unknown) =>
  String(v ?? "")
    .trim()
    .toUpperCase();

export interface UsedTable {
  keyword: string;
  name: string;
  pedigree: string;
  descrip: string;
}

export interface Cs6Keys {
  aperture: string;
  optElem: string;
  cenwave: number;
  expstart: number;
  /** The detector temperature for the TDSTAB's temperature term, −1 when unknown. */
  temperature: number;
  /** The echelle order (SPORDER); first order when absent. */
  sporder?: number;
}

/** Reads the tables named in `primary`, keeping what was read for the HISTORY. */
export class Cs6Tables {
  readonly used = new Map<string, UsedTable>();
  constructor(
    private readonly primary: Header,
    private readonly env: Env,
  ) {}

  named(keyword: string): boolean {
    const value = this.primary.get(keyword);
    return resolveReference(keyword, typeof value === "string" ? value.trim() : undefined, this.env) !== undefined;
  }

  rows(keyword: string): { rows: Row[]; where: string; path: string } {
    const path = requireReferenceOf(this.primary, keyword, this.env);
    const table = readReferenceTable(keyword, path);
    const name = String(this.primary.get(keyword)).trim();
    this.used.set(keyword, { keyword, name, pedigree: table.pedigree, descrip: table.descrip });
    return { rows: table.rows as Row[], where: `${keyword} ${name}`, path };
  }

  row(keyword: string, keys: Record<string, string | number>): Row {
    const { rows, where } = this.rows(keyword);
    const row = rows.find((r) => Object.entries(keys).every(([k, v]) => text(r[k]) === text(v)));
    if (!row) {
      const wanted = Object.entries(keys).map(([k, v]) => `${k} ${v}`);
      throw new CalibrationError("TABLE_ROW_MISSING", `${where}: no row for ${wanted.join(", ")}`);
    }
    return row;
  }
}

const curve = (row: Row, n = Number(row.NELEM)): Curve => ({
  wl: (row.WAVELENGTH as number[]).slice(0, n),
  value: (row.THROUGHPUT as number[]).slice(0, n),
});

/** GetXtract: the row of the aperture, grating, central wavelength and order (the first when no SPORDER is given). */
function extractionRow(t: Cs6Tables, k: Cs6Keys): ExtractionRow {
  const keys = { APERTURE: k.aperture, OPT_ELEM: k.optElem, CENWAVE: k.cenwave };
  const { rows, where } = t.rows("XTRACTAB");
  const found = rows.filter((r) => Object.entries(keys).every(([c, v]) => text(r[c]) === text(v)));
  const row = found.find((r) => Number(r.SPORDER) === (k.sporder ?? 1));
  if (!row) {
    const wanted = `APERTURE ${k.aperture}, OPT_ELEM ${k.optElem}, CENWAVE ${k.cenwave}`;
    const which = k.sporder === undefined ? "first-order row for" : `row for SPORDER ${k.sporder},`;
    throw new CalibrationError("TABLE_ROW_MISSING", `${where}: no ${which} ${wanted}`);
  }
  if (
    String(row.XTRACALG ?? "UNWEIGHTED")
      .trim()
      .toUpperCase() !== "UNWEIGHTED"
  ) {
    throw new CalibrationError("CAL_STEP_NOT_DONE", `${where}: XTRACALG ${row.XTRACALG} is not native yet`);
  }
  return row as unknown as ExtractionRow;
}

function fluxCalibration(t: Cs6Tables, k: Cs6Keys, extrsize: number, atodgain: number): FluxCalibration {
  const response = curve(t.row("PHOTTAB", { OPT_ELEM: k.optElem, CENWAVE: k.cenwave, SPORDER: k.sporder ?? 1 }));
  const slit = curve(t.row("APERTAB", { APERTURE: k.aperture }));
  const cal: FluxCalibration = { response, slit, atodgain };
  if (t.named("PCTAB")) {
    const { rows, path } = t.rows("PCTAB");
    const file = FitsFile.open(path);
    const maxHeight = file.hdu(1).header.getInt("MAXHGHT");
    file.close();
    const mine = rows.filter((r) => text(r.APERTURE) === text(k.aperture) && Number(r.CENWAVE) === k.cenwave);
    const nearest = (height: number) =>
      mine.reduce<Row | undefined>((best, r) => {
        const d = (x: Row) => Math.abs(Number(x.EXTRHEIGHT) - height);
        return !best || d(r) < d(best) ? r : best;
      }, undefined);
    const infinite = nearest(maxHeight);
    const box = nearest(Math.trunc(extrsize) > 0 ? Math.trunc(extrsize) : maxHeight);
    if (infinite && box) cal.pct = { infinite: curve(infinite), box: curve(box) };
  }
  if (t.named("GACTAB"))
    cal.gac = curve(t.row("GACTAB", { OPT_ELEM: k.optElem, CENWAVE: k.cenwave, APERTURE: k.aperture }));
  if (t.named("TDSTAB")) {
    const row = t.row("TDSTAB", { OPT_ELEM: k.optElem });
    // the original STIS format, with its optional temperature term; the COS-like one (INTERCEPT) is not native yet
    if ("INTERCEPT" in row) {
      const name = t.used.get("TDSTAB")!.name;
      throw new CalibrationError("CAL_STEP_NOT_DONE", `TDSTAB ${name}: its INTERCEPT format is not native yet`);
    }
    const nwl = Number(row.NWL);
    const times = [row.TIME as number | number[]].flat().slice(0, Number(row.NT));
    const slope = [row.SLOPE as number | number[]].flat();
    const slopes = times.map((_, j) => slope.slice(j * nwl, (j + 1) * nwl));
    const wl = (row.WAVELENGTH as number[]).slice(0, nwl);
    const tempsens = row.TEMPSENS === undefined ? [] : ([row.TEMPSENS].flat() as number[]).slice(0, nwl);
    const factors = tdsFactors(times, slopes, nwl, k.expstart);
    cal.tds = { wl, value: tdsAtTemperature(factors, tempsens, Number(row.REFTEMP ?? -1), k.temperature) };
  }
  return cal;
}

/** Every table of a first-order extraction; `dispcorr`, `fluxcorr`, `backcorr` as the primary header says. */
export function readCs6Tables(
  t: Cs6Tables,
  k: Cs6Keys,
  o: { dispcorr: boolean; fluxcorr: boolean; backcorr: boolean; atodgain: number },
): X1dTables {
  const { rows, where } = t.rows("SPTRCTAB");
  const { traces } = traceRows(rows as unknown as TraceTableRow[], { ...k, sporder: k.sporder ?? 1 }, where);
  const extraction = extractionRow(t, k);
  const ap = t.row("APDESTAB", { APERTURE: k.aperture });
  const aperture = { offset: [Number(ap.OFFSET1), Number(ap.OFFSET2)] as [number, number], width1: Number(ap.WIDTH1) };
  let dispersion: X1dTables["dispersion"];
  let refOffset1 = 0;
  if (o.dispcorr) {
    const disp = t.rows("DISPTAB");
    const sorted = dispersionRows(disp.rows as unknown as DispersionRow[], k.optElem, k.cenwave, disp.where);
    const iac = t.rows("INANGTAB");
    const iacRow = incidenceAngleRow(
      iac.rows as unknown as IncidenceAngleRow[],
      k.optElem,
      k.cenwave,
      k.sporder ?? 1,
      iac.where,
    );
    refOffset1 = Number(t.row("APDESTAB", { APERTURE: sorted[0].REF_APER }).OFFSET1);
    dispersion = { rows: sorted, iac: iacRow };
  }
  const flux = o.dispcorr && o.fluxcorr ? fluxCalibration(t, k, extraction.EXTRSIZE, o.atodgain) : undefined;
  return { traces, extraction, aperture: { ...aperture, refOffset1 }, dispersion, backcorr: o.backcorr, flux };
}
