/**
 * The TIMELINE table of an FUV segment (calcos' createTimeline without an _spt file): one row per second, the
 * airglow rates in the boxes the DISPTAB puts on the segment, the dark rate per pixel in the XTRACTAB's
 * background bands; for an external target through the PSA or BOA only, as calcos.
 */

import type { CorrtagEvents } from "../../calib/cos/events.js";
import { FUV_X } from "../../calib/cos/events.js";
import { airglowRegion, FUV_AIRGLOW, regionRates } from "../../calib/cos/fuv-timeline.js";
import { type TimelineColumns, timelineColumns } from "../../calib/cos/timeline.js";
import type { Header } from "../../fits/index.js";
import type { Env } from "../reference-files.js";
import { spectroTables } from "./doppcorr.js";

export function fuvTimeline(
  events: CorrtagEvents,
  primary: Header,
  segment: string,
  env: Env,
  exptime: number,
  shift1?: Float32Array,
): TimelineColumns {
  const exptype = primary.getString("EXPTYPE", "").trim().toUpperCase();
  const aperture = primary.getString("APERTURE", "").trim().toUpperCase();
  const spectroscopic = primary.getString("OBSTYPE", "").trim().toUpperCase() === "SPECTROSCOPIC";
  if (!spectroscopic || !exptype.startsWith("EXT") || !["PSA", "BOA"].includes(aperture) || !(exptime > 0)) {
    return timelineColumns(events, shift1, undefined, FUV_X);
  }
  const tables = spectroTables(primary, env, "TIMELINE");
  const filter = {
    OPT_ELEM: primary.getString("OPT_ELEM").trim(),
    CENWAVE: primary.getInt("CENWAVE"),
    SEGMENT: segment,
    APERTURE: aperture,
  };
  const row = tables.xtractRow(filter);
  if (!row) return timelineColumns(events, shift1, undefined, FUV_X);
  const number = (k: string) => Number(row[k]);
  const has = (k: string) => row[k] !== undefined && row[k] !== null;
  const [hgt1, hgt2] = has("B_HGT1") ? [number("B_HGT1"), number("B_HGT2")] : [number("BHEIGHT"), number("BHEIGHT")];
  const dark = { bBkg1: number("B_BKG1"), bBkg2: number("B_BKG2"), hgt1, hgt2 };
  const columns = timelineColumns(events, shift1, dark, FUV_X);
  const dispersion = tables.dispersion({ ...filter, FPOFFSET: primary.getInt("FPOFFSET", 0) });
  const spectrum = { bSpec: number("B_SPEC"), slope: number("SLOPE") };
  for (const [key, lines] of Object.entries(FUV_AIRGLOW) as [keyof typeof FUV_AIRGLOW, number[]][]) {
    const region = airglowRegion(dispersion, spectrum, lines, FUV_X, 0);
    if (region) columns[key] = regionRates(events, columns.TIME, region);
  }
  return columns;
}
