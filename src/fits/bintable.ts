import { FitsError } from "./errors.js";
import type { Header } from "./header.js";
import { decodePixels, encodePixels, type PixelArray, storageOf } from "./pixels.js";
import { ELEMENT_BYTES, type ElementType, formatTForm, parseTDim, parseTForm, type TForm } from "./tform.js";

/** Column values, flattened row by row (a field of repeat r gives r values per row). */
export type ColumnData =
  | PixelArray
  /** A: one string per row (or per TDIM sub-string), trailing blanks and NULs removed. */
  | string[]
  /** L: true, false, or null for an undefined (NUL) value. */
  | (boolean | null)[]
  /** P/Q: one array (or string, for PA) per row. */
  | (PixelArray | string)[];

export interface Column {
  name: string;
  /** TFORMn as parsed; X columns are expanded to one 0/1 byte per bit. */
  form: TForm;
  data: ColumnData;
  unit?: string;
  dim?: number[];
  /** TNULLn. */
  null?: number | bigint;
  /** TSCALn / TZEROn as in the header (1 / 0 when absent). */
  scale: number;
  zero: number | bigint;
  disp?: string;
}

export interface Table {
  nrows: number;
  columns: Column[];
}

/** The numeric element types and the array each stores to (X is read bit by bit). */
const STORED_BITPIX = { B: 8, I: 16, J: 32, K: 64, E: -32, D: -64, C: -32, M: -64 } as const;
type NumericType = keyof typeof STORED_BITPIX;

/** Reads a BINTABLE HDU's data (main table followed by the heap). */
export function readBinTable(header: Header, bytes: Uint8Array): Table {
  const { rowBytes, nrows } = tableShape(header, bytes.byteLength);
  const heapStart = header.getInt("THEAP", rowBytes * nrows);
  if (heapStart < rowBytes * nrows || heapStart > bytes.byteLength) {
    const detail = `THEAP = ${heapStart} is outside the data (main table ${rowBytes * nrows} bytes, data ${bytes.byteLength})`;
    throw new FitsError("BAD_VALUE", detail, { ...header.location, keyword: "THEAP" });
  }
  const nfields = header.getInt("TFIELDS");
  const columns: Column[] = [];
  let offset = 0;
  for (let i = 1; i <= nfields; i++) {
    const keyword = `TFORM${i}`;
    try {
      const form = parseTForm(header.getString(keyword));
      if (offset + form.width > rowBytes) {
        throw new FitsError(
          "BAD_STRUCTURE",
          `column ${i} ends at byte ${offset + form.width} of a ${rowBytes}-byte row`,
        );
      }
      const field = gather(bytes, rowBytes, nrows, offset, form.width);
      offset += form.width;
      const column = describeColumn(header, i, form);
      column.data = decodeField(field, nrows, column, bytes.subarray(heapStart));
      columns.push(column);
    } catch (e) {
      throw e instanceof FitsError ? e.at({ ...header.location, keyword }) : e;
    }
  }
  if (offset !== rowBytes) {
    throw new FitsError(
      "BAD_STRUCTURE",
      `columns take ${offset} bytes per row but NAXIS1 = ${rowBytes}`,
      header.location,
    );
  }
  return { nrows, columns };
}

/** Rows of zero width carry nothing: more than this many is a damaged header, not a table to loop over. */
const MAX_EMPTY_ROWS = 1 << 24;

/** NAXIS1 (bytes per row) and NAXIS2 (rows), checked against the data (tables of ASCII and binary kinds). */
export function tableShape(header: Header, dataBytes: number): { rowBytes: number; nrows: number } {
  const rowBytes = header.getInt("NAXIS1");
  const nrows = header.getInt("NAXIS2");
  const where = { ...header.location, keyword: "NAXIS2" };
  if (rowBytes * nrows > dataBytes) {
    throw new FitsError(
      "BAD_STRUCTURE",
      `${nrows} rows of ${rowBytes} bytes need more than the ${dataBytes} data bytes`,
      where,
    );
  }
  if (rowBytes === 0 && nrows > MAX_EMPTY_ROWS) {
    throw new FitsError("BAD_STRUCTURE", `${nrows} rows of zero width (NAXIS1 = 0)`, where);
  }
  return { rowBytes, nrows };
}

function describeColumn(header: Header, i: number, form: TForm): Column {
  const text = (k: string) => {
    const v = header.get(`${k}${i}`);
    return typeof v === "string" ? v : undefined;
  };
  const tnull = header.get(`TNULL${i}`);
  const tzero = header.get(`TZERO${i}`);
  const tdim = text("TDIM");
  return {
    name: text("TTYPE") ?? "",
    form,
    data: [],
    unit: text("TUNIT"),
    dim: tdim === undefined ? undefined : parseTDim(tdim),
    null: typeof tnull === "number" || typeof tnull === "bigint" ? tnull : undefined,
    scale: header.has(`TSCAL${i}`) ? header.getNumber(`TSCAL${i}`) : 1,
    zero: typeof tzero === "bigint" ? tzero : header.has(`TZERO${i}`) ? header.getNumber(`TZERO${i}`) : 0,
    disp: text("TDISP"),
  };
}

/** Copies one field of every row into a contiguous, aligned buffer. */
function gather(bytes: Uint8Array, rowBytes: number, nrows: number, offset: number, width: number): Uint8Array {
  const out = new Uint8Array(new ArrayBuffer(Math.ceil((width * nrows) / 8) * 8), 0, width * nrows);
  if (width === rowBytes) out.set(bytes.subarray(0, width * nrows));
  else if (width <= NARROW_FIELD) {
    for (let r = 0, to = 0, from = offset; r < nrows; r++, from += rowBytes)
      for (let b = 0; b < width; b++) out[to++] = bytes[from + b];
  } else
    for (let r = 0; r < nrows; r++)
      out.set(bytes.subarray(r * rowBytes + offset, r * rowBytes + offset + width), r * width);
  return out;
}

/**
 * Fields this narrow are moved byte by byte: a subarray per row costs more than the copy (an event list of
 * millions of rows and a dozen 2- and 4-byte columns spent seconds there).
 */
const NARROW_FIELD = 16;

function decodeField(field: Uint8Array, nrows: number, column: Column, heap: Uint8Array): ColumnData {
  const { form } = column;
  switch (form.type) {
    case "A":
      return splitStrings(field, column.dim?.[0] ?? form.repeat);
    case "L":
      return Array.from(field, logical);
    case "X":
      return unpackBits(field, nrows, form.repeat);
    case "P":
    case "Q":
      return readVarArrays(field, nrows, column, heap);
    default:
      return decodeNumbers(field, form.type, column);
  }
}

function logical(b: number): boolean | null {
  return b === 0x54 ? true : b === 0x46 ? false : null;
}

function splitStrings(field: Uint8Array, width: number): string[] {
  const out: string[] = [];
  if (width === 0) return out;
  const text = Buffer.from(field.buffer, field.byteOffset, field.byteLength).toString("latin1");
  for (let i = 0; i < text.length; i += width) {
    const s = text.slice(i, i + width);
    const nul = s.indexOf("\0");
    out.push((nul < 0 ? s : s.slice(0, nul)).trimEnd());
  }
  return out;
}

function unpackBits(field: Uint8Array, nrows: number, bits: number): Uint8Array {
  const width = Math.ceil(bits / 8);
  const out = new Uint8Array(nrows * bits);
  for (let r = 0; r < nrows; r++) {
    for (let b = 0; b < bits; b++) out[r * bits + b] = (field[r * width + (b >> 3)] >> (7 - (b & 7))) & 1;
  }
  return out;
}

function decodeNumbers(field: Uint8Array, type: ElementType, column: Column): PixelArray {
  const bitpix = STORED_BITPIX[type as NumericType];
  const blank = column.null;
  return decodePixels(field, bitpix, { bscale: column.scale, bzero: column.zero, blank });
}

/** With 4 × the heap, the most bytes the arrays of one variable-length column may add up to. */
const VLA_BYTES_BASE = 64 * 1024 * 1024;

function readVarArrays(field: Uint8Array, nrows: number, column: Column, heap: Uint8Array): (PixelArray | string)[] {
  const { form } = column;
  const q = form.type === "Q";
  const view = new DataView(field.buffer, field.byteOffset, field.byteLength);
  const heapType = form.heapType!;
  const out: (PixelArray | string)[] = [];
  // Descriptors may share heap bytes; a damaged table must not make every row copy the whole heap.
  const limit = VLA_BYTES_BASE + 4 * heap.byteLength;
  let total = 0;
  for (let r = 0; r < nrows; r++) {
    const at = r * form.width;
    const count = q ? Number(view.getBigInt64(at)) : view.getInt32(at);
    const offset = q ? Number(view.getBigInt64(at + 8)) : view.getInt32(at + 4);
    const size = heapType === "X" ? Math.ceil(count / 8) : count * ELEMENT_BYTES[heapType];
    if (count < 0 || offset < 0 || offset + size > heap.byteLength) {
      throw new FitsError("BAD_STRUCTURE", `row ${r + 1} of column ${column.name} points outside the heap`);
    }
    total += size;
    if (total > limit) {
      const detail = `column ${column.name} references more than ${limit} bytes of a ${heap.byteLength}-byte heap`;
      throw new FitsError("TOO_LARGE", detail);
    }
    const bytes = new Uint8Array(new ArrayBuffer(Math.ceil(size / 8) * 8 || 8), 0, size);
    bytes.set(heap.subarray(offset, offset + size));
    if (heapType === "A") {
      out.push(splitStrings(bytes, size)[0] ?? "");
      continue;
    }
    const element = { ...column, dim: undefined, form: { repeat: count, type: heapType, width: size } };
    out.push(decodeField(bytes, 1, element, heap) as PixelArray);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface ColumnSpec {
  name: string;
  data: ColumnData;
  /** TFORM; derived from the data when absent (the array type, the longest string, …). */
  format?: string;
  unit?: string;
  dim?: number[];
  null?: number | bigint;
  disp?: string;
}

export interface EncodedTable {
  /** The TTYPE/TFORM/… cards to place after TFIELDS, in order. */
  cards: [string, string | number | bigint, string][];
  rowBytes: number;
  nrows: number;
  heapBytes: number;
  /** Main table followed by the heap, big-endian. */
  bytes: Uint8Array;
}

/** Encodes columns as a BINTABLE data unit. Every column must have the same number of rows. */
export function encodeBinTable(specs: ColumnSpec[], nrows: number): EncodedTable {
  const forms = specs.map((s) => (s.format ? parseTForm(s.format) : deriveForm(s, nrows)));
  const rowBytes = forms.reduce((a, f) => a + f.width, 0);
  const heapParts: Uint8Array[] = [];
  let heapBytes = 0;
  // variable-length columns first (the heap's size), then each fixed column encoded and interleaved in turn:
  // one column's bytes at a time besides the table (an event list's columns add up to hundreds of MB)
  const varFields = new Map<number, Uint8Array>();
  specs.forEach((spec, i) => {
    const form = forms[i];
    if (form.type !== "P" && form.type !== "Q") return;
    const { field, parts, size } = encodeVarArrays(spec, form, nrows, heapBytes);
    heapParts.push(...parts);
    heapBytes += size;
    varFields.set(i, field);
  });
  const bytes = new Uint8Array(rowBytes * nrows + heapBytes);
  let offset = 0;
  specs.forEach((spec, i) => {
    const width = forms[i].width;
    const field = varFields.get(i) ?? encodeField(spec, forms[i], nrows);
    if (width <= NARROW_FIELD) {
      for (let r = 0, from = 0, to = offset; r < nrows; r++, to += rowBytes)
        for (let b = 0; b < width; b++) bytes[to + b] = field[from++];
    } else for (let r = 0; r < nrows; r++) bytes.set(field.subarray(r * width, (r + 1) * width), r * rowBytes + offset);
    offset += width;
  });
  let at = rowBytes * nrows;
  for (const part of heapParts) {
    bytes.set(part, at);
    at += part.byteLength;
  }
  return { cards: columnCards(specs, forms), rowBytes, nrows, heapBytes, bytes };
}

function columnCards(specs: ColumnSpec[], forms: TForm[]): [string, string | number | bigint, string][] {
  const cards: [string, string | number | bigint, string][] = [];
  specs.forEach((spec, k) => {
    const i = k + 1;
    const form = forms[k];
    cards.push([`TTYPE${i}`, spec.name, ""]);
    cards.push([`TFORM${i}`, spec.format ?? formatTForm(form), ""]);
    const zero = offsetZeroOf(spec, form);
    if (zero !== undefined) {
      cards.push([`TZERO${i}`, zero, ""]);
      cards.push([`TSCAL${i}`, 1, ""]);
    }
    if (spec.unit) cards.push([`TUNIT${i}`, spec.unit, ""]);
    if (spec.null !== undefined) cards.push([`TNULL${i}`, spec.null, ""]);
    if (spec.dim) cards.push([`TDIM${i}`, `(${spec.dim.join(",")})`, ""]);
    if (spec.disp) cards.push([`TDISP${i}`, spec.disp, ""]);
  });
  return cards;
}

/** Unsigned (or signed-byte) arrays are written with the TZERO offset convention. */
function offsetZeroOf(spec: ColumnSpec, form: TForm): number | bigint | undefined {
  const sample = form.type === "P" || form.type === "Q" ? (spec.data as PixelArray[])[0] : spec.data;
  if (!ArrayBuffer.isView(sample)) return undefined;
  const { bzero } = storageOf(sample as PixelArray);
  return bzero === 0 ? undefined : bzero;
}

function deriveForm(spec: ColumnSpec, nrows: number): TForm {
  const { data } = spec;
  const perRow = (n: number) => (nrows === 0 ? 1 : n / nrows);
  if (ArrayBuffer.isView(data)) {
    const type = typeOfArray(data as PixelArray);
    return parseTForm(`${perRow(data.length)}${type}`);
  }
  const values = data as unknown[];
  if (values.length > 0 && typeof values[0] === "string") {
    const width = Math.max(1, ...(values as string[]).map((s) => s.length));
    const perRowStrings = perRow(values.length);
    return parseTForm(`${width * perRowStrings}A`);
  }
  if (values.length > 0 && ArrayBuffer.isView(values[0])) {
    const max = Math.max(0, ...(values as PixelArray[]).map((a) => a.length));
    return parseTForm(`1P${typeOfArray(values[0] as PixelArray)}(${max})`);
  }
  return parseTForm(`${perRow(values.length)}L`);
}

function typeOfArray(data: PixelArray): ElementType {
  const { bitpix } = storageOf(data);
  return ({ 8: "B", 16: "I", 32: "J", 64: "K", [-32]: "E", [-64]: "D" } as Record<number, ElementType>)[bitpix];
}

function encodeField(spec: ColumnSpec, form: TForm, nrows: number): Uint8Array {
  const out = new Uint8Array(new ArrayBuffer(Math.ceil((form.width * nrows) / 8) * 8), 0, form.width * nrows);
  const { data } = spec;
  switch (form.type) {
    case "A": {
      const strings = data as string[];
      const width = spec.dim?.[0] ?? form.repeat;
      strings.forEach((s, k) => {
        if (s.length > width) throw new FitsError("BAD_VALUE", `'${s}' is longer than column ${spec.name} (${width})`);
        out.set(Buffer.from(s.padEnd(width, " "), "latin1"), k * width);
      });
      return out;
    }
    case "L":
      (data as (boolean | null)[]).forEach((v, k) => {
        out[k] = v === null ? 0 : v ? 0x54 : 0x46;
      });
      return out;
    case "X": {
      const bits = data as Uint8Array;
      for (let r = 0; r < nrows; r++) {
        for (let b = 0; b < form.repeat; b++)
          if (bits[r * form.repeat + b]) out[r * form.width + (b >> 3)] |= 0x80 >> (b & 7);
      }
      return out;
    }
    default: {
      const array = data as PixelArray;
      const expected = nrows * form.repeat * (form.type === "C" || form.type === "M" ? 2 : 1);
      if (array.length !== expected) {
        throw new FitsError("BAD_VALUE", `column ${spec.name} has ${array.length} values, ${expected} expected`);
      }
      encodePixels(array, 0, array.length, out);
      return out;
    }
  }
}

function encodeVarArrays(spec: ColumnSpec, form: TForm, nrows: number, heapStart: number) {
  const field = new Uint8Array(form.width * nrows);
  const view = new DataView(field.buffer);
  const parts: Uint8Array[] = [];
  let size = 0;
  const values = spec.data as (PixelArray | string)[];
  for (let r = 0; r < nrows; r++) {
    const value = values[r];
    let bytes: Uint8Array;
    let count: number;
    if (typeof value === "string") {
      bytes = Buffer.from(value, "latin1");
      count = value.length;
    } else {
      bytes = new Uint8Array(new ArrayBuffer(value.byteLength + 8), 0, value.byteLength);
      encodePixels(value, 0, value.length, bytes);
      count = value.length;
    }
    if (form.type === "Q") {
      view.setBigInt64(r * 16, BigInt(count));
      view.setBigInt64(r * 16 + 8, BigInt(heapStart + size));
    } else {
      view.setInt32(r * 8, count);
      view.setInt32(r * 8 + 4, heapStart + size);
    }
    parts.push(bytes);
    size += bytes.byteLength;
  }
  return { field, parts, size };
}
