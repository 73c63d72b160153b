import { readAsciiTable } from "./ascii-table.js";
import { readBinTable, type Table } from "./bintable.js";
import { CARD_LENGTH } from "./card.js";
import { addSum, checksumBytes, isValidTotal } from "./checksum.js";
import { FitsError } from "./errors.js";
import { BLOCK, Header } from "./header.js";
import { bytesPerPixel, decodePixels, type PixelArray, type Scaling } from "./pixels.js";
import { type ByteSource, MAX_BUFFER_BYTES, MemorySource, openSource } from "./source.js";
import { type HduStructure, paddedSize, readStructure } from "./structure.js";

/** One HDU as listed when a file is opened: its header and where its data lies, nothing read yet. */
export interface Hdu extends HduStructure {
  index: number;
  /** EXTNAME, or PRIMARY for HDU 0 without one, or "". */
  name: string;
  /** EXTVER (1 when absent). */
  ver: number;
  header: Header;
  headerOffset: number;
  headerBytes: number;
  dataOffset: number;
}

export interface Image {
  /** NAXIS1, NAXIS2, … (NAXIS1 varies fastest). */
  axes: number[];
  readonly data: PixelArray;
  /** For HST constant-value extensions (NAXIS = 0 with PIXVALUE): the value every pixel has. */
  constant?: number;
}

const HEADER_CHUNK = 16 * BLOCK;
/** A multiple of 4 (the checksum adds 32-bit words). */
const CHECKSUM_CHUNK = 5760 * BLOCK;
const END_CARD = "END".padEnd(CARD_LENGTH);

/** A FITS file opened for random access: the HDU list is read on open; data is read on request. */
export class FitsFile {
  readonly hdus: Hdu[];
  private readonly source: ByteSource;

  private constructor(source: ByteSource) {
    this.source = source;
    this.hdus = [];
    try {
      this.scan();
    } catch (e) {
      source.close();
      throw e;
    }
  }

  /** Opens a file (plain or gzip-compressed) and lists its HDUs. */
  static open(path: string): FitsFile {
    return new FitsFile(openSource(path));
  }

  static fromBytes(bytes: Uint8Array, name = "<memory>"): FitsFile {
    return new FitsFile(new MemorySource(bytes, name));
  }

  get path(): string {
    return this.source.name;
  }

  get size(): number {
    return this.source.size;
  }

  /** True when the file was gzip-compressed (inflated into memory, or into an unlinked temporary file when large). */
  get isCompressed(): boolean {
    return this.source.compressed;
  }

  close(): void {
    this.source.close();
  }

  private scan(): void {
    let offset = 0;
    while (offset < this.source.size) {
      if (this.hdus.length > 0 && !this.startsExtension(offset)) break;
      const hdu = this.readHdu(offset, this.hdus.length);
      this.hdus.push(hdu);
      offset = hdu.dataOffset + paddedSize(hdu.dataBytes);
    }
    if (this.hdus.length === 0) throw new FitsError("NOT_FITS", "file is empty", { file: this.path });
  }

  private startsExtension(offset: number): boolean {
    if (this.source.size - offset < CARD_LENGTH) return false;
    return Buffer.from(this.source.read(offset, 8)).toString("latin1") === "XTENSION";
  }

  private readHdu(offset: number, index: number): Hdu {
    const location = { file: this.path, hdu: index };
    const images = this.readCardImages(offset, index);
    const header = Header.fromImages(images, location);
    const structure = readStructure(header, index);
    const headerBytes = paddedSize((images.length + 1) * CARD_LENGTH);
    const dataOffset = offset + headerBytes;
    if (dataOffset + structure.dataBytes > this.source.size) {
      throw new FitsError(
        "TRUNCATED",
        `data needs ${structure.dataBytes} bytes from byte ${dataOffset}, the file has ${Math.max(0, this.source.size - dataOffset)}`,
        location,
      );
    }
    const extname = header.get("EXTNAME");
    const name = typeof extname === "string" ? extname : index === 0 ? "PRIMARY" : "";
    const extver = header.get("EXTVER");
    const ver = typeof extver === "number" ? extver : 1;
    return { ...structure, index, name, ver, header, headerOffset: offset, headerBytes, dataOffset };
  }

  /** The raw card images of the header at `offset`, up to (not including) END. */
  private readCardImages(offset: number, index: number): string[] {
    const images: string[] = [];
    let position = offset;
    for (;;) {
      const remaining = this.source.size - position;
      if (remaining < BLOCK) {
        const detail = remaining <= 0 ? "header has no END card" : "file ends inside a header block";
        throw new FitsError(remaining <= 0 ? "MISSING_END" : "TRUNCATED", detail, { file: this.path, hdu: index });
      }
      const chunk = this.source.read(position, Math.min(HEADER_CHUNK, remaining - (remaining % BLOCK)));
      const text = Buffer.from(chunk).toString("latin1");
      for (let c = 0; c < text.length; c += CARD_LENGTH) {
        const image = text.slice(c, c + CARD_LENGTH);
        if (image === END_CARD || image.startsWith("END     ")) return images;
        if (index === 0 && position === offset && c === 0 && !image.startsWith("SIMPLE  =")) {
          throw new FitsError("NOT_FITS", "does not start with SIMPLE =", { file: this.path });
        }
        if (/[^\x20-\x7e]/.test(image)) throw this.binaryInHeader(position + c, images.length, index);
        if (c % BLOCK === 0 && position + c > offset && image.startsWith("XTENSION=")) {
          throw new FitsError("MISSING_END", `header has no END card before the next XTENSION at byte ${position}`, {
            file: this.path,
            hdu: index,
          });
        }
        images.push(image);
      }
      position += chunk.length;
    }
  }

  /** Binary bytes before END: a damaged card when an END card still follows, else a header that never ends. */
  private binaryInHeader(at: number, cardIndex: number, index: number): FitsError {
    const length = Math.min(this.source.size - at, 64 * BLOCK);
    const look = this.source.read(at, length - (length % CARD_LENGTH));
    const text = Buffer.from(look).toString("latin1");
    for (let c = 0; c < text.length; c += CARD_LENGTH) {
      if (text.slice(c, c + CARD_LENGTH) === END_CARD) {
        return new FitsError("BAD_CARD", "card contains non-ASCII bytes", {
          file: this.path,
          hdu: index,
          card: cardIndex + 1,
        });
      }
    }
    return new FitsError("MISSING_END", `no END card before binary data at byte ${at}`, {
      file: this.path,
      hdu: index,
    });
  }

  /** An HDU by index, or by EXTNAME (case-insensitive) and EXTVER. */
  hdu(which: number | string, ver = 1): Hdu {
    if (typeof which === "number") {
      const hdu = this.hdus[which];
      if (!hdu)
        throw new FitsError("NO_SUCH_HDU", `no HDU ${which} (file has ${this.hdus.length})`, { file: this.path });
      return hdu;
    }
    const upper = which.toUpperCase();
    const hdu = this.hdus.find((h) => h.name.toUpperCase() === upper && h.ver === ver);
    if (!hdu) throw new FitsError("NO_SUCH_HDU", `no HDU with EXTNAME=${which} EXTVER=${ver}`, { file: this.path });
    return hdu;
  }

  /** Bytes of the file, by absolute offset. */
  readBytes(offset: number, length: number): Uint8Array {
    return this.source.read(offset, length);
  }

  /** The HDU's data bytes exactly as stored (big-endian, without padding). */
  readDataBytes(hdu: Hdu): Uint8Array {
    try {
      return this.source.read(hdu.dataOffset, hdu.dataBytes);
    } catch (e) {
      throw e instanceof FitsError ? e.at({ file: this.path, hdu: hdu.index }) : e;
    }
  }

  /** The padding bytes after the data (may be shorter than the block when the file is cut short). */
  readPadding(hdu: Hdu): Uint8Array {
    const start = hdu.dataOffset + hdu.dataBytes;
    const end = Math.min(hdu.dataOffset + paddedSize(hdu.dataBytes), this.source.size);
    return this.source.read(start, Math.max(0, end - start));
  }

  /**
   * An image HDU's pixels in physical units (see decodePixels: unsigned types for the BZERO offset
   * conventions, floats for other scalings). `raw` returns the stored integers without scaling.
   * HST constant-value extensions are expanded to full arrays.
   */
  readImage(which: number | string | Hdu, options: { raw?: boolean; ver?: number } = {}): Image {
    const hdu = typeof which === "object" ? which : this.hdu(which, options.ver);
    if (hdu.type !== "primary" && hdu.type !== "image") {
      throw new FitsError("BAD_STRUCTURE", `HDU is a ${hdu.type}, not an image`, { file: this.path, hdu: hdu.index });
    }
    const scaling = scalingOf(hdu.header);
    if (hdu.axes.length === 0) return constantImage(hdu, scaling, options.raw ?? false);
    if (hdu.index === 0 && hdu.axes[0] === 0 && hdu.header.get("GROUPS") === true) {
      throw new FitsError("UNSUPPORTED", "random groups are not read as an image", { file: this.path, hdu: 0 });
    }
    const pixelBytes = hdu.axes.reduce((a, b) => a * b, bytesPerPixel(hdu.bitpix));
    if (pixelBytes !== hdu.dataBytes) {
      const detail = `PCOUNT = ${hdu.pcount} and GCOUNT = ${hdu.gcount} do not describe an image (0 and 1 expected)`;
      throw new FitsError("BAD_STRUCTURE", detail, { file: this.path, hdu: hdu.index });
    }
    const data = decodePixels(this.readDataBytes(hdu), hdu.bitpix, scaling, options.raw);
    return { axes: hdu.axes, data };
  }

  /** A BINTABLE or ASCII TABLE HDU's columns. */
  readTable(which: number | string | Hdu, options: { ver?: number } = {}): Table {
    const hdu = typeof which === "object" ? which : this.hdu(which, options.ver);
    if (hdu.type === "bintable") return readBinTable(hdu.header, this.readDataBytes(hdu));
    if (hdu.type === "table") return readAsciiTable(hdu.header, this.readDataBytes(hdu));
    throw new FitsError("BAD_STRUCTURE", `HDU is a ${hdu.type}, not a table`, { file: this.path, hdu: hdu.index });
  }

  /** Checks DATASUM and CHECKSUM of an HDU; `undefined` where the keyword is absent. */
  verifyChecksums(hdu: Hdu): { datasum?: boolean; checksum?: boolean } {
    const result: { datasum?: boolean; checksum?: boolean } = {};
    if (!hdu.header.has("DATASUM") && !hdu.header.has("CHECKSUM")) return result;
    const dataSum = this.dataSum(hdu);
    const datasum = hdu.header.get("DATASUM");
    if (datasum !== undefined) result.datasum = String(datasum).trim() === String(dataSum);
    if (hdu.header.has("CHECKSUM")) {
      const headerSum = checksumBytes(this.source.read(hdu.headerOffset, hdu.headerBytes));
      result.checksum = isValidTotal(addSum(headerSum, dataSum));
    }
    return result;
  }

  /** The checksum of the padded data, read in chunks (an HDU may be larger than a buffer can hold). */
  private dataSum(hdu: Hdu): number {
    // Padding missing at the end of a cut file counts as the zeros it should have been.
    const padded = paddedSize(hdu.dataBytes);
    const available = Math.min(padded, this.source.size - hdu.dataOffset);
    let sum = 0;
    for (let at = 0; at < padded; at += CHECKSUM_CHUNK) {
      const length = Math.min(CHECKSUM_CHUNK, padded - at);
      const chunk = new Uint8Array(length);
      const stored = Math.max(0, Math.min(length, available - at));
      if (stored > 0) chunk.set(this.source.read(hdu.dataOffset + at, stored));
      sum = checksumBytes(chunk, sum);
    }
    return sum;
  }
}

export function scalingOf(header: Header): Scaling {
  const bzero = header.get("BZERO");
  const blank = header.get("BLANK");
  return {
    bscale: header.has("BSCALE") ? header.getNumber("BSCALE") : 1,
    bzero: typeof bzero === "bigint" ? bzero : header.has("BZERO") ? header.getNumber("BZERO") : 0,
    blank: typeof blank === "number" || typeof blank === "bigint" ? blank : undefined,
  };
}

/** Expands an HST constant-value extension (NAXIS = 0, PIXVALUE, NPIX1, NPIX2, …). */
function constantImage(hdu: Hdu, scaling: Scaling, raw: boolean): Image {
  const empty = decodePixels(new Uint8Array(new ArrayBuffer(0)), hdu.bitpix, scaling, raw);
  if (!hdu.npix) return { axes: [], data: empty };
  const axes = hdu.npix;
  const value = hdu.header.getNumber("PIXVALUE");
  const count = axes.reduce((a, b) => a * b, 1);
  const Ctor = empty.constructor as new (n: number) => PixelArray;
  let data: PixelArray | undefined;
  // Expanded on first use: a calibration step often needs only the value (and a 4144×2068 fill is not free).
  return {
    axes,
    constant: value,
    get data(): PixelArray {
      if (data === undefined) {
        const bytes = count * empty.BYTES_PER_ELEMENT;
        if (bytes > MAX_BUFFER_BYTES) {
          const detail = `NPIXn declare ${bytes} bytes of constant pixels, more than a buffer holds (${MAX_BUFFER_BYTES})`;
          const location = { ...hdu.header.location, hdu: hdu.index, keyword: `NPIX${axes.length}` };
          throw new FitsError("TOO_LARGE", detail, location);
        }
        data = new Ctor(count);
        // A new array is zeros already: most constant extensions (a raw's ERR and DQ) need no pass at all.
        if (data instanceof BigInt64Array || data instanceof BigUint64Array) data.fill(BigInt(Math.trunc(value)));
        else if (!Object.is(value, 0)) data.fill(value);
      }
      return data;
    },
  };
}
