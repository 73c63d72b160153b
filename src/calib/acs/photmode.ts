/**
 * The PHOTMODE keyword (calibration.md §2.11, PHOTCORR), written whatever PHOTCORR says.
 * Algorithms follow hstcal (BSD-3-Clause, AURA), acs2d/photmode.c.
 */
import { formatFixed, formatGeneral } from "../common/c-format.js";

export interface PhotmodeKeywords {
  detector: "WFC" | "HRC" | "SBC";
  obstype: string;
  filter1: string;
  filter2: string;
  /** Primary LRFWAVE (ramp filter central wavelength); -1 when absent. */
  lrfwave?: number;
  /** Primary EXPSTART (MJD). */
  expstart: number;
}

const DETECTOR_COMPONENT = { WFC: "WFC1", HRC: "HRC", SBC: "SBC" } as const;

function filterComponent(filter: string, lrfwave: number): string | undefined {
  if (filter.startsWith("N/A") || filter.startsWith("CLEAR")) return undefined;
  if (filter.startsWith("POL")) return filter.includes("UV") ? "POL_UV" : "POL_V";
  if (filter.startsWith("FR")) return `${filter}#${formatGeneral(Math.fround(lrfwave), 4)}`;
  return filter;
}

export function photmode(keywords: PhotmodeKeywords): string {
  const parts = ["ACS", DETECTOR_COMPONENT[keywords.detector]];
  if (keywords.obstype.startsWith("CORON")) parts.push("CORON");
  const lrfwave = keywords.lrfwave ?? -1;
  for (const filter of [keywords.filter1, keywords.filter2]) {
    const component = filterComponent(filter.trim(), lrfwave);
    if (component !== undefined) parts.push(component);
  }
  parts.push(`MJD#${formatFixed(keywords.expstart, 4)}`);
  return parts.join(" ");
}
