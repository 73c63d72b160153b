/** SelectVersionSelector: version relations such as '<3.1', '<5', 'default', sorted by (version, relation). */
import { PythonError, ValidationError } from "../errors.js";
import { parsePythonLiteral } from "../parser.js";
import { pythonStrRepr } from "../python-format.js";
import { PyNumber, PyTuple, type PyValue, pyStr } from "../python-values.js";
import {
  type Choice,
  chooseSingle,
  type Header,
  leafNamesOf,
  type Result,
  requireValue,
  Selector,
  validateNumber,
} from "./selector.js";

type Version = number | string | readonly Version[];

const RELATION_RE = /^([<=][=]?|default)(.*)$/;
const MAXSIZE = 2 ** 63 - 1; // sys.maxsize; the float approximation orders the same way

function toVersion(value: PyValue): Version | undefined {
  if (value instanceof PyNumber) return value.value;
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof PyTuple) {
    const items = value.items.map(toVersion);
    return items.every((item) => item !== undefined) ? (items as Version[]) : undefined;
  }
  return undefined;
}

function kind(version: Version): string {
  return typeof version === "number" ? "number" : typeof version === "string" ? "str" : "tuple";
}

function versionText(version: Version): string {
  if (Array.isArray(version)) return `(${version.map(versionText).join(", ")}${version.length === 1 ? "," : ""})`;
  if (typeof version === "number") return Number.isInteger(version) ? String(version) : pyStr(new PyNumber(version));
  return String(version);
}

function compareVersions(a: Version, b: Version): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareVersions(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  if (kind(a) !== kind(b)) {
    throw new PythonError("TypeError", `'<' not supported between ${kind(a)} and ${kind(b)}`);
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** selectors.VersionRelation. */
export class VersionRelation {
  readonly relation: string;
  readonly version: Version;

  constructor(text: string) {
    let relationText = text;
    if (relationText.replaceAll("=", "").trim() === "default") {
      this.relation = "=";
      this.version = MAXSIZE;
      return;
    }
    if (!relationText.startsWith("<") && !relationText.startsWith("=")) relationText = `=${relationText}`;
    const match = RELATION_RE.exec(relationText);
    if (!match) throw new ValidationError(`Illegal version expression in: ${pythonStrRepr(relationText)}`);
    this.relation = match[1].replace("==", "=");
    let version: Version | undefined;
    try {
      version = toVersion(parsePythonLiteral(match[2].trim(), "(version)"));
    } catch {
      version = undefined;
    }
    if (version === undefined) {
      throw new ValidationError(`Invalid version expression in: ${pythonStrRepr(relationText)}`);
    }
    this.version = version;
  }

  /** (version, relation) ordering, with the client's type-compatibility check. */
  compare(other: VersionRelation): number {
    const numeric = typeof this.version === "number" && typeof other.version === "number";
    if (!numeric && kind(this.version) !== kind(other.version)) {
      throw new ValidationError(
        `Incompatible version expression types: ${versionText(this.version)} and ${versionText(other.version)}`,
      );
    }
    const byVersion = compareVersions(this.version, other.version);
    if (byVersion !== 0) return byVersion;
    return this.relation < other.relation ? -1 : this.relation > other.relation ? 1 : 0;
  }
}

export class SelectVersionSelector extends Selector {
  readonly shortName = "SelectVersion";
  private readonly selections: ReadonlyArray<{ key: VersionRelation; choice: Choice }>;

  constructor(parameters: readonly string[], selections: ReadonlyArray<[PyValue, Choice]>) {
    super(parameters);
    this.selections = selections
      .map(([key, choice]) => ({ key: new VersionRelation(pyStr(key)), choice }))
      .sort((a, b) => a.key.compare(b.key));
  }

  choose(header: Header): Result {
    const name = this.parameters[0];
    const value = requireValue(header, name);
    if (value.replaceAll("=", "").trim() !== "default") validateNumber(this.shortName, name, value);
    const version = new VersionRelation(value);
    let index = 0;
    while (index < this.selections.length && this.selections[index].key.compare(version) < 0) index++;
    if (index === this.selections.length) throw new PythonError("IndexError", "list index out of range");
    return chooseSingle(this.selections[index].choice, header);
  }

  leafNames(): string[] {
    return this.selections.flatMap((s) => leafNamesOf(s.choice));
  }
}
