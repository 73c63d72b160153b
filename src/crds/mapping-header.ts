/** A mapping's header dict read through the client's LowerCaseDict rule. */
import { PyDict, PyList, PyTuple, type PyValue, pyStr } from "./python-values.js";

export class MappingHeader {
  constructor(readonly dict: PyDict) {}

  has(key: string): boolean {
    return this.dict.has(key);
  }

  /** The value as the client reads it: strings lower-cased unless they are '(...)' expressions. */
  get(key: string): PyValue | undefined {
    const value = this.dict.get(key);
    if (typeof value === "string" && !(value.startsWith("(") && value.endsWith(")"))) return value.toLowerCase();
    return value;
  }

  /** The value as written in the file. */
  raw(key: string): PyValue | undefined {
    return this.dict.get(key);
  }

  /** str() of the (lower-cased) value, or `fallback` when absent. */
  text(key: string, fallback: string): string {
    const value = this.get(key);
    return value === undefined ? fallback : pyStr(value);
  }

  /** Items of a tuple/list value as strings (e.g. extra_keys); [] when absent. */
  names(key: string): string[] {
    const value = this.get(key);
    if (value instanceof PyTuple || value instanceof PyList) return value.items.map(pyStr);
    return value === undefined ? [] : [...pyStr(value)];
  }

  /** A nested dict value (hooks, substitutions, parkey_relevance), if present. */
  dictionary(key: string): PyDict | undefined {
    const value = this.get(key);
    return value instanceof PyDict ? value : undefined;
  }
}
