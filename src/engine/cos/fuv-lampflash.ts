/**
 * The `_lampflash` of an FUV TAGFLASH exposure: calcos writes one table per segment and concatenates them
 * (extract.concatenateFUVSegments): segment A's rows then B's, A's table header with B's segment-specific
 * keywords (SHIFT1B, SP_LOC_B, EXPTIMEB, …), EXPTIME the larger segment's, NEVENTS their sum; A's primary
 * header (B's when A has no rows) with SEGMENT = BOTH when both have rows, and the archive's wavelength keywords.
 */
import type { Header } from "../../fits/index.js";
import { setArchiveWavelengths } from "./archive-search.js";
import { copyKeywords } from "./fuv-merge.js";
import { type LampflashRow, writeLampflash } from "./lampflash-product.js";

export interface SegmentLampflash {
  segment: "FUVA" | "FUVB";
  primary: Header;
  eventsHeader: Header;
  rows: LampflashRow[];
  keywords: [string, number][];
  extraction: [string, number][];
}

export function writeFuvLampflash(path: string, pieces: readonly SegmentLampflash[], nelem: number): void {
  const a = pieces.find((p) => p.segment === "FUVA");
  const b = pieces.find((p) => p.segment === "FUVB");
  const only = a && b ? undefined : (a ?? b);
  if (only) {
    writeLampflash(path, only.primary, only.eventsHeader, only.rows, only.keywords, only.extraction, nelem);
    return;
  }
  if (!a || !b) return;
  const table = a.eventsHeader.clone();
  const bHeader = b.eventsHeader.clone();
  for (const [k, v] of [...b.keywords, ...b.extraction]) bHeader.set(k, v);
  copyKeywords(bHeader, table, "B");
  const number = (h: Header, k: string, d: number) => (h.has(k) ? h.getNumber(k) : d);
  table.set(
    "EXPTIME",
    Math.max(
      number(a.eventsHeader, "EXPTIMEA", number(a.eventsHeader, "EXPTIME", 0)),
      number(b.eventsHeader, "EXPTIMEB", number(b.eventsHeader, "EXPTIME", 0)),
    ),
  );
  table.set(
    "NEVENTS",
    number(a.eventsHeader, "NEVENTSA", number(a.eventsHeader, "NEVENTS", 0)) +
      number(b.eventsHeader, "NEVENTSB", number(b.eventsHeader, "NEVENTS", 0)),
  );
  const both = a.rows.length > 0 && b.rows.length > 0;
  const primary = (a.rows.length > 0 || b.rows.length === 0 ? a : b).primary.clone();
  if (both) primary.set("SEGMENT", "BOTH");
  const rows = [...a.rows, ...b.rows];
  setArchiveWavelengths(
    primary,
    rows.map((r) => ({ wavelength: r.wavelength, dqWgt: new Float64Array(0) })),
  );
  const keywords = [...a.keywords, ...b.keywords];
  const extraction = [...a.extraction, ...b.extraction.filter(([k]) => k.endsWith("_B"))];
  writeLampflash(path, primary, table, rows, keywords, extraction, nelem);
}
