/** Applying the steps' keyword updates and HISTORY to FITS headers. */
import type { HeaderUpdates, KeywordValue } from "../calib/common/header-updates.js";
import type { Geometry } from "../calib/common/imset.js";
import type { Header } from "../fits/index.js";

/** Keywords that are integers by definition; every other number is written as a float (2 → 2.0). */
const INTEGER_KEYWORDS = new Set([
  "NGOODPIX",
  "NCOMBINE",
  "NEXTEND",
  "SIZAXIS1",
  "SIZAXIS2",
  "BADINPDQ",
  "CCDCHIP",
  "SDQFLAGS",
]);

export function setKeyword(header: Header, keyword: string, value: KeywordValue): void {
  if (typeof value !== "number") {
    header.set(keyword, value);
    return;
  }
  const existing = header.card(keyword);
  const integer = Number.isInteger(value) && (INTEGER_KEYWORDS.has(keyword) || existing?.kind === "int");
  header.set(keyword, value, { float: !integer });
}

export function applyKeywords(header: Header, values: Record<string, KeywordValue>): void {
  for (const [keyword, value] of Object.entries(values)) setKeyword(header, keyword, value);
}

export function addHistory(header: Header, lines: readonly string[]): void {
  for (const line of lines) header.addCommentary("HISTORY", line);
}

export function applyPrimary(primary: Header, updates: Pick<HeaderUpdates, "primary" | "history">): void {
  applyKeywords(primary, updates.primary);
  addHistory(primary, updates.history);
}

/** LTV1/2 of the trimmed geometry, and CRPIX moved by the trim, in each extension header of the imset. */
export function applyGeometry(headers: Header[], geometry: Geometry, crpixShift: [number, number]): void {
  for (const h of headers) {
    setKeyword(h, "LTV1", geometry.ltv[0]);
    setKeyword(h, "LTV2", geometry.ltv[1]);
    for (const [k, shift] of [
      ["CRPIX1", crpixShift[0]],
      ["CRPIX2", crpixShift[1]],
    ] as const) {
      const v = h.get(k);
      if (typeof v === "number" && shift !== 0) setKeyword(h, k, v - shift);
    }
  }
}
