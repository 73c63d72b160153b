/** Values of the restricted Python literal language used by CRDS mappings and server_config files. */
import { PythonError } from "./errors.js";
import { pythonFloatRepr, pythonStrRepr } from "./python-format.js";

export class PyNumber {
  constructor(
    readonly value: number,
    /** Exact value of an int literal (Python ints are unbounded). */
    readonly int?: bigint,
  ) {}
  get isInt(): boolean {
    return this.int !== undefined;
  }
  /** Python str() of the number. */
  toString(): string {
    return this.int !== undefined ? this.int.toString() : pythonFloatRepr(this.value);
  }
}

export class PyTuple {
  constructor(readonly items: readonly PyValue[]) {}
}

export class PyList {
  constructor(readonly items: readonly PyValue[]) {}
}

export interface SourcePosition {
  line: number;
  column: number;
}

export interface DuplicateKey {
  key: PyValue;
  first: SourcePosition;
  again: SourcePosition;
}

/** A dict with Python semantics: a repeated key keeps its first position and its last value. */
export class PyDict {
  readonly entries: Array<[PyValue, PyValue]> = [];
  readonly duplicates: DuplicateKey[] = [];
  private readonly index = new Map<string, number>();
  private readonly positions: SourcePosition[] = [];

  set(key: PyValue, value: PyValue, at: SourcePosition = { line: 0, column: 0 }): void {
    const id = hashKey(key);
    const existing = this.index.get(id);
    if (existing === undefined) {
      this.index.set(id, this.entries.length);
      this.entries.push([key, value]);
      this.positions.push(at);
    } else {
      this.entries[existing][1] = value;
      this.duplicates.push({ key, first: this.positions[existing], again: at });
    }
  }

  get(key: PyValue): PyValue | undefined {
    const i = this.index.get(hashKey(key));
    return i === undefined ? undefined : this.entries[i][1];
  }

  has(key: PyValue): boolean {
    return this.index.has(hashKey(key));
  }
}

export class PyCall {
  constructor(
    readonly name: string,
    readonly argument: PyDict,
    readonly at: SourcePosition,
  ) {}
}

export type PyValue = string | PyNumber | boolean | null | PyTuple | PyList | PyDict | PyCall;

/** Identity of a value as a dict key: equal Python keys (1, 1.0, True) get equal identities. */
export function hashKey(key: PyValue): string {
  if (typeof key === "string") return `s${key}`;
  if (typeof key === "boolean") return `n${key ? 1 : 0}`;
  if (key === null) return "N";
  if (key instanceof PyNumber) return `n${key.value}`;
  if (key instanceof PyTuple) return `t(${key.items.map(hashKey).join(",")})`;
  const typeName = key instanceof PyList ? "list" : key instanceof PyDict ? "dict" : "call";
  throw new PythonError("TypeError", `unhashable type: '${typeName}'`);
}

/** Python str() of a scalar value (strings unchanged, True -> 'True', 2.0 -> '2.0'). */
export function pyStr(value: PyValue): string {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "True" : "False";
  if (value === null) return "None";
  if (value instanceof PyNumber) return value.toString();
  if (value instanceof PyTuple) {
    const inner = value.items.map(pyRepr);
    return inner.length === 1 ? `(${inner[0]},)` : `(${inner.join(", ")})`;
  }
  if (value instanceof PyList) return `[${value.items.map(pyRepr).join(", ")}]`;
  if (value instanceof PyDict) return `{${value.entries.map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(", ")}}`;
  return `${value.name}(${pyStr(value.argument)})`;
}

/** Python repr() of a value. */
export function pyRepr(value: PyValue): string {
  if (typeof value === "string") return pythonStrRepr(value);
  return pyStr(value);
}

/** Converts a literal to plain JSON-like data (dict keys become their str()). */
export function toPlain(value: PyValue): unknown {
  if (value instanceof PyNumber) return value.value;
  if (value instanceof PyTuple || value instanceof PyList) return value.items.map(toPlain);
  if (value instanceof PyDict) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value.entries) out[pyStr(k)] = toPlain(v);
    return out;
  }
  if (value instanceof PyCall) return { [value.name]: toPlain(value.argument) };
  return value;
}
