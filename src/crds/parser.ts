/**
 * Parser for CRDS mapping files: restricted Python with top-level assignments to `header`, `comment`
 * and `selector`, whose values are literals and selector calls such as UseAfter({...}).
 */
import { MappingFormatError, MappingSyntaxError } from "./errors.js";
import { PyCall, PyDict, PyList, PyNumber, PyTuple, type PyValue } from "./python-values.js";
import { lex, SourceError, type Token } from "./tokenizer.js";

export const SELECTOR_NAMES: ReadonlySet<string> = new Set([
  "Match",
  "UseAfter",
  "VersionAfter",
  "SelectVersion",
  "ClosestTime",
  "GeometricallyNearest",
  "Bracket",
]);
const ASSIGNABLE = new Set(["header", "selector", "comment"]);

export interface ParsedMapping {
  header: PyDict;
  selector: PyValue;
  comment?: string;
}

/** Parses mapping source text; errors name `file` with line and column. */
export function parseMapping(text: string, file: string): ParsedMapping {
  const assigned = withLocation(file, () => parseStatements(lex(text)));
  const header = assigned.get("header");
  const selector = assigned.get("selector");
  if (!(header instanceof PyDict)) {
    throw new MappingFormatError(`${file}: 'header' must be assigned a dict`);
  }
  if (selector === undefined) throw new MappingFormatError(`${file}: 'selector' is not assigned`);
  if (!(selector instanceof PyDict) && !(selector instanceof PyCall)) {
    throw new MappingFormatError(`${file}: selector must be a dict or a Selector`);
  }
  const comment = assigned.get("comment");
  return { header, selector, comment: typeof comment === "string" ? comment : undefined };
}

/** Parses one Python literal expression (e.g. a cached server_config written by pprint). */
export function parsePythonLiteral(text: string, file: string): PyValue {
  return withLocation(file, () => {
    const stream = new TokenStream(lex(text));
    stream.skipNewlines();
    const value = parseValue(stream);
    stream.skipNewlines();
    stream.expectKind("eof");
    return value;
  });
}

function withLocation<T>(file: string, body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (error instanceof SourceError) throw new MappingSyntaxError(file, error.line, error.column, error.detail);
    throw error;
  }
}

function parseStatements(tokens: Iterator<Token>): Map<string, PyValue> {
  const stream = new TokenStream(tokens);
  const assigned = new Map<string, PyValue>();
  stream.skipNewlines();
  while (stream.peek().kind !== "eof") {
    const target = stream.next();
    if (target.kind !== "name") throw at(target, "expected an assignment to header, comment or selector");
    if (!ASSIGNABLE.has(target.text)) {
      throw at(target, `only assignments to header, comment and selector are allowed, not '${target.text}'`);
    }
    stream.expectOp("=");
    assigned.set(target.text, parseValue(stream));
    const end = stream.next();
    if (end.kind !== "newline" && end.kind !== "eof" && !(end.kind === "op" && end.text === ";")) {
      throw at(end, `unexpected ${describe(end)} after the value of '${target.text}'`);
    }
    stream.skipNewlines();
  }
  return assigned;
}

function parseValue(stream: TokenStream): PyValue {
  const token = stream.next();
  switch (token.kind) {
    case "string": {
      if (token.bytes) throw at(token, "bytes literals are not allowed in mappings");
      let text = token.text;
      while (stream.peek().kind === "string") {
        const more = stream.next();
        if (more.bytes) throw at(more, "bytes literals are not allowed in mappings");
        text += more.text;
      }
      return text;
    }
    case "number":
      return parseNumber(token);
    case "name":
      return parseName(token, stream);
    case "op":
      return parseBracketed(token, stream);
    default:
      throw at(token, `expected a value, found ${describe(token)}`);
  }
}

function parseNumber(token: Token): PyNumber {
  const text = token.text.replace(/_/g, "");
  if (/^0[xXoObB]/.test(text)) {
    const value = BigInt(text.toLowerCase());
    return new PyNumber(Number(value), value);
  }
  if (/^\d+$/.test(text)) {
    if (/^0+[1-9]/.test(text)) throw at(token, "leading zeros in decimal integer literals are not permitted");
    return new PyNumber(Number(text), BigInt(text));
  }
  return new PyNumber(Number(text));
}

function parseName(token: Token, stream: TokenStream): PyValue {
  if (token.text === "True") return true;
  if (token.text === "False") return false;
  if (token.text === "None") return null;
  if (!SELECTOR_NAMES.has(token.text)) throw at(token, `name '${token.text}' is not allowed in mappings`);
  stream.expectOp("(");
  const open = stream.peek();
  const argument = parseValue(stream);
  if (!(argument instanceof PyDict)) throw at(open, `${token.text}() takes one dict argument`);
  if (stream.peekOp(",")) stream.next();
  stream.expectOp(")");
  return new PyCall(token.text, argument, { line: token.line, column: token.column });
}

function parseBracketed(token: Token, stream: TokenStream): PyValue {
  if (token.text === "-" || token.text === "+") {
    const operand = parseValue(stream);
    if (!(operand instanceof PyNumber)) throw at(token, `unary ${token.text} applies only to numbers`);
    if (token.text === "+") return operand;
    return new PyNumber(-operand.value, operand.int === undefined ? undefined : -operand.int);
  }
  if (token.text === "(") {
    if (stream.peekOp(")")) {
      stream.next();
      return new PyTuple([]);
    }
    const first = parseValue(stream);
    if (stream.peekOp(")")) {
      stream.next();
      return first;
    }
    stream.expectOp(",");
    return new PyTuple([first, ...parseItems(stream, ")")]);
  }
  if (token.text === "[") return new PyList(parseItems(stream, "]"));
  if (token.text === "{") return parseDict(stream);
  throw at(token, `unexpected ${describe(token)}`);
}

function parseItems(stream: TokenStream, close: string): PyValue[] {
  const items: PyValue[] = [];
  while (!stream.peekOp(close)) {
    items.push(parseValue(stream));
    if (stream.peekOp(close)) break;
    stream.expectOp(",");
  }
  stream.next();
  return items;
}

function parseDict(stream: TokenStream): PyDict {
  const dict = new PyDict();
  while (!stream.peekOp("}")) {
    const keyToken = stream.peek();
    const key = parseValue(stream);
    if (key instanceof PyList || key instanceof PyDict || key instanceof PyCall) {
      throw at(keyToken, "dict keys must be strings, numbers or tuples");
    }
    stream.expectOp(":");
    dict.set(key, parseValue(stream), { line: keyToken.line, column: keyToken.column });
    if (stream.peekOp("}")) break;
    stream.expectOp(",");
  }
  stream.next();
  return dict;
}

function describe(token: Token): string {
  if (token.kind === "eof") return "end of file";
  if (token.kind === "newline") return "end of line";
  if (token.kind === "string") return "string";
  return `'${token.text}'`;
}

function at(token: Token, detail: string): SourceError {
  return new SourceError(token.line, token.column, detail);
}

class TokenStream {
  private current: Token;
  constructor(private readonly tokens: Iterator<Token>) {
    this.current = this.pull();
  }
  private pull(): Token {
    const step = this.tokens.next();
    if (step.done) throw new SourceError(0, 0, "token stream ended unexpectedly");
    return step.value;
  }
  peek(): Token {
    return this.current;
  }
  next(): Token {
    const token = this.current;
    if (token.kind !== "eof") this.current = this.pull();
    return token;
  }
  peekOp(op: string): boolean {
    const token = this.current;
    return token.kind === "op" && token.text === op;
  }
  expectOp(op: string): void {
    const token = this.next();
    if (token.kind !== "op" || token.text !== op) throw at(token, `expected '${op}', found ${describe(token)}`);
  }
  expectKind(kind: Token["kind"]): void {
    const token = this.next();
    if (token.kind !== kind) throw at(token, `unexpected ${describe(token)}`);
  }
  skipNewlines(): void {
    while (this.current.kind === "newline") this.next();
  }
}
