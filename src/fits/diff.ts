import { type DataDiff, dataIdentical, diffTables } from "./diff-data.js";
import { diffHeaders, type HeaderDiff, type HeaderDiffOptions, headerIdentical } from "./diff-header.js";
import { diffImageHdus, diffRawHdus } from "./diff-image.js";
import { wildcardMatcher } from "./diff-values.js";
import { FitsFile, type Hdu } from "./reader.js";

export type { DataDiff, ImageDiff, TableDiff } from "./diff-data.js";
export { dataIdentical } from "./diff-data.js";
export type { HeaderDiff, ValueDifference } from "./diff-header.js";

export interface DiffOptions extends HeaderDiffOptions {
  ignoreFields: readonly string[];
  /** EXTNAMEs (wildcards allowed) of HDUs left out of the comparison. */
  ignoreHdus: readonly string[];
  /** How many differing data values to keep per HDU (negative: all). */
  numDiffs: number;
  /** Stop at the first difference found (for an exit status only: counts and lists are then partial). */
  quick?: boolean;
}

export const DEFAULT_DIFF_OPTIONS: DiffOptions = {
  rtol: 0,
  atol: 0,
  ignoreKeywords: [],
  ignoreComments: [],
  ignoreFields: [],
  ignoreHdus: [],
  ignoreBlanks: true,
  ignoreBlankCards: true,
  numDiffs: 10,
};

export interface HduDiff {
  /** Position among the compared HDUs (after --ignore-hdus). */
  index: number;
  name: string;
  ver: number;
  names?: [string, string];
  vers?: [number, number];
  types?: [string, string];
  header: HeaderDiff;
  data?: DataDiff;
}

export interface FileDiff {
  a: string;
  b: string;
  identical: boolean;
  hduCount?: [number, number];
  /** The HDUs that differ. */
  hdus: HduDiff[];
}

const IMAGE_TYPES = new Set(["primary", "image"]);
const TABLE_TYPES = new Set(["bintable", "table"]);

function tforms(hdu: Hdu): string[] {
  const n = hdu.header.getInt("TFIELDS", 0);
  return Array.from({ length: n }, (_, i) => String(hdu.header.get(`TFORM${i + 1}`) ?? "").trim());
}

function diffData(fa: FitsFile, a: Hdu, fb: FitsFile, b: Hdu, options: DiffOptions): DataDiff | undefined {
  if (IMAGE_TYPES.has(a.type) && IMAGE_TYPES.has(b.type)) {
    // NAXIS = 0 (HST's constant extensions too) is no data, as for astropy; other shapes are compared first
    if (a.axes.length === 0 || b.axes.length === 0) return undefined;
    return diffImageHdus(fa, a, fb, b, options);
  }
  if (a.dataBytes === 0 || b.dataBytes === 0) return undefined;
  if (TABLE_TYPES.has(a.type) && TABLE_TYPES.has(b.type)) {
    return diffTables(fa.readTable(a), fb.readTable(b), options, [tforms(a), tforms(b)]);
  }
  if (a.type !== b.type) return undefined;
  return diffRawHdus(fa, a, fb, b, options);
}

function diffHdu(fa: FitsFile, a: Hdu, fb: FitsFile, b: Hdu, index: number, options: DiffOptions): HduDiff {
  const diff: HduDiff = { index, name: a.name, ver: a.ver, header: diffHeaders(a.header, b.header, options) };
  if (a.name.toUpperCase() !== b.name.toUpperCase()) diff.names = [a.name, b.name];
  if (a.ver !== b.ver) diff.vers = [a.ver, b.ver];
  const xa = String(a.header.get("XTENSION") ?? "");
  const xb = String(b.header.get("XTENSION") ?? "");
  if (xa !== xb) diff.types = [xa, xb];
  const known = options.quick && (diff.names || diff.vers || diff.types || !headerIdentical(diff.header));
  if (!known) diff.data = diffData(fa, a, fb, b, options);
  return diff;
}

function hduIdentical(d: HduDiff): boolean {
  return !d.names && !d.vers && !d.types && headerIdentical(d.header) && (!d.data || dataIdentical(d.data));
}

/**
 * Compares two FITS files HDU by HDU in order (headers, then image, table or raw data), as fitsdiff does;
 * image and raw data are read in blocks, so memory stays bounded whatever the files' sizes.
 */
export function diffFiles(pathA: string, pathB: string, options: DiffOptions = DEFAULT_DIFF_OPTIONS): FileDiff {
  const fa = FitsFile.open(pathA);
  try {
    const fb = FitsFile.open(pathB);
    try {
      const skip = wildcardMatcher(options.ignoreHdus);
      const hdusA = fa.hdus.filter((h) => !skip(h.name));
      const hdusB = fb.hdus.filter((h) => !skip(h.name));
      const result: FileDiff = { a: pathA, b: pathB, identical: true, hdus: [] };
      if (hdusA.length !== hdusB.length) result.hduCount = [hdusA.length, hdusB.length];
      const compared = options.quick && result.hduCount ? 0 : Math.min(hdusA.length, hdusB.length);
      for (let i = 0; i < compared; i++) {
        const d = diffHdu(fa, hdusA[i], fb, hdusB[i], i, options);
        if (hduIdentical(d)) continue;
        result.hdus.push(d);
        if (options.quick) break;
      }
      result.identical = !result.hduCount && result.hdus.length === 0;
      return result;
    } finally {
      fb.close();
    }
  } finally {
    fa.close();
  }
}
