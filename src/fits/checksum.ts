/**
 * FITS CHECKSUM/DATASUM (the 32-bit ones' complement checksum convention, FITS standard 4.0 appendix J).
 * Sums are carried as plain numbers: `addSum` folds two partial sums, `checksumBytes` sums a buffer of
 * whole 4-byte big-endian words.
 */

/** Ones' complement sum of big-endian 32-bit words, continuing from `previous`. `bytes.length` must be a multiple of 4. */
export function checksumBytes(bytes: Uint8Array, previous = 0): number {
  if (bytes.byteLength % 4 !== 0) throw new Error("checksum needs whole 32-bit words");
  // Byte lanes are summed separately (two 16-bit lanes per 32-bit accumulator) so that no byte swap is
  // needed per word; each lane holds at most 255 * 256 before it is flushed into the double totals.
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let b3 = 0;
  const aligned = bytes.byteOffset % 4 === 0;
  const words = aligned ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4) : undefined;
  const n = bytes.byteLength / 4;
  for (let start = 0; start < n; start += 256) {
    const end = Math.min(start + 256, n);
    let even = 0;
    let odd = 0;
    if (words) {
      for (let i = start; i < end; i++) {
        const x = words[i];
        even += x & 0x00ff00ff;
        odd += (x >>> 8) & 0x00ff00ff;
      }
    } else {
      for (let i = start; i < end; i++) {
        const k = 4 * i;
        even += bytes[k] | (bytes[k + 2] << 16);
        odd += bytes[k + 1] | (bytes[k + 3] << 16);
      }
    }
    // little-endian load: lane 0 of `even` is byte 0 (the most significant byte of the big-endian word)
    b0 += even & 0xffff;
    b2 += even >>> 16;
    b1 += odd & 0xffff;
    b3 += odd >>> 16;
  }
  const hi = b0 * 256 + b1;
  const lo = b2 * 256 + b3;
  return addSum(previous, fold(hi, lo));
}

/** Folds 16-bit half sums (each possibly far beyond 16 bits) with end-around carry into a 32-bit sum. */
function fold(hi: number, lo: number): number {
  for (;;) {
    const hiCarry = Math.floor(hi / 65536);
    const loCarry = Math.floor(lo / 65536);
    if (hiCarry === 0 && loCarry === 0) break;
    hi = (hi % 65536) + loCarry;
    lo = (lo % 65536) + hiCarry;
  }
  return hi * 65536 + lo;
}

/** Ones' complement sum of two 32-bit sums. */
export function addSum(a: number, b: number): number {
  const s = a + b;
  return s > 0xffffffff ? s - 0xffffffff : s;
}

const EXCLUDED = new Set([0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60]);

/** The 16-character ASCII encoding of a checksum (complemented, as written in CHECKSUM). */
export function encodeChecksum(sum: number, complement = true): string {
  const value = complement ? 0xffffffff - sum : sum;
  const asc: number[] = new Array(16);
  for (let i = 0; i < 4; i++) {
    const byte = Math.floor(value / 2 ** (24 - 8 * i)) & 0xff;
    const quotient = Math.floor(byte / 4) + 0x30;
    const remainder = byte % 4;
    const ch = [quotient + remainder, quotient, quotient, quotient];
    for (let changed = true; changed; ) {
      changed = false;
      for (let j = 0; j < 4; j += 2) {
        if (EXCLUDED.has(ch[j]) || EXCLUDED.has(ch[j + 1])) {
          ch[j]++;
          ch[j + 1]--;
          changed = true;
        }
      }
    }
    for (let j = 0; j < 4; j++) asc[4 * j + i] = ch[j];
  }
  let out = "";
  for (let i = 0; i < 16; i++) out += String.fromCharCode(asc[(i + 15) % 16]);
  return out;
}

/** A header or whole HDU checks out when its sum (with CHECKSUM in place) is all ones: -0 in ones' complement. */
export function isValidTotal(sum: number): boolean {
  return sum === 0xffffffff;
}
