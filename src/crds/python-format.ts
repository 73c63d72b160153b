/** Python's textual conventions that CRDS output depends on: repr() of floats and strings, float() and int(). */
import { PythonError } from "./errors.js";

/** Python repr(float): shortest round-trip digits, fixed notation for exponents -4..15, else d.ddde±XX. */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Number.POSITIVE_INFINITY) return "inf";
  if (value === Number.NEGATIVE_INFINITY) return "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const sign = value < 0 ? "-" : "";
  const [mantissa, exponentText] = Math.abs(value).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : "";
    const expSign = exponent < 0 ? "-" : "+";
    return `${sign}${digits[0]}${fraction}e${expSign}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  const fracPart = digits.slice(exponent + 1) || "0";
  return `${sign}${intPart}.${fracPart}`;
}

/** Python repr(str). */
export function pythonStrRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || (code >= 0x7f && code <= 0xa0) || code === 0xad) {
      out += `\\x${code.toString(16).padStart(2, "0")}`;
    } else out += ch;
  }
  return out + quote;
}

/** Python repr() of a list (or, with tuple=true, a tuple) of strings. */
export function pythonStrSeqRepr(items: readonly string[], tuple = false): string {
  const body = items.map(pythonStrRepr).join(", ");
  if (!tuple) return `[${body}]`;
  return items.length === 1 ? `(${body},)` : `(${body})`;
}

const FLOAT_TEXT = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const SPECIAL_FLOAT = /^([+-]?)(inf|infinity|nan)$/i;

/** Python float(str); throws ValueError with Python's message. */
export function pythonFloat(text: string): number {
  const s = text.trim();
  const special = SPECIAL_FLOAT.exec(s);
  if (special) {
    if (special[2].toLowerCase() === "nan") return Number.NaN;
    return special[1] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (!FLOAT_TEXT.test(s)) {
    throw new PythonError("ValueError", `could not convert string to float: ${pythonStrRepr(text)}`);
  }
  return Number(s.replace(/_/g, ""));
}

/** Python int(str) in base 10; throws ValueError with Python's message. */
export function pythonInt(text: string): number {
  const s = text.trim();
  if (!/^[+-]?\d(?:_?\d)*$/.test(s)) {
    throw new PythonError("ValueError", `invalid literal for int() with base 10: ${pythonStrRepr(text)}`);
  }
  return Number(s.replace(/_/g, ""));
}

/** Python int(float): truncation toward zero, with Python's errors for nan and infinities. */
export function pythonTruncate(value: number): number {
  if (Number.isNaN(value)) throw new PythonError("ValueError", "cannot convert float NaN to integer");
  if (!Number.isFinite(value)) throw new PythonError("OverflowError", "cannot convert float infinity to integer");
  return Math.trunc(value);
}

/** Python's error for `a, b, c = seq` with the wrong length. */
export function unpackError(expected: number, got: number): PythonError {
  return new PythonError(
    "ValueError",
    got < expected
      ? `not enough values to unpack (expected ${expected}, got ${got})`
      : `too many values to unpack (expected ${expected})`,
  );
}
