import { type Card, Header } from "../fits/index.js";

/** An image of a distortion reference file (D2IMFILE, NPOLFILE): a DX or DY grid for one chip. */
export interface ReferenceGrid {
  header: Header;
  axes: [number, number];
  data: Float32Array;
}

/** A D2IMARR or WCSDVARR extension to append to the updated file. */
export interface LookupExtension {
  header: Header;
  axes: [number, number];
  data: Float32Array;
}

/** The grid of the reference file for this chip and axis (EXTNAME DX or DY, CCDCHIP default 1). */
export function gridFor(grids: ReferenceGrid[], axis: "DX" | "DY", chip: number): ReferenceGrid | undefined {
  return grids.find(
    (g) => String(g.header.get("EXTNAME") ?? "").trim() === axis && Number(g.header.get("CCDCHIP") ?? 1) === chip,
  );
}

/**
 * The extension stwcs's det2im/npol write for a grid: its axes and sampling (CDELT scaled by LTM, CRVAL
 * shifted by LTV, so the table stays in full-frame image coordinates).
 */
export function lookupExtension(
  extname: "D2IMARR" | "WCSDVARR",
  extver: number,
  axis: "DX" | "DY",
  grid: ReferenceGrid,
  data: Float32Array,
  sci: Header,
): LookupExtension {
  const h = new Header();
  h.set("EXTNAME", extname, { comment: "WCS distortion array" });
  h.set("EXTVER", extver, { comment: "Distortion array version number" });
  h.set("CCDCHIP", axis);
  const num = (header: Header, k: string, fallback: number) => {
    const v = header.get(k);
    return typeof v === "number" ? v : fallback;
  };
  for (const i of [1, 2]) {
    const cdelt = num(grid.header, `CDELT${i}`, 1) * num(sci, `LTM${i}_${i}`, 1);
    const crval = num(grid.header, `CRVAL${i}`, 0) - num(sci, `LTV${i}`, 0);
    h.set(`CDELT${i}`, cdelt, { float: true, comment: "Coordinate increment at reference point" });
    h.set(`CRPIX${i}`, num(grid.header, `CRPIX${i}`, 0), {
      float: true,
      comment: "Pixel coordinate of reference point",
    });
    h.set(`CRVAL${i}`, crval, { float: true, comment: "Coordinate value at reference point" });
  }
  return { header: h, axes: grid.axes, data };
}

/** The largest value of a grid, as stwcs records it in D2IMERRj / CPERRj. */
export function maxOf(data: Float32Array): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of data) if (v > max) max = v;
  return max;
}

/**
 * The science header's keywords naming a lookup table (`D2IMDIS1 = 'Lookup'`, `D2IM1 = 'EXTVER: 1'`, …),
 * record-valued cards included.
 */
export function lookupKeywordCards(kind: "D2IM" | "NPOL", axis: 1 | 2, extver: number, error: number): Card[] {
  const [err, dis, rec, label, what] =
    kind === "D2IM"
      ? ["D2IMERR", "D2IMDIS", "D2IM", "D2IM", "Detector to image correction type"]
      : ["CPERR", "CPDIS", "DP", "CPDIS", "Prior distortion function type"];
  const card = (keyword: string, value: string | number, comment: string): Card => ({
    keyword,
    value,
    kind: typeof value === "string" ? "string" : "float",
    comment,
    hierarch: false,
  });
  const name = kind === "D2IM" ? "D2IM" : "NPOL";
  return [
    card(`${err}${axis}`, error, `Maximum error of ${name} correction for axis ${axis}`),
    card(`${dis}${axis}`, "Lookup", what),
    card(`${rec}${axis}`, `EXTVER: ${extver}`, "Version number of WCSDVARR extension"),
    card(`${rec}${axis}`, "NAXES: 2", `Number of independent variables in ${label} function`),
    card(`${rec}${axis}`, "AXIS.1: 1", `Axis number of the 1st variable in a ${label} function`),
    card(`${rec}${axis}`, "AXIS.2: 2", `Axis number of the 2nd variable in a ${label} function`),
  ];
}

/**
 * stwcs's transformData: the NPOL grids, in the IDCTAB's V2/V3 frame, taken to pixels by the inverse of the
 * linear terms over IDCSCALE, in single precision as numpy computes it.
 */
export function npolToPixels(
  dx: Float32Array,
  dy: Float32Array,
  ocx: [number, number],
  ocy: [number, number],
  idcscale: number,
) {
  const f = Math.fround;
  const m = [f(f(ocx[1]) / idcscale), f(f(ocx[0]) / idcscale), f(f(ocy[1]) / idcscale), f(f(ocy[0]) / idcscale)];
  const det = m[0] * m[3] - m[1] * m[2];
  const inv = [f(m[3] / det), f(-m[1] / det), f(-m[2] / det), f(m[0] / det)];
  const x = new Float32Array(dx.length);
  const y = new Float32Array(dy.length);
  for (let i = 0; i < dx.length; i++) {
    x[i] = inv[0] * dx[i] + inv[1] * dy[i];
    y[i] = inv[2] * dx[i] + inv[3] * dy[i];
  }
  return { dx: x, dy: y };
}
