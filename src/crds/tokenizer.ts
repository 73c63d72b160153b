/** Tokenizer for the restricted Python used by CRDS mappings, header expressions and server_config files. */

export type TokenKind = "name" | "number" | "string" | "op" | "newline" | "eof";

export interface Token {
  kind: TokenKind;
  /** Source text for names, numbers and operators; the decoded value for strings. */
  text: string;
  line: number;
  column: number;
  /** Strings only: true for b'' literals. */
  bytes?: boolean;
}

/** Thrown by the tokenizer and parsers; callers turn it into a MappingSyntaxError naming the file. */
export class SourceError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${line}:${column}: ${detail}`);
  }
}

const THREE_CHAR_OPS = new Set(["**=", "//=", ">>=", "<<=", "..."]);
const TWO_CHAR_OPS = new Set(["==", "!=", "<=", ">=", "**", "//", "->", ":=", "<<", ">>", "+=", "-=", "*=", "/="]);
const ONE_CHAR_OPS = "()[]{},:=.-+*/%<>~;@|&^";
const SIMPLE_ESCAPES: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

function isNameStart(ch: string): boolean {
  return /[A-Za-z_\p{L}]/u.test(ch);
}
function isNameChar(ch: string): boolean {
  return /[A-Za-z0-9_\p{L}\p{N}]/u.test(ch);
}
function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "9";
}

/** All tokens of `source` (used for short expressions). */
export function tokenize(source: string): Token[] {
  return [...lex(source)];
}

/** Tokens produced on demand, so large mappings never hold a token array. */
export function* lex(source: string): Generator<Token, void, undefined> {
  let lastKind: TokenKind | undefined;
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  let depth = 0;
  const col = (at: number) => at - lineStart + 1;
  const fail = (at: number, detail: string): never => {
    throw new SourceError(line, col(at), detail);
  };

  while (pos < source.length) {
    const ch = source[pos];
    if (ch === " " || ch === "\t") {
      pos++;
      continue;
    }
    const fast = fastToken(source, pos);
    if (fast !== undefined) {
      if (fast.kind !== "space") {
        if (fast.kind === "op") {
          if ("([{".includes(fast.text)) depth++;
          else if (")]}".includes(fast.text)) depth = Math.max(0, depth - 1);
        }
        {
          const token: Token = { kind: fast.kind, text: fast.text, line, column: col(pos) };
          lastKind = token.kind;
          yield token;
        }
      }
      pos = fast.end;
      continue;
    }
    if (ch === "\n") {
      if (depth === 0 && lastKind !== undefined && lastKind !== "newline") {
        lastKind = "newline";
        yield { kind: "newline", text: "\n", line, column: col(pos) };
      }
      pos++;
      line++;
      lineStart = pos;
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\f" || ch === "\r") {
      pos++;
      continue;
    }
    if (ch === "#") {
      while (pos < source.length && source[pos] !== "\n") pos++;
      continue;
    }
    if (ch === "\\") {
      if (source[pos + 1] === "\n") {
        pos += 2;
        line++;
        lineStart = pos;
        continue;
      }
      fail(pos, "unexpected character after line continuation character");
    }
    const prefix = /^([rRbBuU]|[rR][bB]|[bB][rR])?('''|"""|'|")/.exec(source.slice(pos, pos + 5));
    if (prefix && (prefix[1] === undefined || !isNameChar(source[pos - 1] ?? " "))) {
      const startLine = line;
      const startCol = col(pos);
      const flags = (prefix[1] ?? "").toLowerCase();
      const quote = prefix[2];
      pos += prefix[0].length;
      const raw = flags.includes("r");
      let value = "";
      for (;;) {
        if (pos >= source.length) {
          throw new SourceError(startLine, startCol, "unterminated string literal");
        }
        if (source.startsWith(quote, pos)) {
          pos += quote.length;
          break;
        }
        const c = source[pos];
        if (c === "\n") {
          if (quote.length === 1) throw new SourceError(startLine, startCol, "unterminated string literal");
          value += c;
          pos++;
          line++;
          lineStart = pos;
          continue;
        }
        if (c === "\\") {
          const next = source[pos + 1];
          if (next === undefined) throw new SourceError(startLine, startCol, "unterminated string literal");
          if (next === "\n") {
            if (raw) value += "\\\n";
            pos += 2;
            line++;
            lineStart = pos;
            continue;
          }
          if (raw) {
            value += c + next;
            pos += 2;
            continue;
          }
          const decoded = decodeEscape(source, pos, fail);
          value += decoded.text;
          pos = decoded.end;
          continue;
        }
        value += c;
        pos++;
      }
      {
        const token: Token = {
          kind: "string",
          text: value,
          line: startLine,
          column: startCol,
          bytes: flags.includes("b"),
        };
        lastKind = token.kind;
        yield token;
      }
      continue;
    }
    if (isDigit(ch) || (ch === "." && isDigit(source[pos + 1]))) {
      const start = pos;
      const radix = /^0[xXoObB]/.test(source.slice(pos, pos + 2));
      if (radix) {
        pos += 2;
        while (pos < source.length && /[0-9a-fA-F_]/.test(source[pos])) pos++;
      } else {
        while (isDigit(source[pos]) || source[pos] === "_") pos++;
        if (source[pos] === ".") {
          pos++;
          while (isDigit(source[pos]) || source[pos] === "_") pos++;
        }
        if (/[eE]/.test(source[pos] ?? "") && /[+-]?\d/.test(source.slice(pos + 1, pos + 3))) {
          pos += 2;
          while (isDigit(source[pos]) || source[pos] === "_") pos++;
        }
      }
      if (/[jJ]/.test(source[pos] ?? "")) fail(start, "complex numbers are not allowed in mappings");
      if (pos < source.length && isNameChar(source[pos])) fail(start, "invalid decimal literal");
      {
        const token: Token = { kind: "number", text: source.slice(start, pos), line, column: col(start) };
        lastKind = token.kind;
        yield token;
      }
      continue;
    }
    if (isNameStart(ch)) {
      const start = pos;
      while (pos < source.length && isNameChar(source[pos])) pos++;
      {
        const token: Token = { kind: "name", text: source.slice(start, pos), line, column: col(start) };
        lastKind = token.kind;
        yield token;
      }
      continue;
    }
    const three = source.slice(pos, pos + 3);
    const two = source.slice(pos, pos + 2);
    const op = THREE_CHAR_OPS.has(three) ? three : TWO_CHAR_OPS.has(two) ? two : ONE_CHAR_OPS.includes(ch) ? ch : "";
    if (op === "") fail(pos, `invalid character ${JSON.stringify(ch)}`);
    if ("([{".includes(op)) depth++;
    if (")]}".includes(op)) depth = Math.max(0, depth - 1);
    {
      const token: Token = { kind: "op", text: op, line, column: col(pos) };
      lastKind = token.kind;
      yield token;
    }
    pos += op.length;
  }
  if (depth === 0 && lastKind !== undefined && lastKind !== "newline") {
    yield { kind: "newline", text: "\n", line, column: col(pos) };
  }
  yield { kind: "eof", text: "", line, column: col(pos) };
}

function decodeEscape(
  source: string,
  pos: number,
  fail: (at: number, detail: string) => never,
): { text: string; end: number } {
  const next = source[pos + 1];
  if (next in SIMPLE_ESCAPES) return { text: SIMPLE_ESCAPES[next], end: pos + 2 };
  if (/[0-7]/.test(next)) {
    const octal = /^[0-7]{1,3}/.exec(source.slice(pos + 1, pos + 4))![0];
    return { text: String.fromCodePoint(Number.parseInt(octal, 8)), end: pos + 1 + octal.length };
  }
  const hexLength = next === "x" ? 2 : next === "u" ? 4 : next === "U" ? 8 : 0;
  if (hexLength > 0) {
    const hex = source.slice(pos + 2, pos + 2 + hexLength);
    if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(hex)) fail(pos, `truncated \\${next} escape`);
    const code = Number.parseInt(hex, 16);
    if (code > 0x10ffff) fail(pos, `illegal Unicode character in \\${next} escape`);
    return { text: String.fromCodePoint(code), end: pos + 2 + hexLength };
  }
  if (next === "N") fail(pos, "\\N{...} escapes are not supported in mappings");
  return { text: `\\${next}`, end: pos + 2 };
}

const SPACE_RE = /[ \t\f\r]+|#[^\n]*/y;
const NAME_RE = /[A-Za-z_][A-Za-z0-9_]*(?![^\x00-\x7f])/y;
const SIMPLE_STRING_RE = /'([^'\\\n]*)'|"([^"\\\n]*)"/y;
const NUMBER_RE = /(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?(?![\w.])/y;
const OP_RE = /==|!=|<=|>=|[()[\]{},:=.\-+<>]/y;

function matchAt(regex: RegExp, source: string, pos: number): RegExpExecArray | null {
  regex.lastIndex = pos;
  return regex.exec(source);
}

/** Regex fast paths for the common tokens; undefined sends the caller to the general scanner. */
function fastToken(source: string, pos: number): { kind: TokenKind | "space"; text: string; end: number } | undefined {
  const ch = source[pos];
  if (ch === " " || ch === "\t" || ch === "\r" || ch === "\f" || ch === "#") {
    const m = matchAt(SPACE_RE, source, pos);
    return m ? { kind: "space", text: "", end: pos + m[0].length } : undefined;
  }
  if (ch === "'" || ch === '"') {
    if (source.startsWith(ch.repeat(3), pos)) return undefined;
    // the common case, a quoted string without escapes or line breaks, without a regex
    const close = source.indexOf(ch, pos + 1);
    if (close > pos) {
      const text = source.slice(pos + 1, close);
      if (!text.includes("\\") && !text.includes("\n")) return { kind: "string", text, end: close + 1 };
    }
    const m = matchAt(SIMPLE_STRING_RE, source, pos);
    return m ? { kind: "string", text: m[1] ?? m[2], end: pos + m[0].length } : undefined;
  }
  if ((ch >= "a" && ch <= "z") || (ch >= "A" && ch <= "Z") || ch === "_") {
    if (source[pos + 1] === "'" || source[pos + 1] === '"' || source[pos + 2] === "'" || source[pos + 2] === '"') {
      return undefined;
    }
    const m = matchAt(NAME_RE, source, pos);
    return m ? { kind: "name", text: m[0], end: pos + m[0].length } : undefined;
  }
  if ((ch >= "0" && ch <= "9") || ch === ".") {
    if (source[pos + 1] === "x" || source[pos + 1] === "o" || source[pos + 1] === "b") return undefined;
    const m = matchAt(NUMBER_RE, source, pos);
    if (m) return { kind: "number", text: m[0], end: pos + m[0].length };
  }
  const m = matchAt(OP_RE, source, pos);
  return m ? { kind: "op", text: m[0], end: pos + m[0].length } : undefined;
}
