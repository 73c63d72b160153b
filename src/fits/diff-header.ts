import type { Card, HeaderValue } from "./card.js";
import { headerValuesDiffer, type Tolerance, wildcardMatcher } from "./diff-values.js";
import type { Header } from "./header.js";
import { recordValued } from "./record-valued.js";

export interface HeaderDiffOptions extends Tolerance {
  ignoreKeywords: readonly string[];
  ignoreComments: readonly string[];
  /** Trailing blanks of string values do not count (fitsdiff's default). */
  ignoreBlanks: boolean;
  /** Entirely blank cards are left out (fitsdiff's default). */
  ignoreBlankCards: boolean;
}

export interface ValueDifference {
  keyword: string;
  /** Which occurrence of the keyword (0 for the first), for repeated keywords such as HISTORY. */
  occurrence: number;
  a: HeaderValue;
  b: HeaderValue;
  /** Whether each value was written as a floating-point number (2.0, not 2). */
  floats?: [boolean, boolean];
}

export interface HeaderDiff {
  /** Card counts, when they differ (blank cards and ignored keywords left out). */
  cardCount?: [number, number];
  /** Keywords in one header only, with their (first) value. */
  onlyInA: { keyword: string; value: HeaderValue; float: boolean }[];
  onlyInB: { keyword: string; value: HeaderValue; float: boolean }[];
  /** Keywords present in both but a different number of times. */
  repeats: { keyword: string; a: number; b: number }[];
  values: ValueDifference[];
  comments: ValueDifference[];
}

export function headerIdentical(d: HeaderDiff): boolean {
  return (
    !d.cardCount &&
    !d.onlyInA.length &&
    !d.onlyInB.length &&
    !d.repeats.length &&
    !d.values.length &&
    !d.comments.length
  );
}

const BLANK = (c: Card) => c.keyword === "" && c.comment.trim() === "";

interface Occurrences {
  values: HeaderValue[];
  comments: string[];
  floats: boolean[];
}

function byKeyword(cards: Card[], ignoreBlanks: boolean): Map<string, Occurrences> {
  const map = new Map<string, Occurrences>();
  for (const card of cards) {
    const record = recordValued(card);
    if (record) {
      const entry = map.get(record.keyword) ?? { values: [], comments: [], floats: [] };
      entry.values.push(record.value);
      entry.comments.push(card.comment);
      entry.floats.push(true);
      map.set(record.keyword, entry);
      continue;
    }
    let value: HeaderValue = card.kind === "commentary" ? card.comment : card.value;
    if (ignoreBlanks && typeof value === "string") value = value.trimEnd();
    const entry = map.get(card.keyword) ?? { values: [], comments: [], floats: [] };
    entry.values.push(value);
    entry.comments.push(card.kind === "commentary" ? "" : card.comment);
    entry.floats.push(card.kind === "float");
    map.set(card.keyword, entry);
  }
  return map;
}

/** Compares two headers keyword by keyword, as astropy's HeaderDiff does. */
export function diffHeaders(a: Header, b: Header, options: HeaderDiffOptions): HeaderDiff {
  const ignored = wildcardMatcher(options.ignoreKeywords);
  const commentIgnored = wildcardMatcher(options.ignoreComments);
  const keep = (c: Card) => !(options.ignoreBlankCards && BLANK(c)) && !ignored(c.keyword);
  const cardsA = a.cards.filter(keep);
  const cardsB = b.cards.filter(keep);
  const diff: HeaderDiff = { onlyInA: [], onlyInB: [], repeats: [], values: [], comments: [] };
  if (cardsA.length !== cardsB.length) diff.cardCount = [cardsA.length, cardsB.length];
  const mapA = byKeyword(cardsA, options.ignoreBlanks);
  const mapB = byKeyword(cardsB, options.ignoreBlanks);
  // The value shown is the keyword's first card in the whole header (for '' a blank card, as in fitsdiff).
  const only = (x: Map<string, Occurrences>, y: Map<string, Occurrences>, header: Header) =>
    [...x.keys()]
      .filter((k) => !y.has(k))
      .sort()
      .map((keyword) => {
        const card = header.cards.find((c) => c.keyword === keyword);
        if (!card) return { keyword, value: x.get(keyword)!.values[0], float: x.get(keyword)!.floats[0] };
        const value = card.kind === "commentary" ? card.comment.trimEnd() : card.value;
        return { keyword, value, float: card.kind === "float" };
      });
  diff.onlyInA = only(mapA, mapB, a);
  diff.onlyInB = only(mapB, mapA, b);
  const common = [...mapA.keys()].filter((k) => mapB.has(k)).sort();
  for (const keyword of common) {
    const x = mapA.get(keyword)!;
    const y = mapB.get(keyword)!;
    if (x.values.length !== y.values.length) diff.repeats.push({ keyword, a: x.values.length, b: y.values.length });
    const n = Math.min(x.values.length, y.values.length);
    for (let i = 0; i < n; i++) {
      const floats = x.floats[i] && y.floats[i];
      if (headerValuesDiffer(x.values[i], y.values[i], floats, options)) {
        const kinds: [boolean, boolean] = [x.floats[i], y.floats[i]];
        diff.values.push({ keyword, occurrence: i, a: x.values[i], b: y.values[i], floats: kinds });
      }
      if (!commentIgnored(keyword) && x.comments[i] !== y.comments[i]) {
        diff.comments.push({ keyword, occurrence: i, a: x.comments[i], b: y.comments[i] });
      }
    }
  }
  return diff;
}
