/**
 * Dataset parameters from FITS HDU headers as the reference client reads them (crds/io/fits.py,
 * abstract.py): the union of all HDUs in order, upper-case keywords, first value wins, COMMENT and
 * HISTORY concatenated, each value as Python's str() of astropy's parsed value.
 */
import { pythonFloatRepr } from "./python-format.js";

export interface HeaderCard {
  keyword: string;
  value: string | number | bigint | boolean | null;
  /** Tells int from float (1 vs 1.0); complex values are passed as their Python str(), e.g. "(1+2j)". */
  kind: "string" | "int" | "float" | "bool" | "complex" | "undefined";
}

/** str() of astropy's Undefined (astropy appends an object address; that part is left out). */
export const UNDEFINED_VALUE_TEXT = "<astropy.io.fits.card.Undefined object>";

const APPENDED_KEYWORDS = new Set(["COMMENT", "HISTORY"]);

/** Python str() of an astropy card value. */
export function cardValueText(card: HeaderCard): string {
  const { value, kind } = card;
  if (kind === "undefined" || value === null) return UNDEFINED_VALUE_TEXT;
  switch (kind) {
    case "bool":
      return value === true || value === "T" ? "True" : "False";
    case "int":
      return typeof value === "number" ? String(BigInt(Math.trunc(value))) : String(value);
    case "float":
      return typeof value === "string" ? value : pythonFloatRepr(Number(value));
    case "string":
      return String(value).replace(/ +$/, "");
    default:
      return String(value);
  }
}

/** Builds the {KEYWORD: value} dataset parameters from the headers of all HDUs, primary first. */
export function datasetParameters(hdus: ReadonlyArray<ReadonlyArray<HeaderCard>>): Record<string, string> {
  const header: Record<string, string> = {};
  for (const cards of hdus) {
    for (const card of cards) {
      if (!card.keyword) continue;
      const key = card.keyword.toUpperCase();
      const value = cardValueText(card);
      if (!Object.hasOwn(header, key)) header[key] = value;
      else if (header[key] !== value && APPENDED_KEYWORDS.has(key)) header[key] += `\n${value}`;
    }
  }
  return header;
}
