import { FitsError } from "./errors.js";

export const CARD_LENGTH = 80;

export interface Complex {
  re: number;
  im: number;
}

/** A keyword's value as read: integers beyond 2^53 come back as bigint. */
export type HeaderValue = string | number | bigint | boolean | Complex | null;

/**
 * What the card holds. `float` and `int` are kept apart so that 2.0 is written back as 2.0, not 2;
 * `undefined` is a keyword with an empty value field; `invalid` a value field that does not parse
 * (kept as text so the file can still be read and rewritten; typed getters refuse it).
 */
export type ValueKind = "string" | "int" | "float" | "bool" | "complex" | "undefined" | "invalid" | "commentary";

export interface Card {
  /** Upper-case keyword; "" for a blank card; for HIERARCH cards the words after HIERARCH. */
  keyword: string;
  value: HeaderValue;
  kind: ValueKind;
  /** The card's comment; for commentary cards (HISTORY, COMMENT, blank) the text. */
  comment: string;
  hierarch?: boolean;
  /** The 80-character images the card was read from (several with CONTINUE); dropped when the card changes. */
  images?: string[];
}

export const COMMENTARY_KEYWORDS = new Set(["COMMENT", "HISTORY", ""]);

const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[EeDd][+-]?\d+)?$/;

/** Parses one 80-character card image. Throws FitsError BAD_CARD only for non-ASCII text. */
export function parseCard(image: string): Card {
  for (let i = 0; i < image.length; i++) {
    const c = image.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) {
      throw new FitsError("BAD_CARD", `non-ASCII byte 0x${c.toString(16).padStart(2, "0")} at column ${i + 1}`);
    }
  }
  const name = image.slice(0, 8).trimEnd();
  const upper = name.toUpperCase();
  if (upper === "HIERARCH") return parseHierarch(image);
  if (COMMENTARY_KEYWORDS.has(upper) || image.slice(8, 10) !== "= ") {
    return { keyword: upper, value: null, kind: "commentary", comment: image.slice(8).trimEnd(), images: [image] };
  }
  const { value, kind, comment } = parseValueField(image.slice(10));
  return { keyword: upper, value, kind, comment, images: [image] };
}

function parseHierarch(image: string): Card {
  const eq = image.indexOf("=", 8);
  if (eq < 0) {
    return { keyword: "HIERARCH", value: null, kind: "commentary", comment: image.slice(8).trimEnd(), images: [image] };
  }
  const keyword = image.slice(9, eq).trim().replace(/\s+/g, " ").toUpperCase();
  const { value, kind, comment } = parseValueField(image.slice(eq + 1));
  return { keyword, value, kind, comment, hierarch: true, images: [image] };
}

interface ParsedValue {
  value: HeaderValue;
  kind: ValueKind;
  comment: string;
  /** For strings: the raw text between the quotes (with '' escapes still doubled). */
  rawString?: string;
}

/** Parses the value-and-comment field of a card (everything after "= "). */
export function parseValueField(field: string): ParsedValue {
  const start = field.length - field.trimStart().length;
  if (field[start] === "'") {
    let i = start + 1;
    let text = "";
    for (;;) {
      const q = field.indexOf("'", i);
      if (q < 0) return { value: field.slice(start), kind: "invalid", comment: "" };
      text += field.slice(i, q);
      if (field[q + 1] === "'") {
        text += "'";
        i = q + 2;
      } else {
        i = q + 1;
        break;
      }
    }
    const rest = field.slice(i);
    const comment = commentAfter(rest);
    if (comment === undefined) return { value: field.slice(start).trimEnd(), kind: "invalid", comment: "" };
    return { value: text.trimEnd(), kind: "string", comment, rawString: text };
  }
  const slash = field.indexOf("/");
  const valueText = (slash < 0 ? field : field.slice(0, slash)).trim();
  const comment = slash < 0 ? "" : field.slice(slash + 1).trim();
  if (valueText === "") return { value: null, kind: "undefined", comment };
  if (valueText === "T" || valueText === "F") return { value: valueText === "T", kind: "bool", comment };
  if (INT_RE.test(valueText)) return { value: parseInteger(valueText), kind: "int", comment };
  if (FLOAT_RE.test(valueText)) return { value: Number(valueText.replace(/[Dd]/, "E")), kind: "float", comment };
  const complex = /^\(\s*([^,]+?)\s*,\s*([^)]+?)\s*\)$/.exec(valueText);
  if (complex && isNumberText(complex[1]) && isNumberText(complex[2])) {
    return { value: { re: toNumber(complex[1]), im: toNumber(complex[2]) }, kind: "complex", comment };
  }
  return { value: valueText, kind: "invalid", comment };
}

function commentAfter(rest: string): string | undefined {
  const trimmed = rest.trim();
  if (trimmed === "") return "";
  if (trimmed.startsWith("/")) return trimmed.slice(1).trim();
  return undefined;
}

function isNumberText(s: string): boolean {
  return INT_RE.test(s) || FLOAT_RE.test(s);
}

function toNumber(s: string): number {
  return Number(s.replace(/[Dd]/, "E"));
}

function parseInteger(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

/** Formats a float so that it reads back to the same double: shortest digits, upper-case E, 2-digit exponent. */
export function formatFloat(x: number): string {
  if (Number.isNaN(x) || !Number.isFinite(x)) throw new FitsError("BAD_VALUE", `cannot write ${x} in a FITS header`);
  const s = x.toString();
  const e = s.indexOf("e");
  if (e < 0) return s.includes(".") ? s : `${s}.0`;
  let mantissa = s.slice(0, e);
  if (!mantissa.includes(".")) mantissa += ".0";
  const exp = Number(s.slice(e + 1));
  const sign = exp < 0 ? "-" : "+";
  return `${mantissa}E${sign}${String(Math.abs(exp)).padStart(2, "0")}`;
}

/** The text of a non-string value as it appears in a card. */
export function formatValue(value: HeaderValue, kind: ValueKind): string {
  if (value === null) return "";
  if (typeof value === "boolean") return value ? "T" : "F";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number")
    return kind === "float" || !Number.isInteger(value) ? formatFloat(value) : String(value);
  if (typeof value === "object") return `(${formatFloat(value.re)}, ${formatFloat(value.im)})`;
  return value;
}

/** The kind a value gets when set from code. */
export function kindOf(value: HeaderValue): ValueKind {
  if (value === null) return "undefined";
  switch (typeof value) {
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "bigint":
      return "int";
    case "number":
      return Number.isInteger(value) ? "int" : "float";
    default:
      return "complex";
  }
}

function pad80(s: string): string {
  return s.length >= CARD_LENGTH ? s.slice(0, CARD_LENGTH) : s + " ".repeat(CARD_LENGTH - s.length);
}

/** Appends " / comment" when it fits (a comment that does not fit is cut, as astropy does). */
function withComment(head: string, comment: string): string {
  if (comment === "") return head;
  const room = CARD_LENGTH - head.length - 3;
  if (room <= 0) return head;
  return `${head} / ${comment.slice(0, room)}`;
}

/** Serialises a card to one or more 80-character images (HISTORY text and long strings may need several). */
export function formatCard(card: Card): string[] {
  if (card.images) return card.images;
  if (card.kind === "commentary") return formatCommentary(card.keyword, card.comment);
  const name = card.hierarch ? `HIERARCH ${card.keyword} = ` : `${card.keyword.padEnd(8)}= `;
  if (!card.hierarch && card.keyword.length > 8) {
    throw new FitsError("BAD_CARD", `keyword ${card.keyword} is longer than 8 characters (use HIERARCH)`);
  }
  if (card.kind === "invalid") return [pad80(withComment(name + String(card.value), card.comment))];
  if (card.kind === "string") return formatString(name, String(card.value), card.comment);
  const text = formatValue(card.value, card.kind);
  const field = card.hierarch ? text : text.padStart(20);
  const head = name + field;
  if (head.length > CARD_LENGTH) throw new FitsError("BAD_CARD", `value of ${card.keyword} does not fit in a card`);
  return [pad80(withComment(head, card.comment))];
}

function formatCommentary(keyword: string, text: string): string[] {
  const width = CARD_LENGTH - 8;
  const out: string[] = [];
  for (let i = 0; i < Math.max(text.length, 1); i += width) {
    out.push(pad80(keyword.padEnd(8) + text.slice(i, i + width)));
  }
  return out;
}

/** A string card, continued over CONTINUE cards when it does not fit in one (the long-string convention). */
function formatString(name: string, value: string, comment: string): string[] {
  const escaped = value.replace(/'/g, "''");
  const quoted = `'${escaped.padEnd(8)}'`.padEnd(20);
  if (name.length + quoted.trimEnd().length <= CARD_LENGTH) {
    return [pad80(withComment(name + (comment ? quoted : quoted.trimEnd()), comment))];
  }
  const images: string[] = [];
  let rest = escaped;
  while (images.length === 0 || rest !== "") {
    const prefix = images.length === 0 ? name : "CONTINUE  ";
    const chunk = takeEscaped(rest, CARD_LENGTH - prefix.length - 3);
    rest = rest.slice(chunk.length);
    images.push(`${prefix}'${chunk}${rest === "" ? "" : "&"}'`);
  }
  if (comment !== "") {
    const last = images.length - 1;
    if (images[last].length + 3 + comment.length <= CARD_LENGTH) {
      images[last] = withComment(images[last], comment);
    } else {
      images[last] = `${images[last].slice(0, -1)}&'`;
      const parts = splitPlain(comment, CARD_LENGTH - 15);
      for (const [k, part] of parts.entries()) {
        images.push(`CONTINUE  '${k === parts.length - 1 ? "" : "&"}' / ${part}`);
      }
    }
  }
  return images.map(pad80);
}

/** The longest prefix of an escaped string of at most `size` characters that does not cut a '' pair. */
function takeEscaped(escaped: string, size: number): string {
  if (escaped.length <= size) return escaped;
  let end = size;
  let quotes = 0;
  for (let j = end - 1; j >= 0 && escaped[j] === "'"; j--) quotes++;
  if (quotes % 2 === 1) end = end > 1 ? end - 1 : 2;
  return escaped.slice(0, end);
}

function splitPlain(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** The card with a new string value of the same length written into its original image (keeps its layout). */
export function withStringValue(card: Card, value: string): Card {
  const image = card.images?.length === 1 ? card.images[0] : undefined;
  const start = image?.indexOf("'", 10) ?? -1;
  if (image && card.kind === "string" && start > 0 && String(card.value).length === value.length) {
    const next = image.slice(0, start + 1) + value + image.slice(start + 1 + value.length);
    return { ...card, value, images: [next] };
  }
  return { keyword: card.keyword, value, kind: "string", comment: card.comment, hierarch: card.hierarch };
}
