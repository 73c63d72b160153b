/**
 * Header fingerprints of calibrated products: the keywords and HISTORY of the primary header and of the
 * SCI/ERR/DQ headers of the first and last image set, without what legitimately differs between two
 * programs or two runs (structure, dates, checksums, program version, FITS writer).
 */
import type { FitsFile } from "../../src/fits/index.js";

export type KeywordValue = string | number | boolean | null;

export interface HeaderPrint {
  /** "PRIMARY" or "SCI,1". */
  hdu: string;
  keywords: Record<string, KeywordValue>;
  history: string[];
}

const VOLATILE = new Set(
  ["SIMPLE", "XTENSION", "BITPIX", "NAXIS", "NAXIS1", "NAXIS2", "PCOUNT", "GCOUNT", "EXTEND"].concat([
    "NPIX1",
    "NPIX2",
    "PIXVALUE",
    "DATE",
    "IRAF-TLM",
    "CHECKSUM",
    "DATASUM",
    "CAL_VER",
    "ORIGIN",
  ]),
);

export function headerPrints(fits: FitsFile): HeaderPrint[] {
  const versions = fits.hdus.filter((h) => h.name === "SCI").map((h) => h.ver);
  const wanted = new Set([versions[0], versions.at(-1)]);
  return fits.hdus
    .filter((h, i) => i === 0 || (["SCI", "ERR", "DQ"].includes(h.name) && wanted.has(h.ver)))
    .map((h, i) => {
      const keywords: Record<string, KeywordValue> = {};
      const history: string[] = [];
      for (const card of h.header.cards) {
        if (card.keyword === "HISTORY") history.push(card.comment);
        if (card.kind === "commentary" || VOLATILE.has(card.keyword) || card.keyword in keywords) continue;
        const v = card.value;
        keywords[card.keyword] = typeof v === "bigint" ? Number(v) : (v as KeywordValue);
      }
      return { hdu: i === 0 ? "PRIMARY" : `${h.name},${h.ver}`, keywords, history };
    });
}

/** Numbers equal within 1e-6 relative (the C programs print floats with 8 digits), anything else exactly. */
function sameValue(ours: KeywordValue | undefined, theirs: KeywordValue): boolean {
  if (typeof ours === "number" && typeof theirs === "number") {
    return ours === theirs || Math.abs(ours - theirs) <= 1e-6 * Math.max(Math.abs(ours), Math.abs(theirs));
  }
  return ours === theirs;
}

/** One line per keyword or HISTORY difference of one header. */
export function compareHeaders(ours: HeaderPrint | undefined, theirs: HeaderPrint): string[] {
  if (!ours) return ["missing header"];
  const out: string[] = [];
  for (const [k, v] of Object.entries(theirs.keywords)) {
    if (!sameValue(ours.keywords[k], v))
      out.push(`${k} = ${JSON.stringify(ours.keywords[k])}, theirs ${JSON.stringify(v)}`);
  }
  for (const k of Object.keys(ours.keywords)) if (!(k in theirs.keywords)) out.push(`${k} only in ours`);
  if (ours.history.join("\n") !== theirs.history.join("\n")) {
    const at = theirs.history.findIndex((line, i) => ours.history[i] !== line);
    const i = at < 0 ? theirs.history.length : at;
    out.push(`HISTORY line ${i + 1}: ${JSON.stringify(ours.history[i])}, theirs ${JSON.stringify(theirs.history[i])}`);
  }
  return out;
}
