import type { Card } from "./card.js";

const FIELD = String.raw`[a-zA-Z_]\w*(?:\.\d+)?`;
const RECORD_VALUED = new RegExp(
  String.raw`^ *'(${FIELD}(?:\.${FIELD})*): +([+-]?(?:\.\d+|\d+(?:\.\d*)?)(?:[DE][+-]?\d+)?)' *(?:/.*)?$`,
);

/**
 * A record-valued keyword card (the distortion paper's `D2IM1 = 'EXTVER: 1'`) as astropy reads it: the keyword
 * `D2IM1.EXTVER` with the number 1.0. Undefined for any other card.
 */
export function recordValued(card: Card): { keyword: string; value: number } | undefined {
  const image = card.images?.length === 1 ? card.images[0] : undefined;
  const m = card.kind === "string" && image && !card.hierarch ? RECORD_VALUED.exec(image.slice(10)) : null;
  return m ? { keyword: `${card.keyword}.${m[1]}`, value: Number(m[2].replace("D", "E")) } : undefined;
}
