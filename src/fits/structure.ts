import { FitsError } from "./errors.js";
import { BLOCK, type Header } from "./header.js";
import { type Bitpix, bytesPerPixel, isBitpix } from "./pixels.js";

export type HduType = "primary" | "image" | "bintable" | "table" | "other";

/** What the mandatory keywords of a header say about its HDU. */
export interface HduStructure {
  type: HduType;
  bitpix: Bitpix;
  /** NAXIS1, NAXIS2, … (NAXIS1 varies fastest). Tables: NAXIS1 and NAXIS2 whatever NAXIS says, as astropy. */
  axes: number[];
  pcount: number;
  gcount: number;
  /** Bytes of data (main table plus heap), before padding. */
  dataBytes: number;
  /** HST constant-value extensions (NAXIS = 0 with PIXVALUE): NPIX1, NPIX2, … */
  npix?: number[];
}

/** The most axes the standard allows (NAXIS ≤ 999). */
const MAX_AXES = 999;
/** The most columns a table may have (TFIELDS ≤ 999). */
const MAX_FIELDS = 999;

export function paddedSize(bytes: number): number {
  return Math.ceil(bytes / BLOCK) * BLOCK;
}

function hduType(header: Header, index: number): HduType {
  if (index === 0) return "primary";
  const xt = String(header.get("XTENSION") ?? "")
    .trim()
    .toUpperCase();
  if (xt === "IMAGE") return "image";
  if (xt === "BINTABLE") return "bintable";
  if (xt === "TABLE") return "table";
  return "other";
}

/**
 * Reads BITPIX, NAXISn, PCOUNT, GCOUNT (and NPIXn of constant-value extensions); throws a located
 * FitsError when one is missing, negative or so large that the data size cannot be counted exactly.
 */
export function readStructure(header: Header, index: number): HduStructure {
  if (index === 0) {
    if (header.cards[0]?.keyword !== "SIMPLE")
      throw new FitsError("NOT_FITS", "first card is not SIMPLE", header.location);
  } else if (header.cards[0]?.keyword !== "XTENSION") {
    throw new FitsError("BAD_STRUCTURE", "extension header does not start with XTENSION", header.location);
  }
  const bitpix = header.getInt("BITPIX");
  if (!isBitpix(bitpix)) {
    throw new FitsError("UNSUPPORTED_BITPIX", `BITPIX = ${bitpix} is not one of 8, 16, 32, 64, -32, -64`, {
      ...header.location,
      card: header.indexOf("BITPIX") + 1,
      keyword: "BITPIX",
    });
  }
  const naxis = count(header, "NAXIS", MAX_AXES);
  const type = hduType(header, index);
  const table = type === "bintable" || type === "table";
  const axes: number[] = [];
  for (let i = 1; i <= (table ? 2 : naxis); i++) axes.push(count(header, `NAXIS${i}`));
  const groups = index === 0 && header.get("GROUPS") === true && axes[0] === 0;
  const pcount = index === 0 && !groups ? 0 : count(header, "PCOUNT", undefined, 0);
  const gcount = index === 0 && !groups ? 1 : count(header, "GCOUNT", undefined, 1);
  const pixels = axes.length === 0 ? 0n : product(groups ? axes.slice(1) : axes);
  const bytes = BigInt(bytesPerPixel(bitpix)) * BigInt(gcount) * (BigInt(pcount) + pixels);
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) {
    const keyword = gcount > 1 ? "GCOUNT" : pixels === 0n ? "PCOUNT" : `NAXIS${axes.length}`;
    throw badValue(header, keyword, `NAXISn, PCOUNT and GCOUNT declare ${bytes} bytes of data, beyond 2^53`);
  }
  if (table) count(header, "TFIELDS", MAX_FIELDS);
  const structure: HduStructure = { type, bitpix, axes, pcount, gcount, dataBytes: Number(bytes) };
  if (naxis === 0 && !table && header.has("PIXVALUE")) structure.npix = readNpix(header, bitpix);
  return structure;
}

/** NPIX1, NPIX2, … of an HST constant-value extension, checked like NAXISn. */
function readNpix(header: Header, bitpix: Bitpix): number[] {
  const value = header.getNumber("PIXVALUE");
  if (!Number.isFinite(value)) throw badValue(header, "PIXVALUE", `PIXVALUE = ${value} is not a finite number`);
  const npix: number[] = [];
  for (let i = 1; i <= MAX_AXES && header.has(`NPIX${i}`); i++) npix.push(count(header, `NPIX${i}`));
  const bytes = BigInt(bytesPerPixel(bitpix)) * product(npix);
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw badValue(header, `NPIX${npix.length}`, `NPIXn declare ${bytes} bytes of constant pixels, beyond 2^53`);
  }
  return npix;
}

function product(values: number[]): bigint {
  return values.reduce((a, b) => a * BigInt(b), 1n);
}

/** A non-negative integer keyword (required unless a fallback is given), at most `max` when given. */
function count(header: Header, keyword: string, max?: number, fallback?: number): number {
  const card = header.card(keyword);
  if (card === undefined && fallback !== undefined) return fallback;
  if (card?.kind === "int" && typeof card.value === "bigint") {
    throw badValue(header, keyword, `${keyword} = ${card.value} is too large`);
  }
  const n = header.getInt(keyword);
  if (n < 0) throw badValue(header, keyword, `${keyword} = ${n} is negative`);
  if (max !== undefined && n > max) throw badValue(header, keyword, `${keyword} = ${n} is more than ${max}`);
  return n;
}

function badValue(header: Header, keyword: string, detail: string): FitsError {
  return new FitsError("BAD_VALUE", detail, { ...header.location, card: header.indexOf(keyword) + 1, keyword });
}
