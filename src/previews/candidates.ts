/** CALDP's §9 rules: which files of a dataset get previews, and of which kind. */
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { FitsFile } from "../fits/index.js";

export const PREVIEW_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  stis: ["x1d", "sx1"],
  cos: ["x1d", "x1dsum", "x1dsum1", "x1dsum2", "x1dsum3", "x1dsum4"],
  acs: ["crj", "drc", "drz", "raw", "flc", "flt"],
  wfc3: ["drc", "drz", "flc", "flt", "ima", "raw"],
};
export const HAP_SUFFIXES = ["drc", "drz"] as const;

/** The last `_` token of the basename before the first `.` (`_flt_hlet` → `hlet`). */
export function suffixOf(file: string): string {
  const stem = basename(file).split(".")[0];
  return stem.slice(stem.lastIndexOf("_") + 1);
}

/** Sorted `*.fits` files of `dir` whose names start with `prefix` and contain `contains`. */
export function fitsFiles(dir: string, prefix: string, contains = ""): string[] {
  return readdirSync(dir)
    .filter((n) => n.startsWith(prefix) && n.endsWith(".fits") && n.includes(contains))
    .sort()
    .map((n) => join(dir, n));
}

export type PreviewKind = "image" | "spectrum" | "unknown";

/**
 * From HDU 1 as CALDP does: a BINTABLE (not ASN) with NAXIS 2 is a spectrum; an IMAGE with NAXIS ≥ 2 of an
 * instrument other than COS/STIS (first letter l/o, from INSTRUME or else the file name) is an image.
 * Throws (FitsError) when the file cannot be read or has no HDU 1.
 */
export function previewKind(file: string): PreviewKind {
  const fits = FitsFile.open(file);
  try {
    const hdu = fits.hdu(1);
    const h = hdu.header;
    const naxis = h.getInt("NAXIS", 0);
    const xtension = String(h.get("XTENSION") ?? "").trim();
    const extname = String(h.get("EXTNAME") ?? "").trim();
    const instrument = String(h.get("INSTRUME") ?? fits.hdus[0].header.get("INSTRUME") ?? basename(file));
    const letter = instrument.charAt(0).toLowerCase();
    if (naxis === 2 && xtension === "BINTABLE" && extname !== "ASN") return "spectrum";
    if (naxis >= 2 && xtension === "IMAGE" && letter !== "l" && letter !== "o") return "image";
    return "unknown";
  } finally {
    fits.close();
  }
}
