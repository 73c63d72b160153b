import { FitsError } from "./errors.js";
import { BLOCK, type Header } from "./header.js";
import { type Bitpix, bytesPerPixel, isBitpix } from "./pixels.js";

export type HduType = "primary" | "image" | "bintable" | "table" | "other";

/** What the mandatory keywords of a header say about its HDU. */
export interface HduStructure {
  type: HduType;
  bitpix: Bitpix;
  /** NAXIS1, NAXIS2, … (NAXIS1 varies fastest). */
  axes: number[];
  pcount: number;
  gcount: number;
  /** Bytes of data (main table plus heap), before padding. */
  dataBytes: number;
}

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

/** Reads BITPIX, NAXISn, PCOUNT and GCOUNT; throws a located FitsError when one is missing or wrong. */
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
  const naxis = header.getInt("NAXIS");
  if (naxis < 0 || naxis > 999) throw badValue(header, "NAXIS", `NAXIS = ${naxis} is out of range`);
  const axes: number[] = [];
  for (let i = 1; i <= naxis; i++) {
    const n = header.getInt(`NAXIS${i}`);
    if (n < 0) throw badValue(header, `NAXIS${i}`, `NAXIS${i} = ${n} is negative`);
    axes.push(n);
  }
  const type = hduType(header, index);
  const pcount = index === 0 ? 0 : header.getInt("PCOUNT", 0);
  const gcount = index === 0 ? 1 : header.getInt("GCOUNT", 1);
  const groups = index === 0 && header.get("GROUPS") === true && axes[0] === 0;
  const pixels = naxis === 0 ? 0 : (groups ? axes.slice(1) : axes).reduce((a, b) => a * b, 1);
  const dataBytes = bytesPerPixel(bitpix) * gcount * (pcount + pixels);
  return { type, bitpix, axes, pcount, gcount, dataBytes };
}

function badValue(header: Header, keyword: string, detail: string): FitsError {
  return new FitsError("BAD_VALUE", detail, { ...header.location, card: header.indexOf(keyword) + 1, keyword });
}
