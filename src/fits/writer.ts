import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { type ColumnSpec, encodeBinTable } from "./bintable.js";
import { formatCard, type HeaderValue, withStringValue } from "./card.js";
import { addSum, checksumBytes, encodeChecksum } from "./checksum.js";
import { FitsError } from "./errors.js";
import { Header } from "./header.js";
import { type Bitpix, checkPixelCount, encodePixels, type PixelArray, storageOf } from "./pixels.js";
import { causeOf } from "./source.js";
import { paddedSize } from "./structure.js";

export interface WriterOptions {
  /**
   * CHECKSUM/DATASUM: `true` (default) writes them on every HDU; `"preserve"` updates them only
   * where the header has them; `false` removes them.
   */
  checksum?: boolean | "preserve";
  /** fsync the file before it is renamed into place. */
  durable?: boolean;
}

/** Data written as a stream of big-endian chunks (a multiple of 4 bytes each, except the last). */
type DataProducer = (emit: (chunk: Uint8Array) => void) => void;

const CHUNK_BYTES = 4 * 1024 * 1024;
let chunkBuffer: Uint8Array | undefined;

/**
 * The thread's buffer for encoded pixels, reused by every image written (a chunk is written before the next is
 * encoded): a fresh 4 MiB per HDU cost a first touch of new memory and garbage collection each time.
 */
function encodeBuffer(): Uint8Array {
  chunkBuffer ??= new Uint8Array(CHUNK_BYTES);
  return chunkBuffer;
}
const ZERO_SUM = "0000000000000000";
type Mandatory = [keyword: string, value: HeaderValue, comment: string];

/**
 * Writes a FITS file HDU by HDU, as a stream, under a temporary name in the target folder; `close()`
 * renames it into place, so a failed or interrupted write never leaves a partial file under the final name.
 */
export class FitsWriter {
  readonly path: string;
  readonly tempPath: string;
  private fd: number | undefined;
  private position = 0;
  private hduCount = 0;
  private readonly options: WriterOptions;

  constructor(path: string, options: WriterOptions = {}) {
    this.path = path;
    this.options = options;
    const suffix = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
    this.tempPath = join(dirname(path), `.${basename(path)}.${suffix}.tmp`);
    try {
      this.fd = openSync(this.tempPath, "wx");
    } catch (e) {
      throw new FitsError("IO", `cannot create: ${causeOf(e)}`, { file: path });
    }
  }

  /**
   * Writes an image HDU (the first HDU written is the primary). `data` absent: no data (NAXIS = 0).
   * The array type decides BITPIX and the offset BZERO; with `stored`, `data` holds stored values
   * (e.g. from readImage's `raw`) and the header's BSCALE/BZERO/BLANK are kept as they are.
   */
  writeImage(
    header: Header,
    data?: PixelArray,
    axes: number[] = data ? [data.length] : [],
    options: { stored?: boolean } = {},
  ): void {
    if (data) checkPixelCount(data, axes);
    const { bitpix, bzero } = data ? storageOf(data) : { bitpix: (header.get("BITPIX") ?? 8) as Bitpix, bzero: 0 };
    if (options.stored && bzero !== 0) {
      throw new FitsError("BAD_VALUE", "stored values must be a signed integer or float array", { file: this.path });
    }
    const h = this.imageHeader(header, bitpix, axes);
    if (!options.stored) setScaling(h, bzero, data !== undefined);
    const size = data ? data.length * data.BYTES_PER_ELEMENT : 0;
    this.writeHdu(h, size, (emit) => {
      if (!data) return;
      const perChunk = CHUNK_BYTES / data.BYTES_PER_ELEMENT;
      const buffer = encodeBuffer();
      for (let start = 0; start < data.length; start += perChunk) {
        const count = Math.min(perChunk, data.length - start);
        encodePixels(data, start, count, buffer);
        emit(buffer.subarray(0, count * data.BYTES_PER_ELEMENT));
      }
    });
  }

  /**
   * Writes an HST constant-value extension: NAXIS = 0 with PIXVALUE and NPIX1, NPIX2, … (the way
   * HSTIO stores ERR and DQ arrays whose pixels are all equal).
   */
  writeConstantImage(header: Header, value: number, axes: number[], bitpix: Bitpix): void {
    const h = this.imageHeader(header, bitpix, []);
    if (h.get("PIXVALUE") !== value)
      h.set("PIXVALUE", value, { comment: "values of pixels in the array", float: bitpix < 0 });
    axes.forEach((n, i) => {
      h.set(`NPIX${i + 1}`, n, { comment: `length of constant array axis ${i + 1}` });
    });
    for (let i = axes.length + 1; h.has(`NPIX${i}`); i++) h.delete(`NPIX${i}`);
    this.writeHdu(h, 0, () => {});
  }

  /** Writes a BINTABLE extension (an empty primary HDU is written first when none was). */
  writeTable(header: Header, columns: ColumnSpec[], nrows: number): void {
    if (this.hduCount === 0) this.writeImage(new Header());
    const table = encodeBinTable(columns, nrows);
    const mandatory: Mandatory[] = [
      ["XTENSION", "BINTABLE", "binary table extension"],
      ["BITPIX", 8, "array data type"],
      ["NAXIS", 2, "number of array dimensions"],
      ["NAXIS1", table.rowBytes, "length of dimension 1"],
      ["NAXIS2", nrows, "length of dimension 2"],
      ["PCOUNT", table.heapBytes, "number of group parameters"],
      ["GCOUNT", 1, "number of groups"],
      ["TFIELDS", columns.length, "number of table fields"],
    ];
    const h = header.clone();
    const wanted = new Set(table.cards.map(([keyword]) => keyword));
    h.removeWhere((card) => COLUMN_KEYWORD.test(card.keyword) && !wanted.has(card.keyword));
    h.delete("THEAP");
    placeMandatory(h, mandatory);
    let after = "TFIELDS";
    for (const [keyword, value, comment] of table.cards) {
      if (h.has(keyword)) h.set(keyword, value);
      else h.set(keyword, value, { comment, after });
      after = keyword;
    }
    this.writeHdu(h, table.bytes.byteLength, (emit) => emit(table.bytes));
  }

  /**
   * Writes an HDU whose data are already encoded (e.g. copied from another file). The header must
   * describe them; only CHECKSUM/DATASUM are touched.
   */
  writeRaw(header: Header, dataBytes: number, produce: DataProducer): void {
    this.writeHdu(header.clone(), dataBytes, produce);
  }

  private imageHeader(header: Header, bitpix: Bitpix, axes: number[]): Header {
    const h = header.clone();
    const primary = this.hduCount === 0;
    const fresh = !h.has("SIMPLE") && !h.has("XTENSION");
    const mandatory: Mandatory[] = [
      primary ? ["SIMPLE", true, "conforms to FITS standard"] : ["XTENSION", "IMAGE", "Image extension"],
      ["BITPIX", bitpix, "array data type"],
      ["NAXIS", axes.length, "number of array dimensions"],
      ...axes.map((n, i): Mandatory => [`NAXIS${i + 1}`, n, ""]),
      ...(primary
        ? []
        : ([
            ["PCOUNT", 0, "number of parameters"],
            ["GCOUNT", 1, "number of groups"],
          ] as Mandatory[])),
    ];
    for (let i = axes.length + 1; i <= 999 && h.has(`NAXIS${i}`); i++) h.delete(`NAXIS${i}`);
    if (primary) {
      h.delete("XTENSION");
      h.delete("PCOUNT");
      h.delete("GCOUNT");
    } else {
      h.delete("SIMPLE");
      h.delete("EXTEND");
    }
    placeMandatory(h, mandatory);
    // A header read from a file keeps its choice (EXTEND is optional); a new primary says extensions may follow.
    if (primary && fresh && !h.has("EXTEND")) h.set("EXTEND", true, { after: `NAXIS${axes.length || ""}` });
    return h;
  }

  private writeHdu(header: Header, dataBytes: number, produce: DataProducer): void {
    if (this.fd === undefined) throw new FitsError("IO", "writer is closed", { file: this.path });
    try {
      this.writeLocatedHdu(header, dataBytes, produce);
    } catch (e) {
      // The header may come from another file: the error names the file being written and its HDU.
      if (!(e instanceof FitsError)) throw e;
      throw new FitsError(e.code, e.detail, { ...e.location, file: this.path, hdu: this.hduCount });
    }
  }

  private writeLocatedHdu(header: Header, dataBytes: number, produce: DataProducer): void {
    useLongStringConvention(header);
    const mode = this.options.checksum ?? true;
    const withSums = mode === true || (mode === "preserve" && header.has("CHECKSUM"));
    if (withSums) {
      if (!header.has("CHECKSUM")) header.set("CHECKSUM", ZERO_SUM, { comment: "HDU checksum" });
      if (!header.has("DATASUM")) header.set("DATASUM", "0", { comment: "data unit checksum" });
      header.replaceCard("CHECKSUM", withStringValue(header.card("CHECKSUM")!, ZERO_SUM));
    } else {
      header.delete("CHECKSUM");
      header.delete("DATASUM");
    }
    const headerOffset = this.position;
    const placeholder = header.toBytes();
    this.append(placeholder);
    let dataSum = 0;
    let written = 0;
    let tail = new Uint8Array(0);
    produce((chunk) => {
      this.append(chunk);
      written += chunk.byteLength;
      if (!withSums) return;
      const joined = tail.byteLength ? concat(tail, chunk) : chunk;
      const whole = joined.byteLength - (joined.byteLength % 4);
      dataSum = checksumBytes(joined.subarray(0, whole), dataSum);
      tail = joined.slice(whole);
    });
    if (written !== dataBytes) {
      throw new FitsError("BAD_STRUCTURE", `wrote ${written} data bytes, header says ${dataBytes}`, {
        file: this.path,
        hdu: this.hduCount,
      });
    }
    const padding = paddedSize(dataBytes) - dataBytes;
    if (padding) {
      const zeros = new Uint8Array(padding);
      if (withSums && tail.byteLength)
        dataSum = checksumBytes(concat(tail, zeros.subarray(0, 4 - tail.byteLength)), dataSum);
      this.append(zeros);
    }
    if (withSums) {
      const datasum = header.card("DATASUM")!;
      if (datasum.value !== String(dataSum)) header.replaceCard("DATASUM", withStringValue(datasum, String(dataSum)));
      const total = addSum(checksumBytes(header.toBytes()), dataSum);
      header.replaceCard("CHECKSUM", withStringValue(header.card("CHECKSUM")!, encodeChecksum(total)));
      const final = header.toBytes();
      if (final.byteLength !== placeholder.byteLength) throw new Error("checksum cards changed the header size");
      writeSync(this.fd!, final, 0, final.byteLength, headerOffset);
    }
    this.hduCount++;
  }

  private append(bytes: Uint8Array): void {
    let done = 0;
    try {
      while (done < bytes.byteLength)
        done += writeSync(this.fd!, bytes, done, bytes.byteLength - done, this.position + done);
    } catch (e) {
      throw new FitsError("IO", `cannot write at byte ${this.position + done}: ${causeOf(e)}`, { file: this.path });
    }
    this.position += bytes.byteLength;
  }

  /** Finishes the file and renames it into place. */
  close(): void {
    if (this.fd === undefined) return;
    if (this.hduCount === 0) this.writeImage(new Header());
    if (this.options.durable) fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
    try {
      renameSync(this.tempPath, this.path);
    } catch (e) {
      rmSync(this.tempPath, { force: true });
      throw new FitsError("IO", `cannot rename the finished file into place: ${causeOf(e)}`, { file: this.path });
    }
  }

  /** Gives up: the temporary file is removed and nothing appears under the final name. */
  abort(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.tempPath, { force: true });
  }
}

/**
 * Declares the OGIP long-string convention (LONGSTRN) when we continue a string over CONTINUE cards.
 * Cards read from a file (which keep their images) are left as the file had them.
 */
function useLongStringConvention(h: Header): void {
  if (h.has("LONGSTRN")) return;
  const long = h.cards.find((c) => c.kind === "string" && !c.images && formatCard(c).length > 1);
  if (!long) return;
  h.set("LONGSTRN", "OGIP 1.0", { comment: "The OGIP long string convention may be used", before: long.keyword });
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}

/**
 * Puts the mandatory keywords first, in order. A card already in place with the right value keeps its
 * image (so rewriting a file we read changes nothing); any other occurrence is replaced.
 */
function placeMandatory(h: Header, mandatory: Mandatory[]): void {
  mandatory.forEach(([keyword, value, comment], i) => {
    const card = h.cards[i];
    if (card && card.keyword === keyword && card.value === value) return;
    const old = h.card(keyword);
    h.delete(keyword);
    h.set(keyword, value, { comment: old?.comment || comment });
    h.move(keyword, i);
  });
}

/** BZERO/BSCALE for the offset conventions; stale scaling keywords are removed when writing physical values. */
function setScaling(h: Header, bzero: number | bigint, hasData: boolean): void {
  if (!hasData) return;
  if (bzero === 0) {
    h.delete("BZERO");
    h.delete("BSCALE");
    h.delete("BLANK");
    return;
  }
  const current = h.get("BZERO");
  const sameZero = (typeof current === "number" && Number.isInteger(current)) || typeof current === "bigint";
  if (sameZero && BigInt(current) === BigInt(bzero) && h.get("BSCALE") === 1) return;
  h.delete("BZERO");
  h.delete("BSCALE");
  const after = h.has("GCOUNT") ? "GCOUNT" : h.has("EXTEND") ? "EXTEND" : `NAXIS${h.getInt("NAXIS") || ""}`;
  h.set("BSCALE", 1, { after });
  h.set("BZERO", bzero, { after: "BSCALE" });
}

/** Column keywords the writer owns (TDISP, TUNIT-like descriptive keywords of other conventions stay). */
const COLUMN_KEYWORD = /^T(TYPE|FORM|UNIT|NULL|SCAL|ZERO|DIM|DISP|BCOL)\d+$/;

/** Copies the data of an HDU from a reader in chunks (for rewriting headers without touching pixels). */
export function copyData(read: (offset: number, length: number) => Uint8Array, dataBytes: number): DataProducer {
  return (emit) => {
    for (let at = 0; at < dataBytes; at += CHUNK_BYTES) emit(read(at, Math.min(CHUNK_BYTES, dataBytes - at)));
  };
}
