import { FitsError } from "./errors.js";

export type Bitpix = 8 | 16 | 32 | 64 | -32 | -64;
export const BITPIX_VALUES: readonly Bitpix[] = [8, 16, 32, 64, -32, -64];

export type PixelArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

export function isBitpix(n: unknown): n is Bitpix {
  return BITPIX_VALUES.includes(n as Bitpix);
}

export function bytesPerPixel(bitpix: Bitpix): number {
  return Math.abs(bitpix) / 8;
}

/** The BZERO that stores an unsigned (or, for 8 bits, signed) type in FITS's signed integers. */
const OFFSET_ZERO: Record<number, bigint> = {
  8: -128n,
  16: 32768n,
  32: 2147483648n,
  64: 9223372036854775808n,
};

function isOffsetZero(bitpix: Bitpix, bzero: number | bigint): boolean {
  if (typeof bzero === "number" && !Number.isInteger(bzero)) return false;
  return BigInt(bzero) === OFFSET_ZERO[bitpix];
}

/** How an array type is stored: BITPIX and the BZERO it needs (0 when none). */
export function storageOf(data: PixelArray): { bitpix: Bitpix; bzero: number | bigint } {
  if (data instanceof Uint8Array) return { bitpix: 8, bzero: 0 };
  if (data instanceof Int8Array) return { bitpix: 8, bzero: -128 };
  if (data instanceof Int16Array) return { bitpix: 16, bzero: 0 };
  if (data instanceof Uint16Array) return { bitpix: 16, bzero: 32768 };
  if (data instanceof Int32Array) return { bitpix: 32, bzero: 0 };
  if (data instanceof Uint32Array) return { bitpix: 32, bzero: 2147483648 };
  if (data instanceof BigInt64Array) return { bitpix: 64, bzero: 0 };
  if (data instanceof BigUint64Array) return { bitpix: 64, bzero: 9223372036854775808n };
  if (data instanceof Float32Array) return { bitpix: -32, bzero: 0 };
  return { bitpix: -64, bzero: 0 };
}

function newStored(bitpix: Bitpix, buffer: ArrayBuffer, offset: number, length: number): PixelArray {
  switch (bitpix) {
    case 8:
      return new Uint8Array(buffer, offset, length);
    case 16:
      return new Int16Array(buffer, offset, length);
    case 32:
      return new Int32Array(buffer, offset, length);
    case 64:
      return new BigInt64Array(buffer, offset, length);
    case -32:
      return new Float32Array(buffer, offset, length);
    case -64:
      return new Float64Array(buffer, offset, length);
  }
}

/** Swaps big-endian FITS bytes to native (little-endian) order in place. */
export function swapInPlace(bytes: Uint8Array, size: number): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (size === 2) buf.swap16();
  else if (size === 4) buf.swap32();
  else if (size === 8) buf.swap64();
}

/** Flips the sign bit of every element of little-endian integer data (adds or removes the offset BZERO). */
function flipSignBits(bytes: Uint8Array, size: number): void {
  if (size === 1) {
    for (let i = 0; i < bytes.length; i++) bytes[i] ^= 0x80;
    return;
  }
  if (size === 8 || bytes.byteOffset % 4 !== 0 || bytes.byteLength % 4 !== 0) {
    for (let i = size - 1; i < bytes.length; i += size) bytes[i] ^= 0x80;
    return;
  }
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const mask = size === 2 ? 0x80008000 : 0x80000000;
  for (let i = 0; i < words.length; i++) words[i] ^= mask;
}

export interface Scaling {
  bscale: number;
  bzero: number | bigint;
  /** Integer value that marks an undefined pixel (integer BITPIX only). */
  blank?: number | bigint;
}

/**
 * Turns big-endian stored pixels into a physical array, as astropy does: the offset conventions give
 * unsigned (or signed 8-bit) integer arrays; any other BSCALE/BZERO gives floats (float32 for 8/16-bit
 * and float32 data, float64 otherwise) with BLANK pixels as NaN. `bytes` must be a private, 8-byte aligned
 * buffer: it is converted in place and may back the result.
 */
export function decodePixels(bytes: Uint8Array, bitpix: Bitpix, scaling: Scaling, raw = false): PixelArray {
  const size = bytesPerPixel(bitpix);
  const count = bytes.byteLength / size;
  if (bytes.byteOffset % size !== 0) throw new Error("decodePixels needs an aligned buffer");
  swapInPlace(bytes, size);
  const stored = newStored(bitpix, bytes.buffer as ArrayBuffer, bytes.byteOffset, count);
  if (raw) return stored;
  const { bscale, bzero } = scaling;
  if (bscale === 1 && (bzero === 0 || bzero === 0n)) return stored;
  if (bitpix > 0 && bscale === 1 && isOffsetZero(bitpix, bzero) && scaling.blank === undefined) {
    flipSignBits(bytes, size);
    return reinterpretUnsigned(bitpix, bytes, count);
  }
  return scaleToFloat(stored, bitpix, scaling);
}

function reinterpretUnsigned(bitpix: Bitpix, bytes: Uint8Array, count: number): PixelArray {
  const { buffer, byteOffset } = bytes;
  switch (bitpix) {
    case 8:
      return new Int8Array(buffer, byteOffset, count);
    case 16:
      return new Uint16Array(buffer, byteOffset, count);
    case 32:
      return new Uint32Array(buffer, byteOffset, count);
    default:
      return new BigUint64Array(buffer, byteOffset, count);
  }
}

function scaleToFloat(stored: PixelArray, bitpix: Bitpix, scaling: Scaling): PixelArray {
  const bscale = scaling.bscale;
  const bzero = Number(scaling.bzero);
  const out =
    bitpix === 8 || bitpix === 16 || bitpix === -32 ? new Float32Array(stored.length) : new Float64Array(stored.length);
  const blank = scaling.blank === undefined ? undefined : Number(scaling.blank);
  if (stored instanceof BigInt64Array) {
    for (let i = 0; i < stored.length; i++) {
      const v = Number(stored[i]);
      out[i] = v === blank ? Number.NaN : v * bscale + bzero;
    }
    return out;
  }
  const s = stored as Exclude<PixelArray, BigInt64Array | BigUint64Array>;
  if (blank === undefined) for (let i = 0; i < s.length; i++) out[i] = s[i] * bscale + bzero;
  else for (let i = 0; i < s.length; i++) out[i] = s[i] === blank ? Number.NaN : s[i] * bscale + bzero;
  return out;
}

/**
 * Writes `count` pixels of `data` starting at element `start` into `out` as big-endian stored values
 * (the array type decides BITPIX and the offset BZERO; see storageOf).
 */
export function encodePixels(data: PixelArray, start: number, count: number, out: Uint8Array): void {
  const size = data.BYTES_PER_ELEMENT;
  const src = new Uint8Array(data.buffer, data.byteOffset + start * size, count * size);
  out.set(src);
  const dst = out.subarray(0, count * size);
  if (size > 1 && out.byteOffset % 4 !== 0) throw new Error("encodePixels needs an aligned buffer");
  const { bzero } = storageOf(data);
  if (bzero !== 0) flipSignBits(dst, size);
  swapInPlace(dst, size);
}

/** Checks NAXISn-derived counts against an array. */
export function checkPixelCount(data: PixelArray, axes: readonly number[]): void {
  const expected = axes.reduce((a, b) => a * b, axes.length ? 1 : 0);
  if (data.length !== expected) {
    throw new FitsError(
      "BAD_STRUCTURE",
      `image has ${data.length} pixels but axes [${axes.join(", ")}] need ${expected}`,
    );
  }
}
