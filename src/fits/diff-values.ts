import type { HeaderValue } from "./card.js";

export interface Tolerance {
  rtol: number;
  atol: number;
}

/** numpy.isclose's test (|a - b| <= atol + rtol·|b|); non-finite values equal each other, as in fitsdiff. */
export function closeEnough(a: number, b: number, { rtol, atol }: Tolerance): boolean {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return !Number.isFinite(a) && !Number.isFinite(b);
  if (rtol === 0 && atol === 0) return a === b;
  return Math.abs(a - b) <= atol + rtol * Math.abs(b);
}

/** fitsdiff's diff_values for header values: floats within the tolerance (NaN = NaN), anything else equal. */
export function headerValuesDiffer(
  a: HeaderValue | undefined,
  b: HeaderValue | undefined,
  floats: boolean,
  tolerance: Tolerance,
): boolean {
  if (floats && typeof a === "number" && typeof b === "number") {
    if (Number.isNaN(a) && Number.isNaN(b)) return false;
    return !closeEnough(a, b, tolerance);
  }
  const numeric = (v: unknown) => typeof v === "number" || typeof v === "bigint" || typeof v === "boolean";
  // biome-ignore lint/suspicious/noDoubleEquals: 1 == 1n == 1.0 == true, as Python compares them
  if (numeric(a) && numeric(b)) return !(a == b);
  if (a && b && typeof a === "object" && typeof b === "object") return a.re !== b.re || a.im !== b.im;
  return a !== b;
}

/** fnmatch's wildcards (`*`, `?`, `[seq]`) on upper-case names, as fitsdiff matches its ignore lists. */
export function wildcardMatcher(patterns: readonly string[]): (name: string) => boolean {
  const exact = new Set(patterns.map((p) => p.toUpperCase()));
  const regexes = patterns
    .filter((p) => /[*?[]/.test(p))
    .map((p) => {
      const body = p
        .toUpperCase()
        .replace(/[.+^${}()|\\]/g, "\\$&")
        .replaceAll("*", ".*")
        .replaceAll("?", ".");
      return new RegExp(`^${body}$`, "s");
    });
  return (name) => exact.has(name.toUpperCase()) || regexes.some((re) => re.test(name.toUpperCase()));
}
