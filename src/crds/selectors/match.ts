/** MatchSelector: winnowing match of dataset values against tuples of key elements, with weights. */
import { conditionValue } from "../conditioning.js";
import {
  AmbiguousMatchError,
  CrdsLookupError,
  MappingFormatError,
  MatchingError,
  PythonError,
  ValidationError,
} from "../errors.js";
import { pythonFloat, pythonFloatRepr, pythonStrRepr, pythonStrSeqRepr, unpackError } from "../python-format.js";
import { hashKey, PyDict, PyList, PyTuple, type PyValue, pyStr } from "../python-values.js";
import { esotericKey, globList, type Matcher, matcher } from "./matchers.js";
import {
  type Choice,
  checkDefined,
  compareStrings,
  type Header,
  type Leaf,
  leafNamesOf,
  type Result,
  Selector,
} from "./selector.js";

export interface MatchOptions {
  /** rmap header `substitutions` merged over the defaults: {PARKEY: {META_VALUE: replacement}}. */
  substitutions: ReadonlyMap<string, PyDict>;
  /** rmap header `merge_overlaps` (default true). */
  mergeOverlaps: boolean;
}

interface ValueList {
  sorted: readonly string[];
  set: ReadonlySet<string>;
}

interface MatchEntry {
  key: readonly string[];
  matchers: readonly Matcher[];
  choice: Choice;
}

const matcherCache = new Map<string, Matcher>();
function cachedMatcher(key: string): Matcher {
  let found = matcherCache.get(key);
  if (found === undefined) {
    found = matcher(key);
    matcherCache.set(key, found);
  }
  return found;
}

/** MatchSelector.condition_key_element. */
export function conditionKeyElement(element: PyValue): string {
  if (typeof element === "string") {
    if ((element.startsWith("{") && element.endsWith("}")) || (element.startsWith("(") && element.endsWith(")"))) {
      return element;
    }
    if (element.includes("|")) return globList(element).map(conditionValue).join("|");
    return conditionValue(globList(element).join("|"));
  }
  if (element instanceof PyTuple || element instanceof PyList) return element.items.map(conditionValue).join("|");
  return conditionValue(element);
}

export class MatchSelector extends Selector {
  readonly shortName = "Match";
  private readonly entries: readonly MatchEntry[];
  private readonly valueLists = new Map<string, ValueList>();
  private readonly substitutions: ReadonlyMap<string, PyDict>;
  private readonly mergeOverlaps: boolean;
  private readonly mergeCache = new Map<string, Selector>();

  constructor(parameters: readonly string[], selections: ReadonlyArray<[PyValue, Choice]>, options: MatchOptions) {
    super(parameters);
    this.substitutions = options.substitutions;
    this.mergeOverlaps = options.mergeOverlaps;
    const substituted = this.substitute(selections);
    const seen = new Map<string, PyValue>();
    const entries: Array<MatchEntry & { id: string }> = [];
    for (const [rawKey, choice] of substituted) {
      const key = rawKey instanceof PyTuple ? rawKey.items.map(conditionKeyElement) : [conditionKeyElement(rawKey)];
      const id = key.join("\u0000");
      if (seen.has(id)) {
        throw new MappingFormatError(`Key ${pythonStrSeqRepr(key, true)} appears more than once`);
      }
      seen.set(id, rawKey);
      entries.push({ key, id, matchers: key.map(cachedMatcher), choice });
    }
    // Joining with NUL (lower than any character) makes string order equal Python's tuple order.
    entries.sort((a, b) => compareStrings(a.id, b.id));
    this.entries = entries;
    this.buildValueLists();
  }

  /** Selector.do_substitutions: replace meta-values of parameters with their substitution (order is irrelevant). */
  private substitute(selections: ReadonlyArray<[PyValue, Choice]>): ReadonlyArray<[PyValue, Choice]> {
    if (!this.parameters.some((name) => this.substitutions.has(name))) return selections;
    const current = new Map<string, [PyValue, Choice]>();
    for (const [key, choice] of selections) current.set(hashKey(key), [key, choice]);
    for (const [which, keyword] of this.parameters.entries()) {
      const table = this.substitutions.get(keyword);
      if (table === undefined) continue;
      for (const [id, [key]] of [...current]) {
        const replaced = this.replacement(key, which, table);
        if (replaced === undefined) continue;
        const [, choice] = current.get(id)!;
        current.delete(id);
        current.set(hashKey(replaced), [replaced, choice]);
      }
    }
    return [...current.values()];
  }

  private replacement(key: PyValue, which: number, table: PyDict): PyValue | undefined {
    const lookup = (value: PyValue): PyValue | undefined => {
      if (value instanceof PyList || value instanceof PyDict) return undefined;
      const found = table.get(value);
      return found instanceof PyList ? new PyTuple(found.items) : found;
    };
    if (key instanceof PyTuple) {
      const found = lookup(key.items[which]);
      if (found === undefined) return undefined;
      const items = [...key.items];
      items[which] = found;
      return new PyTuple(items);
    }
    return lookup(key);
  }

  /** Selector.get_parkey_map: the sorted values of each parameter, [] when any key is esoteric. */
  private buildValueLists(): void {
    for (const [i, name] of this.parameters.entries()) {
      const values = new Set<string>();
      let esoteric = false;
      for (const entry of this.entries) {
        if (entry.key.length !== this.parameters.length) {
          throw new ValidationError(
            `Match key=${pythonStrSeqRepr(entry.key, true)} is wrong length for parameters ${pythonStrSeqRepr(this.parameters, true)}`,
          );
        }
        if (esotericKey(entry.key[i])) {
          esoteric = true;
          break;
        }
        for (const value of globList(entry.key[i])) values.add(value);
      }
      const sorted = esoteric ? [] : [...values].sort(compareStrings);
      this.valueLists.set(name, { sorted, set: new Set(sorted) });
    }
  }

  choose(header: Header): Result {
    checkDefined(this.shortName, this.parameters, (name) => this.valueLists.get(name)?.sorted, header);
    const values = this.parameters.map((name) => {
      const value = Object.hasOwn(header, name) ? header[name] : "UNDEFINED";
      this.validateValue(name, value, this.valueLists.get(name)!);
      return value;
    });
    const groups = new Map<number, MatchEntry[]>();
    for (const entry of this.entries) {
      let weight = 0;
      let matched = true;
      for (let i = 0; i < values.length; i++) {
        const status = entry.matchers[i].match(values[i]);
        if (status === -1) {
          matched = false;
          break;
        }
        weight -= status;
      }
      if (!matched) continue;
      const group = groups.get(weight);
      if (group === undefined) groups.set(weight, [entry]);
      else group.push(entry);
    }
    for (const weight of [...groups.keys()].sort((a, b) => a - b)) {
      const group = groups.get(weight)!;
      try {
        const choice = this.groupChoice(group);
        return choice instanceof Selector ? choice.choose(header) : choice;
      } catch (error) {
        if (error instanceof CrdsLookupError) continue;
        throw error;
      }
    }
    throw new MatchingError("No match found.");
  }

  private groupChoice(group: readonly MatchEntry[]): Selector | Result {
    if (group.length === 1) return group[0].choice;
    if (!this.mergeOverlaps) throw new AmbiguousMatchError("More than one match clause matched.");
    const first = group[0].choice;
    if (!(first instanceof Selector)) return group.map((entry) => entry.choice as Leaf);
    const id = group.map((entry) => this.entries.indexOf(entry)).join(",");
    let merged = this.mergeCache.get(id);
    if (merged === undefined) {
      merged = first;
      for (const entry of group.slice(1)) {
        if (!(entry.choice instanceof Selector)) {
          throw new PythonError("AttributeError", `'${typeof entry.choice}' object has no attribute 'merge'`);
        }
        merged = merged.merge(entry.choice);
      }
      this.mergeCache.set(id, merged);
    }
    return merged;
  }

  /** Selector._validate_value for runtime header values. */
  private validateValue(name: string, value: string, valid: ValueList): void {
    if (valid.set.has(value) || valid.set.has(conditionValue(value))) return;
    if (valid.set.has("*") || valid.set.has("ANY") || valid.set.has("N/A")) return;
    if (valid.sorted.length === 0) return;
    if (value.startsWith("NOT")) {
      this.validateValue(name, value.slice(3).trim(), valid);
      return;
    }
    if (esotericKey(value) || value === "*" || value === "ANY" || value === "N/A") return;
    if (value.toLowerCase().startsWith("between")) {
      const parts = value.trim().split(/\s+/);
      if (parts.length !== 3) throw unpackError(3, parts.length);
      this.validateValue(name, parts[1], valid);
      this.validateValue(name, parts[2], valid);
      return;
    }
    if (valid.sorted.length === 1 && valid.sorted[0].includes(":")) {
      const bounds = valid.sorted[0].split(":");
      if (bounds.length !== 2) throw unpackError(2, bounds.length);
      const [low, high] = bounds.map(pythonFloat);
      const number = pythonFloat(value);
      if (low <= number && number <= high) return;
      throw new ValidationError(
        ` parameter=${pythonStrRepr(name)} value =${pythonStrRepr(value)} is not in range [${pythonFloatRepr(low)} .. ${pythonFloatRepr(high)}]`,
      );
    }
    const substitution = this.substitutions.get(name)?.get(value);
    if (substitution !== undefined) {
      if (typeof substitution === "string") {
        this.validateValue(name, substitution, valid);
        return;
      }
      throw new PythonError("AttributeError", `'${pyStr(substitution)}' object has no attribute 'startswith'`);
    }
    throw new ValidationError(
      ` parameter=${pythonStrRepr(name)} value=${pythonStrRepr(value)} is not in ${pythonStrSeqRepr(valid.sorted)}`,
    );
  }

  /** The values each parameter takes in this selector's keys (sorted; empty when a key is esoteric). */
  parameterValues(): Map<string, readonly string[]> {
    return new Map([...this.valueLists].map(([name, list]) => [name, list.sorted]));
  }

  leafNames(): string[] {
    return this.entries.flatMap((entry) => leafNamesOf(entry.choice));
  }
}
