import {
  CARD_LENGTH,
  type Card,
  COMMENTARY_KEYWORDS,
  formatCard,
  type HeaderValue,
  kindOf,
  parseCard,
  parseValueField,
  type ValueKind,
} from "./card.js";
import { FitsError, type FitsLocation } from "./errors.js";

export const BLOCK = 2880;

export interface SetOptions {
  comment?: string;
  /** Force float formatting for an integral number (2 → 2.0). */
  float?: boolean;
  /** Insert a new card after (or before) this keyword instead of at the end. */
  after?: string;
  before?: string;
}

/**
 * An ordered list of cards with case-insensitive lookup. Unchanged cards keep their original
 * 80-character images, so a header that was read and written back is bit-identical.
 */
export class Header {
  readonly cards: Card[];
  /** Where this header came from, for error messages. */
  location: FitsLocation;
  private index: Map<string, number> | undefined;

  constructor(cards: Card[] = [], location: FitsLocation = {}) {
    this.cards = cards;
    this.location = location;
  }

  /** Builds a header from card images (without END), joining CONTINUE cards into long strings. */
  static fromImages(images: string[], location: FitsLocation = {}): Header {
    const cards: Card[] = [];
    for (let i = 0; i < images.length; i++) {
      let card: Card;
      try {
        card = parseCard(images[i]);
      } catch (e) {
        throw e instanceof FitsError ? e.at({ ...location, card: i + 1 }) : e;
      }
      if (card.kind === "string") {
        while (String(card.value).endsWith("&") && images[i + 1]?.startsWith("CONTINUE")) {
          const next = parseValueField(images[i + 1].slice(8));
          if (next.kind !== "string") break;
          i++;
          const joined = `${String(card.value).slice(0, -1)}${next.rawString ?? ""}`;
          const comment = [card.comment, next.comment].filter((c) => c !== "").join(" ");
          card = { ...card, value: joined.trimEnd(), comment, images: [...(card.images ?? []), images[i]] };
        }
      }
      cards.push(card);
    }
    return new Header(cards, location);
  }

  get length(): number {
    return this.cards.length;
  }

  private lookup(): Map<string, number> {
    if (!this.index) {
      this.index = new Map();
      this.cards.forEach((card, i) => {
        if (card.kind !== "commentary" && !this.index!.has(card.keyword)) this.index!.set(card.keyword, i);
      });
    }
    return this.index;
  }

  indexOf(keyword: string): number {
    return this.lookup().get(keyword.toUpperCase()) ?? -1;
  }

  has(keyword: string): boolean {
    return this.indexOf(keyword) >= 0;
  }

  card(keyword: string): Card | undefined {
    const i = this.indexOf(keyword);
    return i < 0 ? undefined : this.cards[i];
  }

  /** The first value of a keyword, or undefined when absent. */
  get(keyword: string): HeaderValue | undefined {
    return this.card(keyword)?.value;
  }

  /** Sets a keyword: an existing card is changed in place, a new one goes at the end (or where asked). */
  set(keyword: string, value: HeaderValue, options: SetOptions = {}): this {
    const upper = keyword.toUpperCase();
    const hierarch = upper.length > 8 || upper.includes(" ");
    let kind: ValueKind = kindOf(value);
    if (options.float && kind === "int") kind = "float";
    const i = this.indexOf(upper);
    if (i >= 0) {
      const old = this.cards[i];
      const comment = options.comment ?? old.comment;
      if (old.kind === kind && sameValue(old.value, value) && old.comment === comment) return this;
      this.cards[i] = { keyword: upper, value, kind, comment, hierarch };
      return this;
    }
    const card: Card = { keyword: upper, value, kind, comment: options.comment ?? "", hierarch };
    this.insert(card, options);
    return this;
  }

  /** Adds a HISTORY, COMMENT or blank card with this text. */
  addCommentary(keyword: "HISTORY" | "COMMENT" | "", text: string, options: SetOptions = {}): this {
    this.insert({ keyword, value: null, kind: "commentary", comment: text }, options);
    return this;
  }

  /**
   * Where no position is asked for, a keyword card goes after the last non-commentary card (before a
   * closing HISTORY block) and takes the place of one trailing blank card, as astropy does; commentary
   * cards go at the end.
   */
  private insert(card: Card, options: SetOptions): void {
    let at = this.cards.length;
    if (options.after !== undefined && this.has(options.after)) at = this.indexOf(options.after) + 1;
    else if (options.before !== undefined && this.has(options.before)) at = this.indexOf(options.before);
    else if (card.kind !== "commentary") {
      const last = this.cards.at(-1);
      if (last && last.kind === "commentary" && last.keyword === "" && last.comment.trim() === "") this.cards.pop();
      at = this.cards.findLastIndex((c) => c.kind !== "commentary") + 1;
    }
    this.cards.splice(at, 0, card);
    this.index = undefined;
  }

  /** Removes every card with this keyword; returns how many were removed. */
  delete(keyword: string): number {
    const upper = keyword.toUpperCase();
    return this.removeWhere((card) => card.keyword === upper);
  }

  /** Removes every card the predicate accepts; returns how many were removed. */
  removeWhere(predicate: (card: Card) => boolean): number {
    const before = this.cards.length;
    for (let i = this.cards.length - 1; i >= 0; i--) if (predicate(this.cards[i])) this.cards.splice(i, 1);
    this.index = undefined;
    return before - this.cards.length;
  }

  /** Replaces the first card with this keyword (which must exist). */
  replaceCard(keyword: string, card: Card): void {
    const i = this.indexOf(keyword);
    if (i < 0) throw new FitsError("MISSING_KEYWORD", "keyword is missing", { ...this.location, keyword });
    this.cards[i] = card;
    this.index = undefined;
  }

  /** Moves the first card with this keyword to position `to`. */
  move(keyword: string, to: number): void {
    const i = this.indexOf(keyword);
    if (i < 0 || i === to) return;
    const [card] = this.cards.splice(i, 1);
    this.cards.splice(to, 0, card);
    this.index = undefined;
  }

  /** Texts of every HISTORY (or COMMENT) card, in order. */
  commentary(keyword: "HISTORY" | "COMMENT" | ""): string[] {
    return this.cards.filter((c) => c.kind === "commentary" && c.keyword === keyword).map((c) => c.comment);
  }

  /** Value-bearing cards as keyword → first value. */
  toObject(): Record<string, HeaderValue> {
    const out: Record<string, HeaderValue> = {};
    for (const c of this.cards) if (c.kind !== "commentary" && !(c.keyword in out)) out[c.keyword] = c.value;
    return out;
  }

  clone(): Header {
    return new Header(
      this.cards.map((c) => ({ ...c })),
      { ...this.location },
    );
  }

  private fail(code: "MISSING_KEYWORD" | "BAD_VALUE", keyword: string, detail: string): never {
    const i = this.indexOf(keyword);
    throw new FitsError(code, detail, { ...this.location, card: i >= 0 ? i + 1 : undefined, keyword });
  }

  private required(keyword: string, fallback: unknown): Card | undefined {
    const card = this.card(keyword);
    if (card === undefined && fallback === undefined) this.fail("MISSING_KEYWORD", keyword, "keyword is missing");
    return card;
  }

  getString(keyword: string, fallback?: string): string {
    const card = this.required(keyword, fallback);
    if (card === undefined) return fallback!;
    if (card.kind !== "string") this.fail("BAD_VALUE", keyword, `expected a string, found ${describe(card)}`);
    return card.value as string;
  }

  /** A numeric value (int or float). */
  getNumber(keyword: string, fallback?: number): number {
    const card = this.required(keyword, fallback);
    if (card === undefined) return fallback!;
    if (card.kind === "int" || card.kind === "float") {
      if (typeof card.value === "bigint") return Number(card.value);
      return card.value as number;
    }
    return this.fail("BAD_VALUE", keyword, `expected a number, found ${describe(card)}`);
  }

  getInt(keyword: string, fallback?: number): number {
    const card = this.required(keyword, fallback);
    if (card === undefined) return fallback!;
    if (card.kind !== "int" || typeof card.value !== "number") {
      this.fail("BAD_VALUE", keyword, `expected an integer, found ${describe(card)}`);
    }
    return card.value as number;
  }

  getBool(keyword: string, fallback?: boolean): boolean {
    const card = this.required(keyword, fallback);
    if (card === undefined) return fallback!;
    if (card.kind !== "bool") this.fail("BAD_VALUE", keyword, `expected T or F, found ${describe(card)}`);
    return card.value as boolean;
  }

  /** The card images (without END). */
  images(): string[] {
    return this.cards.flatMap((card, i) => {
      try {
        return formatCard(card);
      } catch (e) {
        throw e instanceof FitsError ? e.at({ ...this.location, card: i + 1, keyword: card.keyword }) : e;
      }
    });
  }

  /** The header as written in a file: cards, END, blank padding to a whole number of 2880-byte blocks. */
  toBytes(): Uint8Array {
    const images = this.images();
    images.push("END".padEnd(CARD_LENGTH));
    const size = Math.ceil((images.length * CARD_LENGTH) / BLOCK) * BLOCK;
    const text = images.join("").padEnd(size, " ");
    return Buffer.from(text, "latin1");
  }
}

function sameValue(a: HeaderValue, b: HeaderValue): boolean {
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) return a.re === b.re && a.im === b.im;
  return a === b;
}

function describe(card: Card): string {
  if (card.kind === "undefined") return "an empty value";
  if (card.kind === "invalid") return `unparsable text '${String(card.value)}'`;
  if (card.kind === "string") return `the string '${card.value}'`;
  return `${card.kind} ${String(card.value)}`;
}

export function isCommentaryKeyword(keyword: string): boolean {
  return COMMENTARY_KEYWORDS.has(keyword.toUpperCase());
}
