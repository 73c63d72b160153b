/**
 * calstis6 on a MAMA echelle `_flt`: one `_x1d` SCI table per imset with one row per SPORDER, as cs0.e writes it.
 * The orders are those of the XTRACTAB's rows for the aperture, grating and central wavelength (lowest to highest);
 * every order's SPTRCTAB, XTRACTAB, INANGTAB and PHOTTAB rows are read before anything is extracted, so that a
 * missing one is an error naming table and keys and nothing is written (cs6 skips such an order). The table's
 * header has CRSCROFF (the mean of the orders' offsets) and V_HELIO. Written under a temporary name and renamed.
 */
import { basename } from "node:path";
import { formatGeneral } from "../../calib/common/c-format.js";
import { CalibrationError } from "../../calib/common/errors.js";
import { heliocentricFactor } from "../../calib/stis/heliocentric.js";
import { extractEchelleOrder, globalOffsets, ordersOnDetector, searchOrder } from "../../calib/stis/x1d-echelle.js";
import type { X1dRow, X1dTables } from "../../calib/stis/x1d-spectrum.js";
import { type ColumnSpec, FitsWriter, type Header } from "../../fits/index.js";
import { readImageSetFile } from "../imset-io.js";
import type { Env } from "../reference-files.js";
import { naming, performs } from "./calstis-shared.js";
import {
  type Calstis6Result,
  columns,
  NOT_INHERITED,
  switches,
  tableKeys,
  x1dExposure,
  x1dPrimary,
} from "./calstis6.js";
import { type Cs6Keys, Cs6Tables, readCs6Tables } from "./calstis6-tables.js";
import { detectorTemperature } from "./calstis7.js";

/** PHOTTAB columns of the MSM/blaze shift (getabsphot6.c): cs6 applies it when they are all there. */
const BLAZE_COLUMNS = ["REFORD", "REFWAV", "REFY", "REFMJD", "BSHIFT_VS_X", "BSHIFT_VS_Y", "BSHIFT_VS_T"];

const num = (h: Header, k: string, fallback?: number) => h.getNumber(k, fallback);

/** The echelle's orders: the XTRACTAB's SPORDERs for the aperture, grating and central wavelength, in order. */
export function echelleOrders(tables: Cs6Tables, k: Cs6Keys): number[] {
  const { rows, where } = tables.rows("XTRACTAB");
  const same = (a: unknown, b: string | number) => String(a).trim().toUpperCase() === String(b).toUpperCase();
  const orders = rows
    .filter((r) => same(r.APERTURE, k.aperture) && same(r.OPT_ELEM, k.optElem) && Number(r.CENWAVE) === k.cenwave)
    .map((r) => Number(r.SPORDER));
  if (orders.length === 0) {
    const keys = `APERTURE ${k.aperture}, OPT_ELEM ${k.optElem}, CENWAVE ${k.cenwave}`;
    throw new CalibrationError("TABLE_ROW_MISSING", `${where}: no row for ${keys}`);
  }
  const [low, high] = [Math.min(...orders), Math.max(...orders)];
  return Array.from({ length: high - low + 1 }, (_, i) => low + i);
}

/** Every order's tables, in order; refuses the blaze shift and SC2DCORR (cs6's IDT scattered light), not native yet. */
export function readEchelleTables(primary: Header, tables: Cs6Tables, k: Cs6Keys): Map<number, X1dTables> {
  if (performs(primary, "SC2DCORR")) {
    const message = "SC2DCORR = PERFORM (the echelle's scattered-light correction) is not native yet";
    throw new CalibrationError("CAL_STEP_NOT_DONE", message, { step: "SC2DCORR" });
  }
  const on = switches(primary);
  const o = { dispcorr: on.DISPCORR, fluxcorr: on.FLUXCORR, backcorr: on.BACKCORR, atodgain: 1 };
  const out = new Map<number, X1dTables>();
  for (const sporder of echelleOrders(tables, k)) out.set(sporder, readCs6Tables(tables, { ...k, sporder }, o));
  if (on.DISPCORR && on.FLUXCORR) {
    const { rows, where } = tables.rows("PHOTTAB");
    if (rows.length > 0 && BLAZE_COLUMNS.every((c) => c in rows[0]!))
      throw new CalibrationError("CAL_STEP_NOT_DONE", `${where}: the echelle blaze shift (REFORD…) is not native yet`);
  }
  return out;
}

/** What calstis6 will need of an echelle raw's tables, before anything is calibrated. */
export function checkEchelleTables(primary: Header, env: Env = process.env): void {
  readEchelleTables(primary, new Cs6Tables(primary, env), tableKeys(primary, primary.getNumber("TEXPSTRT", 0)));
}

/** The rows of one table as one multi-row table's columns. */
function stacked(rows: ColumnSpec[][]): ColumnSpec[] {
  return rows[0]!.map((first, c) => {
    const parts = rows.map((r) => r[c]!.data as ArrayLike<number> & { length: number });
    const Kind = (first.data as object).constructor as new (
      n: number,
    ) => { set(a: ArrayLike<number>, o: number): void };
    const data = new Kind(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      data.set(p, at);
      at += p.length;
    }
    return { ...first, data: data as unknown as ColumnSpec["data"] };
  });
}

/** calstis6 of an echelle `_flt` into its `_x1d`. */
export function runCalstis6Echelle(input: string, output: string, env: Env = process.env): Calstis6Result {
  const name = basename(input);
  return naming(name, () => {
    const file = readImageSetFile(input);
    const primary = file.primary;
    const on = switches(primary);
    const tables = new Cs6Tables(primary, env);
    const trailer: string[] = [];
    const written: { header: Header; rows: X1dRow[]; orders: number[] }[] = [];
    let history: string[] = [];
    for (const imset of file.imsets) {
      const sci = imset.sci;
      const keys = tableKeys(primary, num(sci, "EXPSTART"), detectorTemperature(primary, sci));
      const perOrder = readEchelleTables(primary, tables, keys);
      const helio = heliocentricFactor(
        num(primary, "RA_TARG"),
        num(primary, "DEC_TARG"),
        keys.expstart,
        num(sci, "EXPEND"),
      );
      const corrected = on.HELCORR && on.DISPCORR;
      const exposure = x1dExposure(primary, imset, corrected ? helio.factor : 1);
      const orders = ordersOnDetector([...perOrder.keys()], exposure, (m) => perOrder.get(m)!);
      if (orders.length === 0)
        throw new CalibrationError("INVALID_VALUE", `${name}[SCI,${imset.ver}]: no echelle order falls on the image`);
      const { mean, offsets } = globalOffsets(orders.map((m) => searchOrder(exposure, perOrder.get(m)!)));
      trailer.push(`${name}[SCI,${imset.ver}]: offset analysis: mean ${mean.toPrecision(6)} rows`);
      const rows = orders.map((m, i) => extractEchelleOrder(exposure, perOrder.get(m)!, m, offsets[i]!));
      rows.forEach((row, i) => {
        trailer.push(`${name}[SCI,${imset.ver}] order ${orders[i]}: extracted at y = ${row.a2center.toPrecision(6)}`);
      });
      const header = sci.clone();
      for (const k of NOT_INHERITED) header.delete(k);
      header.removeWhere((card) => card.kind === "commentary");
      const average = offsets.reduce((a, b) => a + b, 0) / offsets.length;
      header.set("CRSCROFF", average, { comment: "offset from 1-D extraction cross-corr." });
      if (corrected) {
        header.set("V_HELIO", helio.vHelio, { comment: "heliocentric radial velocity (km/s)" });
        history = [`Heliocentric correction = ${formatGeneral(helio.vHelio, 6)} km/s`];
      }
      written.push({ header, rows, orders });
    }
    const out = x1dPrimary(primary, tables, history, basename(output), written.length);
    const writer = new FitsWriter(output);
    try {
      writer.writeImage(out);
      written.forEach(({ header, rows, orders }, k) => {
        const h = header
          .set("EXTNAME", "SCI")
          .set("EXTVER", k + 1)
          .set("INHERIT", true);
        const fluxcorr = on.FLUXCORR && on.DISPCORR;
        writer.writeTable(h, stacked(rows.map((r, i) => columns(r, fluxcorr, orders[i]))), rows.length);
      });
      writer.close();
    } catch (e) {
      writer.abort();
      throw e;
    }
    return { trailer, rows: written.flatMap((w) => w.rows) };
  });
}
