/**
 * TEMPCORR of an FUV segment: the BRFTAB row's stim positions (SX1, SY1, SX2, SY2), search box (XWIDTH, YWIDTH)
 * and TIMESTEP, the per-interval maps applied to XCORR/YCORR (tempcorr.ts), the STIM keywords of the events
 * header as calcos writes them, and the map of the detector's edges that fuvFlagOutOfBounds uses later.
 */
import { basename } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import { checkedRows } from "../../calib/common/table-schema.js";
import type { CorrtagEvents } from "../../calib/cos/events.js";
import type { StimMap } from "../../calib/cos/fuv-segment.js";
import { requireRows } from "../../calib/cos/table-select.js";
import { applyThermalMaps, thermalParameters } from "../../calib/cos/tempcorr.js";
import { FitsFile, type Header } from "../../fits/index.js";
import { readReferenceTable } from "../reference-files.js";

const SCHEMA = {
  SX1: "number",
  SY1: "number",
  SX2: "number",
  SY2: "number",
  XWIDTH: "number",
  YWIDTH: "number",
} as const;

/** Python's round(x, 3) as calcos writes the STIM keywords. */
const round3 = (x: number) => Number(x.toFixed(3));

export function fuvTempcorr(
  events: CorrtagEvents,
  hdr: Header,
  brftab: string,
  segment: string,
): { done: boolean; stims: StimMap } {
  const where = `BRFTAB ${basename(brftab)}[1]`;
  const table = readReferenceTable("BRFTAB", brftab);
  const [row] = checkedRows<Record<keyof typeof SCHEMA, number>>(
    requireRows(table.rows, { SEGMENT: segment }, where, "TEMPCORR"),
    SCHEMA,
    where,
  );
  const file = FitsFile.open(brftab);
  let timestep: number;
  try {
    timestep = file.hdus[1].header.getNumber("TIMESTEP", Number.NaN);
  } finally {
    file.close();
  }
  if (!(timestep > 0)) throw new CalibrationError("INVALID_VALUE", `${where}: TIMESTEP is missing or not > 0`);
  const refs: [{ x: number; y: number }, { x: number; y: number }] = [
    { x: Number(row.SX1), y: Number(row.SY1) },
    { x: Number(row.SX2), y: Number(row.SY2) },
  ];
  const summary = thermalParameters(events, refs, { x: Number(row.XWIDTH), y: Number(row.YWIDTH) }, timestep);
  const done = applyThermalMaps(events, summary.maps);
  const s = segment.slice(-1);
  const set = (k: string, v: number) => hdr.set(`STIM${s}${k}`, v, { comment: "stim position (pixels)" });
  set("0LX", refs[0].x);
  set("0LY", refs[0].y);
  set("0RX", refs[1].x);
  set("0RY", refs[1].y);
  for (const [side, found] of [
    ["L", summary.left],
    ["R", summary.right],
  ] as const) {
    set(`_${side}X`, found ? round3(found.x) : -1);
    set(`_${side}Y`, found ? round3(found.y) : -1);
    if (found) {
      set(`S${side}X`, round3(found.rmsX));
      set(`S${side}Y`, round3(found.rmsY));
    }
  }
  return { done, stims: stimMap(hdr, s) };
}

/** fuvFlagOutOfBounds' map from the STIM keywords: identity when a position is missing (< 0). */
function stimMap(hdr: Header, s: string): StimMap {
  const get = (k: string, fallback: number) => hdr.getNumber(`STIM${s}${k}`, fallback);
  const [sx1r, sy1r, sx2r, sy2r] = ["0LX", "0LY", "0RX", "0RY"].map((k) => get(k, -1));
  const pick = (k: string, reference: number) => {
    const v = get(k, reference);
    return v < 0 ? reference : v;
  };
  const [sx1, sy1, sx2, sy2] = [pick("_LX", sx1r), pick("_LY", sy1r), pick("_RX", sx2r), pick("_RY", sy2r)];
  if (sx1 < 0 || sy1 < 0 || sx2 < 0 || sy2 < 0) return { xslope: 1, xintercept: 0, yslope: 1, yintercept: 0 };
  const xslope = (sx2r - sx1r) / (sx2 - sx1);
  const yslope = (sy2r - sy1r) / (sy2 - sy1);
  return { xslope, xintercept: sx1r - sx1 * xslope, yslope, yintercept: sy1r - sy1 * yslope };
}
