/**
 * BRSTCORR of an FUV segment as calcos' doBurstcorr reads its references: the BRSTTAB row of the segment, the
 * rows of the source and background bands from the BRFTAB's active area and the XTRACTAB row for SEGMENT,
 * OPT_ELEM, CENWAVE and APERTURE (with TAGFLASH, the WCA row bounds the upper band). A missing row or column
 * is one error naming the table and the keys (calcos warns and skips the step; a silent skip would hide it).
 */
import { basename } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import { checkedRows } from "../../calib/common/table-schema.js";
import { type BurstParameters, type BurstRegions, findBursts } from "../../calib/cos/burst.js";
import { roundHalfEven } from "../../calib/cos/dqicorr.js";
import type { CorrtagEvents } from "../../calib/cos/events.js";
import type { ActiveArea } from "../../calib/cos/fuv-segment.js";
import { requireRows } from "../../calib/cos/table-select.js";
import type { Header } from "../../fits/index.js";
import type { Env } from "../reference-files.js";
import { readReferenceTable } from "../reference-files.js";
import { requiredReference } from "./switches.js";

const PARAMETERS = {
  MEDIAN_N: "number",
  DELTA_T: "number",
  DELTA_T_HIGH: "number",
  MEDIAN_DT: "number",
  BURST_MIN: "number",
  STDREJ: "number",
  SOURCE_FRAC: "number",
  MAX_ITER: "number",
  HIGH_RATE: "number",
} as const;

export function loadBurstParameters(path: string, segment: string): BurstParameters {
  const table = readReferenceTable("BRSTTAB", path);
  const where = `BRSTTAB ${basename(path)}[1]`;
  const rows = requireRows(table.rows, { SEGMENT: segment }, where, "BRSTCORR");
  if (rows.length !== 1) {
    throw new CalibrationError("INVALID_VALUE", `${where}: ${rows.length} rows for SEGMENT='${segment}', not one`);
  }
  const [r] = checkedRows<Record<keyof typeof PARAMETERS, number>>(rows, PARAMETERS, where);
  const n = (v: unknown) => Number(v);
  return {
    medianN: n(r.MEDIAN_N),
    deltaT: n(r.DELTA_T),
    deltaTHigh: n(r.DELTA_T_HIGH),
    medianDt: n(r.MEDIAN_DT),
    burstMin: n(r.BURST_MIN),
    stdrej: n(r.STDREJ),
    sourceFrac: n(r.SOURCE_FRAC),
    maxIter: n(r.MAX_ITER),
    highRate: n(r.HIGH_RATE),
    single: table.columnTypes.DELTA_T === "E",
  };
}

function burstRegions(path: string, primary: Header, segment: string, area: ActiveArea): BurstRegions {
  const table = readReferenceTable("XTRACTAB", path);
  const where = `XTRACTAB ${basename(path)}[1]`;
  const filter = {
    SEGMENT: segment,
    OPT_ELEM: primary.getString("OPT_ELEM", "").trim(),
    CENWAVE: primary.getNumber("CENWAVE", 0),
    APERTURE: primary.getString("APERTURE", "").trim(),
  };
  const row = (aperture: string) => {
    const rows = requireRows(table.rows, { ...filter, APERTURE: aperture }, where, "BRSTCORR");
    const [r] = checkedRows<{ B_SPEC: number; HEIGHT: number }>(rows, { B_SPEC: "number", HEIGHT: "number" }, where);
    return { bSpec: roundHalfEven(Number(r.B_SPEC)), height: Number(r.HEIGHT) };
  };
  const { bSpec, height } = row(filter.APERTURE);
  const half = Math.floor(height / 2);
  const regions = {
    srcLow: bSpec - half,
    srcHigh: bSpec + half,
    bkg1Low: Math.max(0, area.low),
    bkg1High: bSpec - half - Math.floor(height / 4),
    bkg2Low: bSpec + half + Math.floor(height / 4),
    bkg2High: Math.min(1023, area.high),
  };
  const tagflash = primary.getString("TAGFLASH", "NONE").trim().toUpperCase();
  if (!["NONE", "N/A", ""].includes(tagflash)) regions.bkg2Low = row("WCA").bSpec + Math.floor((height * 3) / 4);
  return regions;
}

/** The burst intervals (s since EXPSTART; [] when none) when BRSTCORR is PERFORM, else undefined. */
export function fuvBrstcorr(
  events: CorrtagEvents,
  primary: Header,
  env: Env,
  segment: string,
  area: ActiveArea,
  exptime: number,
): [number, number][] | undefined {
  if (primary.getString("BRSTCORR", "OMIT").trim().toUpperCase() !== "PERFORM") return undefined;
  const parameters = loadBurstParameters(requiredReference(primary, "BRSTTAB", env, "BRSTCORR"), segment);
  const regions = burstRegions(requiredReference(primary, "XTRACTAB", env, "BRSTCORR"), primary, segment, area);
  return findBursts(events.time, events.yfull, events.dq, exptime, parameters, regions) ?? [];
}
