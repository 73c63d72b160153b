import type { Header, HeaderValue } from "../fits/index.js";
import { defaultLonpole } from "./celestial.js";
import { WcsError, type WcsLocation } from "./errors.js";
import type { LookupTable } from "./lookup.js";
import { determinant, type Matrix2, type Wcs } from "./model.js";
import { readSip } from "./sip-keywords.js";

/** Finds a lookup-table extension (D2IMARR or WCSDVARR) by EXTVER. */
export type TableResolver = (extname: "D2IMARR" | "WCSDVARR", extver: number) => LookupTable | undefined;

const CELESTIAL_TAN = /^(RA--|GLON|ELON|[A-Z]{2}LN)-TAN(-SIP)?$/;
const CELESTIAL_TAN_LAT = /^(DEC-|GLAT|ELAT|[A-Z]{2}LT)-TAN(-SIP)?$/;

/**
 * The WCS of one header, read as astropy.wcs reads it: CD, else PC × CDELT, else CROTA2 × CDELT; LONPOLE's
 * default; SIP when A_ORDER is present; the D2IM and CPDIS lookup tables through `tables`. Only a celestial
 * TAN (longitude on axis 1) is supported; anything else, and a missing or inconsistent keyword, is an error.
 */
export function readWcs(header: Header, tables: TableResolver = () => undefined, where: WcsLocation = {}): Wcs {
  const fail = (keyword: string, detail: string): never => {
    throw new WcsError(detail, { ...where, keyword });
  };
  const number = (keyword: string, fallback?: number): number => {
    const value = header.get(keyword);
    if (value === undefined || value === null) return fallback ?? fail(keyword, "keyword is missing");
    if (typeof value === "bigint") return Number(value);
    if (typeof value !== "number" || !Number.isFinite(value)) return fail(keyword, `not a number: ${String(value)}`);
    return value;
  };
  const ctype1 = stringValue(header.get("CTYPE1")) ?? fail("CTYPE1", "keyword is missing");
  const ctype2 = stringValue(header.get("CTYPE2")) ?? fail("CTYPE2", "keyword is missing");
  if (!CELESTIAL_TAN.test(ctype1)) fail("CTYPE1", `'${ctype1}' is not a celestial TAN longitude axis`);
  if (!CELESTIAL_TAN_LAT.test(ctype2)) fail("CTYPE2", `'${ctype2}' is not a celestial TAN latitude axis`);
  for (const keyword of ["CUNIT1", "CUNIT2"]) {
    const unit = stringValue(header.get(keyword));
    if (unit !== undefined && unit !== "" && unit !== "DEG") fail(keyword, `unit '${unit}' is not deg`);
  }
  const crval: [number, number] = [number("CRVAL1"), number("CRVAL2")];
  if (Math.abs(crval[1]) > 90) fail("CRVAL2", `declination ${crval[1]} is outside [-90, 90]`);
  const cd = linearMatrix(header, number, fail);
  if (determinant(cd) === 0) fail(header.has("CD1_1") ? "CD1_1" : "CDELT1", "the linear transformation is singular");
  const sipKeywords = header.has("A_ORDER") || header.has("B_ORDER");
  return {
    ctype: [ctype1, ctype2],
    crpix: [number("CRPIX1"), number("CRPIX2")],
    crval,
    cd,
    lonpole: number("LONPOLE", defaultLonpole(crval[1])),
    latpole: header.has("LATPOLE") ? number("LATPOLE") : undefined,
    sip: sipKeywords ? readSip(header, number) : undefined,
    det2im: [lookup(header, "D2IMDIS", "D2IM", 1, tables, fail), lookup(header, "D2IMDIS", "D2IM", 2, tables, fail)],
    cpdis: [lookup(header, "CPDIS", "DP", 1, tables, fail), lookup(header, "CPDIS", "DP", 2, tables, fail)],
  };
}

function stringValue(value: HeaderValue | undefined): string | undefined {
  return typeof value === "string" ? value.trim().toUpperCase() : undefined;
}

function linearMatrix(
  header: Header,
  number: (keyword: string, fallback?: number) => number,
  fail: (keyword: string, detail: string) => never,
): Matrix2 {
  const has = (prefix: string) => ["1_1", "1_2", "2_1", "2_2"].some((ij) => header.has(`${prefix}${ij}`));
  if (!has("PC") && has("CD")) {
    return [
      [number("CD1_1", 0), number("CD1_2", 0)],
      [number("CD2_1", 0), number("CD2_2", 0)],
    ];
  }
  if (!header.has("CDELT1") && !header.has("CDELT2")) fail("CD1_1", "the header has neither CDi_j nor CDELTi");
  const cdelt = [number("CDELT1", 1), number("CDELT2", 1)];
  let pc: Matrix2 = [
    [number("PC1_1", 1), number("PC1_2", 0)],
    [number("PC2_1", 0), number("PC2_2", 1)],
  ];
  if (!has("PC") && header.has("CROTA2")) {
    const rho = (number("CROTA2") * Math.PI) / 180;
    const [c, s] = [Math.cos(rho), Math.sin(rho)];
    pc = [
      [c, (-s * cdelt[1]) / cdelt[0]],
      [(s * cdelt[0]) / cdelt[1], c],
    ];
  }
  return [
    [cdelt[0] * pc[0][0], cdelt[0] * pc[0][1]],
    [cdelt[1] * pc[1][0], cdelt[1] * pc[1][1]],
  ];
}

/** The value of a record-valued keyword's field (`DP1 = 'EXTVER: 1'` → DP1.EXTVER = 1). */
export function recordField(header: Header, keyword: string, field: string): number | undefined {
  const upper = keyword.toUpperCase();
  for (const card of header.cards) {
    if (card.keyword !== upper || typeof card.value !== "string") continue;
    const m = /^\s*([\w.]+)\s*:\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[EeDd][+-]?\d+)?)\s*$/.exec(card.value);
    if (m && m[1].toUpperCase() === field.toUpperCase()) return Number(m[2].replace(/[dD]/, "E"));
  }
  return undefined;
}

function lookup(
  header: Header,
  dis: "D2IMDIS" | "CPDIS",
  record: "D2IM" | "DP",
  axis: 1 | 2,
  tables: TableResolver,
  fail: (keyword: string, detail: string) => never,
): LookupTable | undefined {
  const kind = stringValue(header.get(`${dis}${axis}`));
  if (kind === undefined) return undefined;
  if (kind !== "LOOKUP") fail(`${dis}${axis}`, `distortion type '${kind}' is not supported (only 'Lookup')`);
  const extname = dis === "D2IMDIS" ? "D2IMARR" : "WCSDVARR";
  const extver = recordField(header, `${record}${axis}`, "EXTVER") ?? 1;
  return tables(extname, extver) ?? fail(`${record}${axis}`, `the ${extname} extension of EXTVER ${extver} is missing`);
}
