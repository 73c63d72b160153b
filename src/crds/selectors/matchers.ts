/** Matchers of one Match key element (selectors.matcher and its classes in the reference client). */
import { MappingFormatError } from "../errors.js";
import { pythonFloat } from "../python-format.js";

/** 1 = match, 0 = don't care, -1 = no match. */
export type MatchStatus = 1 | 0 | -1;

export interface Matcher {
  match(value: string): MatchStatus;
}

/** The rule every matcher applies first: the raw key or '*' match, 'N/A' is don't-care. */
function baseMatch(key: string, value: string): MatchStatus {
  if (value === key || value === "*") return 1;
  if (value === "N/A") return 0;
  return -1;
}

class ExactMatcher implements Matcher {
  constructor(private readonly key: string) {}
  match(value: string): MatchStatus {
    return baseMatch(this.key, value);
  }
}

/** Python re.match semantics: anchored at the start only. */
class RegexMatcher implements Matcher {
  private readonly regex: RegExp;
  constructor(
    private readonly key: string,
    flags = "",
  ) {
    try {
      this.regex = new RegExp(pythonRegexToJs(key), `${flags}y`);
    } catch (error) {
      throw new MappingFormatError(`invalid regular expression ${JSON.stringify(key)}: ${(error as Error).message}`);
    }
  }
  match(value: string): MatchStatus {
    const base = baseMatch(this.key, value);
    if (base !== -1) return base;
    this.regex.lastIndex = 0;
    return this.regex.test(value) ? 1 : -1;
  }
}

function pythonRegexToJs(pattern: string): string {
  return pattern.replace(/\(\?P</g, "(?<").replace(/\\Z/g, "$");
}

/** fnmatch.translate of one glob, without the (?s:...)\Z wrapper. */
export function translateGlob(pattern: string): string {
  let out = "";
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i++];
    if (c === "*") {
      if (!out.endsWith(".*")) out += ".*";
    } else if (c === "?") out += ".";
    else if (c === "[") {
      let j = i;
      if (pattern[j] === "!") j++;
      if (pattern[j] === "]") j++;
      while (j < pattern.length && pattern[j] !== "]") j++;
      if (j >= pattern.length) out += "\\[";
      else {
        let stuff = pattern.slice(i, j).replace(/\\/g, "\\\\");
        i = j + 1;
        if (stuff === "") out += "(?!)";
        else if (stuff === "!") out += ".";
        else {
          if (stuff[0] === "!") stuff = `^${stuff.slice(1)}`;
          else if (stuff[0] === "^" || stuff[0] === "[") stuff = `\\${stuff}`;
          out += `[${stuff.replace(/[&~|]/g, "\\$&")}]`;
        }
      }
    } else out += c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
  }
  return out;
}

/** Or-ed globs: '|'-joined alternatives, each a full-string fnmatch pattern. */
class GlobMatcher implements Matcher {
  private readonly inner: RegexMatcher;
  constructor(alternatives: readonly string[]) {
    const regex = `^(?:${alternatives.map((part) => `(?:${translateGlob(part)})`).join("|")})$`;
    this.inner = new RegexMatcher(regex, "s");
  }
  match(value: string): MatchStatus {
    return this.inner.match(value);
  }
}

const INEQUALITY_RE = /^([><]=?)\s*([-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?)/;

class InequalityMatcher implements Matcher {
  private readonly operator: string;
  private readonly bound: number;
  constructor(private readonly key: string) {
    const parts = INEQUALITY_RE.exec(key);
    if (!parts) throw new MappingFormatError(`invalid relational match key ${JSON.stringify(key)}`);
    this.operator = parts[1];
    this.bound = Number(parts[2]);
  }
  match(value: string): MatchStatus {
    const base = baseMatch(this.key, value);
    if (base !== -1) return base;
    let number: number;
    try {
      number = pythonFloat(value);
    } catch {
      return -1;
    }
    const b = this.bound;
    const ok =
      this.operator === ">"
        ? number > b
        : this.operator === "<"
          ? number < b
          : this.operator === ">="
            ? number >= b
            : number <= b;
    return ok ? 1 : -1;
  }
}

class BinaryMatcher implements Matcher {
  private readonly first: Matcher;
  private readonly second: Matcher;
  constructor(
    private readonly key: string,
    private readonly operator: "AND" | "OR",
  ) {
    let body = key;
    if (key.trim().startsWith("#")) body = key.trim().slice(1, -1);
    const parts = body.split(operator).map((part) => part.trim());
    this.first = matcher(parts[0]);
    this.second = matcher(parts[1] ?? "");
  }
  match(raw: string): MatchStatus {
    const value = raw.toUpperCase();
    const base = baseMatch(this.key, value);
    if (base !== -1) return base;
    const a = this.first.match(value) === 1;
    const b = this.second.match(value) === 1;
    return (this.operator === "AND" ? a && b : a || b) ? 1 : -1;
  }
}

const NA_MATCHER: Matcher = { match: () => 0 };

class NotMatcher implements Matcher {
  private readonly inner: Matcher;
  constructor(key: string) {
    this.inner = matcher(key.slice("NOT ".length).trim());
  }
  match(value: string): MatchStatus {
    const status = this.inner.match(value);
    return status === 0 ? 0 : status === 1 ? -1 : 1;
  }
}

/** glob_list: '|'-alternatives stripped, empties dropped, sorted; esoteric or simple values unchanged. */
export function globList(value: string): string[] {
  if (!esotericKey(value) && value.includes("|")) {
    return value
      .split("|")
      .map((part) => part.trim())
      .filter((part) => part !== "")
      .sort();
  }
  return [value];
}

/** Keys whose validation is skipped: {..}, (..), #..#, BETWEEN .., NOT ... */
export function esotericKey(key: string): boolean {
  const upper = key.toUpperCase();
  return (/^[{(#]/.test(upper) && /[})#]$/.test(upper)) || upper.startsWith("BETWEEN") || upper.startsWith("NOT");
}

/** selectors.matcher(key) for a conditioned key element. */
export function matcher(key: string): Matcher {
  if (key.startsWith("(") && key.endsWith(")")) return new RegexMatcher(key.slice(1, -1));
  if (key.startsWith("{") && key.endsWith("}")) return new ExactMatcher(key.slice(1, -1));
  if (key.startsWith("#") && key.endsWith("#")) {
    const upper = key.toUpperCase();
    if (upper.includes(" AND ")) return new BinaryMatcher(upper, "AND");
    if (upper.includes(" OR ")) return new BinaryMatcher(upper, "OR");
    return matcher(upper.slice(1, -1));
  }
  if (key.toUpperCase().startsWith("BETWEEN")) {
    const parts = key.trim().split(/\s+/);
    if (parts.length !== 3) throw new MappingFormatError(`Invalid between relation '${key}'`);
    if (!(pythonFloat(parts[1]) <= pythonFloat(parts[2]))) {
      throw new MappingFormatError(`Invalid between relation '${key}' should be 'between lower_bound upper_bound'`);
    }
    return new BinaryMatcher(`>=${parts[1]} AND <${parts[2]}`, "AND");
  }
  if (key.toUpperCase().startsWith("NOT ")) return new NotMatcher(key);
  if (key.includes("|") || key.includes("*")) return new GlobMatcher(globList(key));
  if (key === "N/A") return NA_MATCHER;
  if (key.startsWith(">") || key.startsWith("<")) return new InequalityMatcher(key);
  return new ExactMatcher(key);
}
