import type { Header } from "../fits/index.js";
import { forEachChunk } from "./chunks.js";

/**
 * Which pixels fitscut's `--badpix` treats as blank (missing): NaN, the BADPIX value (0.0 when the
 * header has none) and, when GOODMIN < 0, anything outside [GOODMIN, GOODMAX]. A GOODMIN ≥ 0 is
 * "unreliable" and ignored; a non-integral BADPIX is replaced as fitscut does (round-off would defeat
 * an equality test). Limits are single precision, as fitscut compares float pixels with float limits.
 */
export interface BlankRule {
  value: number;
  /** Pixels below `low` (and above `high`, when set) are blank; undefined: no range. */
  low?: number;
  high?: number;
}

export function blankRuleOf(header: Header): BlankRule {
  let value = header.has("BADPIX") ? Math.fround(numberOr(header.get("BADPIX"), 0)) : 0;
  let low = header.has("GOODMIN") ? Math.fround(numberOr(header.get("GOODMIN"), value)) : value;
  let high = header.has("GOODMAX") ? Math.fround(numberOr(header.get("GOODMAX"), value)) : value;
  if (low >= 0 && low !== value) {
    low = value;
    high = value;
  }
  if (value !== Math.trunc(value)) {
    if (low === value) {
      value = 0;
      low = 0;
      high = 0;
    } else {
      const replacement = 2 * Math.trunc(low) - 1;
      if (high === value) high = replacement;
      value = replacement;
    }
  }
  if (low === value) return { value };
  return high === value ? { value, low } : { value, low, high };
}

function numberOr(v: unknown, fallback: number): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return fallback;
}

/** Sets every blank pixel (also ±Inf, which fitscut's finite() tests leave out) to NaN in place; returns the count. */
export function blankOut(data: Float32Array, rule: BlankRule): number {
  const { value } = rule;
  const low = rule.low ?? Number.NEGATIVE_INFINITY;
  const high = rule.high ?? Number.POSITIVE_INFINITY;
  let count = 0;
  forEachChunk(data.length, (start, end) => {
    count += blankChunk(data, start, end, value, low, high);
  });
  return count;
}

function blankChunk(data: Float32Array, start: number, end: number, value: number, low: number, high: number) {
  let count = 0;
  for (let i = start; i < end; i++) {
    const x = data[i];
    // x − x is NaN for NaN and ±Inf; the range test is false for NaN too.
    if (x - x !== 0 || x === value || !(x >= low && x <= high)) {
      data[i] = Number.NaN;
      count++;
    }
  }
  return count;
}

/**
 * The rule without its GOODMIN…GOODMAX range when that range would blank most of the pixels it is meant to
 * keep: the keywords then do not describe this array (the NICMOS image in ../shared/data/hst was rescaled
 * after its good-pixel statistics were written: 65,531 of its 65,536 pixels lie outside them, which left
 * fitscut's rule an all-white preview). Undefined when the range fits or there is none.
 */
export function staleRange(rule: BlankRule, data: Float32Array): { counted: number; outside: number } | undefined {
  if (rule.low === undefined) return undefined;
  const low = rule.low;
  const high = rule.high ?? Number.POSITIVE_INFINITY;
  let counted = 0;
  let outside = 0;
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    if (x - x !== 0 || x === rule.value) continue;
    counted++;
    if (!(x >= low && x <= high)) outside++;
  }
  return 2 * outside > counted ? { counted, outside } : undefined;
}
