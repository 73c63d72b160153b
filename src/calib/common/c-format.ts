/**
 * C printf number formatting (%.Nf and %.Ng) with glibc's rounding: the exact binary value is
 * rounded half to even, which JavaScript's toFixed/toPrecision (ties away from zero) do not do.
 */

/** The exact decimal digits of a positive finite double: value = 0.d1d2d3... × 10^point. */
function exactDecimal(x: number): { digits: string; point: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = exponentBits === 0 ? fraction : fraction | (1n << 52n);
  const exponent = exponentBits === 0 ? -1074 : exponentBits - 1075;
  if (exponent >= 0) {
    const digits = (mantissa << BigInt(exponent)).toString();
    return { digits, point: digits.length };
  }
  const digits = (mantissa * 5n ** BigInt(-exponent)).toString();
  return { digits, point: digits.length + exponent };
}

/** Keeps the first `keep` digits (possibly ≤ 0), rounding half to even; returns the digits and a carry flag. */
function roundDigits(digits: string, keep: number): { kept: string; carried: boolean } {
  if (keep >= digits.length) return { kept: digits.padEnd(keep, "0"), carried: false };
  if (keep < 0) return { kept: "", carried: false };
  const kept = digits.slice(0, keep);
  const first = digits.charCodeAt(keep) - 48;
  const restNonZero = /[1-9]/.test(digits.slice(keep + 1));
  const lastOdd = keep > 0 && (digits.charCodeAt(keep - 1) - 48) % 2 === 1;
  const up = first > 5 || (first === 5 && (restNonZero || lastOdd));
  if (!up) return { kept, carried: false };
  const incremented = (BigInt(kept === "" ? "0" : kept) + 1n).toString();
  const width = Math.max(keep, 1);
  if (kept === "") return { kept: incremented, carried: true };
  return incremented.length > width
    ? { kept: incremented, carried: true }
    : { kept: incremented.padStart(width, "0"), carried: false };
}

function special(x: number): string | undefined {
  if (Number.isNaN(x)) return "nan";
  if (x === Number.POSITIVE_INFINITY) return "inf";
  if (x === Number.NEGATIVE_INFINITY) return "-inf";
  return undefined;
}

function sign(x: number): string {
  return x < 0 || Object.is(x, -0) ? "-" : "";
}

/** printf("%.{decimals}f", x). */
export function formatFixed(x: number, decimals: number): string {
  const s = special(x);
  if (s !== undefined) return s;
  const magnitude = Math.abs(x);
  let integer = "0";
  if (magnitude !== 0) {
    const { digits, point } = exactDecimal(magnitude);
    const { kept } = roundDigits(digits, point + decimals);
    integer = kept.replace(/^0+(?=\d)/, "") || "0";
  }
  const padded = integer.padStart(decimals + 1, "0");
  const body = decimals > 0 ? `${padded.slice(0, -decimals)}.${padded.slice(-decimals)}` : padded;
  return sign(x) + body;
}

/** printf("%.{precision}g", x). */
export function formatGeneral(x: number, precision: number): string {
  const s = special(x);
  if (s !== undefined) return s;
  const p = precision === 0 ? 1 : precision;
  const magnitude = Math.abs(x);
  if (magnitude === 0) return `${sign(x)}0`;
  const { digits, point } = exactDecimal(magnitude);
  const { kept, carried } = roundDigits(digits, p);
  const exponent = point - 1 + (carried ? 1 : 0);
  const significant = kept.slice(0, p);
  if (exponent < -4 || exponent >= p) {
    const fraction = significant.slice(1).replace(/0+$/, "");
    const mantissa = fraction ? `${significant[0]}.${fraction}` : significant[0];
    const e = Math.abs(exponent).toString().padStart(2, "0");
    return `${sign(x)}${mantissa}e${exponent < 0 ? "-" : "+"}${e}`;
  }
  const fixed = formatFixed(magnitude, p - 1 - exponent);
  const trimmed = fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
  return sign(x) + trimmed;
}
