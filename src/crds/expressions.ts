/**
 * The Python expression subset of rmap header fields (rmap_relevance, rmap_omit, parkey_relevance):
 * names bound to header values, string/number literals, lists and tuples, comparisons, `in`, `and/or/not`.
 */
import { PythonError } from "./errors.js";
import { SourceError, type Token, tokenize } from "./tokenizer.js";

export type ExprValue = string | number | boolean | null | readonly ExprValue[];
export type ExprEnv = Readonly<Record<string, ExprValue>>;
export type CompiledExpression = (env: ExprEnv) => ExprValue;

/** Compiles `source`; throws SourceError for syntax outside the supported subset. */
export function compileExpression(source: string): CompiledExpression {
  const parser = new ExpressionParser(tokenize(source.trim()));
  const expr = parser.test();
  parser.expectEnd();
  return expr;
}

export function truthy(value: ExprValue): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}

function typeName(value: ExprValue): string {
  if (typeof value === "string") return "str";
  if (typeof value === "boolean") return "bool";
  if (value === null) return "NoneType";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  return "list";
}

function equal(a: ExprValue, b: ExprValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (typeof a === "boolean" || typeof b === "boolean") {
    const numeric = (v: ExprValue) => typeof v === "number" || typeof v === "boolean";
    return numeric(a) && numeric(b) && Number(a) === Number(b);
  }
  return a === b;
}

function less(a: ExprValue, b: ExprValue, op: string): boolean {
  const numeric = (v: ExprValue) => typeof v === "number" || typeof v === "boolean";
  if ((typeof a === "string" && typeof b === "string") || (numeric(a) && numeric(b))) {
    return (a as number | string) < (b as number | string);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!equal(a[i], b[i])) return less(a[i], b[i], op);
    }
    return a.length < b.length;
  }
  throw new PythonError(
    "TypeError",
    `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`,
  );
}

function compare(op: string, a: ExprValue, b: ExprValue): boolean {
  switch (op) {
    case "==":
      return equal(a, b);
    case "!=":
      return !equal(a, b);
    case "<":
      return less(a, b, op);
    case ">":
      return less(b, a, op);
    case "<=":
      return less(a, b, op) || equal(a, b);
    case ">=":
      return less(b, a, op) || equal(a, b);
    case "in":
    case "not in": {
      let found: boolean;
      if (Array.isArray(b)) found = b.some((item) => equal(a, item));
      else if (typeof b === "string") {
        if (typeof a !== "string") {
          throw new PythonError("TypeError", `'in <string>' requires string as left operand, not ${typeName(a)}`);
        }
        found = b.includes(a);
      } else throw new PythonError("TypeError", `argument of type '${typeName(b)}' is not iterable`);
      return op === "in" ? found : !found;
    }
    case "is":
      return a === b;
    default:
      return a !== b;
  }
}

function arithmetic(op: string, a: ExprValue, b: ExprValue): ExprValue {
  if (op === "+" && typeof a === "string" && typeof b === "string") return a + b;
  if (op === "+" && Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (typeof a === "number" && typeof b === "number") {
    if (op === "+") return a + b;
    if (op === "-") return a - b;
    if (op === "*") return a * b;
    if (b === 0) throw new PythonError("ZeroDivisionError", "division by zero");
    return op === "/" ? a / b : a - Math.floor(a / b) * b;
  }
  throw new PythonError("TypeError", `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

const COMPARISONS = new Set(["==", "!=", "<", ">", "<=", ">="]);

class ExpressionParser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos];
  }
  private isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === "op" && t.text === text;
  }
  private isKeyword(text: string): boolean {
    const t = this.peek();
    return t.kind === "name" && t.text === text;
  }
  private fail(detail: string): never {
    const t = this.peek();
    throw new SourceError(t.line, t.column, detail);
  }
  private expectOp(text: string): void {
    if (!this.isOp(text)) this.fail(`expected '${text}'`);
    this.pos++;
  }
  expectEnd(): void {
    while (this.peek().kind === "newline") this.pos++;
    if (this.peek().kind !== "eof") this.fail("invalid syntax");
  }

  test(): CompiledExpression {
    const body = this.orTest();
    if (!this.isKeyword("if")) return body;
    this.pos++;
    const condition = this.orTest();
    if (!this.isKeyword("else")) this.fail("expected 'else'");
    this.pos++;
    const otherwise = this.test();
    return (env) => (truthy(condition(env)) ? body(env) : otherwise(env));
  }

  private orTest(): CompiledExpression {
    let left = this.andTest();
    while (this.isKeyword("or")) {
      this.pos++;
      const a = left;
      const b = this.andTest();
      left = (env) => {
        const value = a(env);
        return truthy(value) ? value : b(env);
      };
    }
    return left;
  }

  private andTest(): CompiledExpression {
    let left = this.notTest();
    while (this.isKeyword("and")) {
      this.pos++;
      const a = left;
      const b = this.notTest();
      left = (env) => {
        const value = a(env);
        return truthy(value) ? b(env) : value;
      };
    }
    return left;
  }

  private notTest(): CompiledExpression {
    if (this.isKeyword("not")) {
      this.pos++;
      const operand = this.notTest();
      return (env) => !truthy(operand(env));
    }
    return this.comparison();
  }

  private comparisonOperator(): string | undefined {
    const t = this.peek();
    if (t.kind === "op" && COMPARISONS.has(t.text)) {
      this.pos++;
      return t.text;
    }
    if (this.isKeyword("in")) {
      this.pos++;
      return "in";
    }
    if (this.isKeyword("not") && this.tokens[this.pos + 1]?.text === "in") {
      this.pos += 2;
      return "not in";
    }
    if (this.isKeyword("is")) {
      this.pos++;
      if (this.isKeyword("not")) {
        this.pos++;
        return "is not";
      }
      return "is";
    }
    return undefined;
  }

  private comparison(): CompiledExpression {
    const first = this.arith();
    const links: Array<[string, CompiledExpression]> = [];
    for (let op = this.comparisonOperator(); op !== undefined; op = this.comparisonOperator()) {
      links.push([op, this.arith()]);
    }
    if (links.length === 0) return first;
    return (env) => {
      let left = first(env);
      for (const [op, operand] of links) {
        const right = operand(env);
        if (!compare(op, left, right)) return false;
        left = right;
      }
      return true;
    };
  }

  private arith(): CompiledExpression {
    let left = this.term();
    while (this.isOp("+") || this.isOp("-")) {
      const op = this.tokens[this.pos++].text;
      const a = left;
      const b = this.term();
      left = (env) => arithmetic(op, a(env), b(env));
    }
    return left;
  }

  private term(): CompiledExpression {
    let left = this.factor();
    while (this.isOp("*") || this.isOp("/") || this.isOp("%")) {
      const op = this.tokens[this.pos++].text;
      const a = left;
      const b = this.factor();
      left = (env) => arithmetic(op, a(env), b(env));
    }
    return left;
  }

  private factor(): CompiledExpression {
    if (this.isOp("-") || this.isOp("+")) {
      const op = this.tokens[this.pos++].text;
      const operand = this.factor();
      return (env) => {
        const value = operand(env);
        if (typeof value !== "number" && typeof value !== "boolean") {
          throw new PythonError("TypeError", `bad operand type for unary ${op}: '${typeName(value)}'`);
        }
        return op === "-" ? -Number(value) : Number(value);
      };
    }
    return this.atom();
  }

  private atom(): CompiledExpression {
    const t = this.peek();
    if (t.kind === "string") {
      let text = "";
      while (this.peek().kind === "string") text += this.tokens[this.pos++].text;
      return () => text;
    }
    if (t.kind === "number") {
      this.pos++;
      const value = Number(t.text.replace(/_/g, ""));
      if (Number.isNaN(value)) this.fail("unsupported number literal");
      return () => value;
    }
    if (t.kind === "name") {
      this.pos++;
      if (t.text === "True") return () => true;
      if (t.text === "False") return () => false;
      if (t.text === "None") return () => null;
      if (["and", "or", "not", "in", "is", "if", "else", "lambda"].includes(t.text)) this.fail("invalid syntax");
      if (this.isOp("(") || this.isOp(".") || this.isOp("["))
        this.fail("calls, attributes and subscripts are not allowed");
      const name = t.text;
      return (env) => {
        if (Object.hasOwn(env, name)) return env[name];
        throw new PythonError("NameError", `name '${name}' is not defined`);
      };
    }
    if (this.isOp("(") || this.isOp("[")) {
      const close = t.text === "(" ? ")" : "]";
      this.pos++;
      const items: CompiledExpression[] = [];
      let sawComma = false;
      while (!this.isOp(close)) {
        items.push(this.test());
        if (this.isOp(close)) break;
        this.expectOp(",");
        sawComma = true;
      }
      this.pos++;
      if (close === ")" && items.length === 1 && !sawComma) return items[0];
      return (env) => items.map((item) => item(env));
    }
    return this.fail("invalid syntax");
  }
}
