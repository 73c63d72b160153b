/** Value conditioning exactly as utils.condition_value / condition_header of the reference client. */
import { pythonFloat, pythonFloatRepr } from "./python-format.js";
import { type PyValue, pyStr } from "./python-values.js";

const NUMBER_RE = /^([-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?|[+-]?[0-9]+\.)$/;
// Python's pattern is "^" + "|".join(alternatives) + "$": the anchors bind only to the first and
// last alternatives, so the middle ones match any value that merely starts with them.
const DONT_CARE_RE = /^-2147483648.0|^\(\)|^N\/A|^NOT APPLICABLE|^NOT_APPLICABLE$/;

/** A value as it may arrive from a header: strings, Python literals, JS numbers and booleans. */
export type RawValue = PyValue | number;

function pythonStr(value: RawValue): string {
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : pythonFloatRepr(value);
  return pyStr(value);
}

const memo = new Map<string, string>();

/** utils.condition_value(v). */
export function conditionValue(value: RawValue): string {
  const input = pythonStr(value);
  let result = memo.get(input);
  if (result === undefined) {
    result = conditionText(input);
    if (memo.size > 200_000) memo.clear();
    memo.set(input, result);
  }
  return result;
}

function conditionText(input: string): string {
  let text = input.trim().toUpperCase();
  if (NUMBER_RE.test(text)) text = pythonFloatRepr(pythonFloat(text));
  if (DONT_CARE_RE.test(text)) text = "N/A";
  if (text === "ANY") return "*";
  if (text === "4294967295.0") return "-1.0";
  if (text === "T" || text === "TRUE") return "T";
  if (text === "F" || text === "FALSE") return "F";
  return text;
}

/** utils.condition_header: upper-case keys, conditioned values. */
export function conditionHeader(header: Readonly<Record<string, RawValue>>): Record<string, string> {
  const conditioned: Record<string, string> = {};
  for (const [key, value] of Object.entries(header)) conditioned[key.toUpperCase()] = conditionValue(value);
  return conditioned;
}
