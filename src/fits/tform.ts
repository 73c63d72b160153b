import { FitsError } from "./errors.js";

/** Binary-table element types (TFORMn letters). */
export type ElementType = "L" | "X" | "B" | "I" | "J" | "K" | "A" | "E" | "D" | "C" | "M" | "P" | "Q";

export interface TForm {
  repeat: number;
  type: ElementType;
  /** For P/Q (variable-length arrays): the element type of the arrays in the heap. */
  heapType?: Exclude<ElementType, "P" | "Q">;
  /** For P/Q: the maximum length written in parentheses, when given. */
  maxLength?: number;
  /** Bytes the field takes in a row. */
  width: number;
}

/** Bytes of one element (bits for X are handled by the caller). */
export const ELEMENT_BYTES: Record<ElementType, number> = {
  L: 1,
  X: 1,
  B: 1,
  I: 2,
  J: 4,
  K: 8,
  A: 1,
  E: 4,
  D: 8,
  C: 8,
  M: 16,
  P: 8,
  Q: 16,
};

const TFORM_RE = /^\s*(\d*)([LXBIJKAEDCMPQ])(.*?)\s*$/i;

export function parseTForm(text: string): TForm {
  const m = TFORM_RE.exec(text);
  if (!m) throw new FitsError("BAD_VALUE", `TFORM '${text}' is not a binary-table format`);
  const repeat = m[1] === "" ? 1 : Number(m[1]);
  const type = m[2].toUpperCase() as ElementType;
  const rest = m[3];
  if (type === "P" || type === "Q") {
    const vla = /^([LXBIJKAEDCM])(?:\((\d*)\))?/i.exec(rest);
    if (!vla) throw new FitsError("BAD_VALUE", `TFORM '${text}' has no array element type`);
    const maxLength = vla[2] ? Number(vla[2]) : undefined;
    const heapType = vla[1].toUpperCase() as Exclude<ElementType, "P" | "Q">;
    return { repeat, type, heapType, maxLength, width: repeat * ELEMENT_BYTES[type] };
  }
  const width = type === "X" ? Math.ceil(repeat / 8) : repeat * ELEMENT_BYTES[type];
  return { repeat, type, width };
}

export function formatTForm(form: Omit<TForm, "width">): string {
  if (form.type === "P" || form.type === "Q") {
    return `${form.repeat === 1 ? 1 : form.repeat}${form.type}${form.heapType}(${form.maxLength ?? 0})`;
  }
  return `${form.repeat}${form.type}`;
}

/** TDIMn = '(a,b,…)' → [a, b, …]. */
export function parseTDim(text: string): number[] {
  const m = /^\s*\(([\d\s,]+)\)\s*$/.exec(text);
  if (!m) throw new FitsError("BAD_VALUE", `TDIM '${text}' is not of the form (n,m,...)`);
  return m[1].split(",").map((s) => Number(s.trim()));
}
