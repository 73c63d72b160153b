import { defaultLonpole } from "./celestial.js";
import type { IdcModel } from "./idc.js";
import type { Matrix2, Wcs } from "./model.js";
import type { Sip } from "./sip.js";
import { zeroPolynomial } from "./sip.js";
import { rotation } from "./tdd.js";
import { focalToSky } from "./transform.js";

/**
 * stwcs's MakeWCS, VACorr and CompSIP as pure functions: the distortion-corrected linear WCS of a chip from
 * the pointing (PA_V3), the reference chip's WCS and both chips' IDCTAB models, the velocity aberration
 * scale, and the SIP polynomial of the IDCTAB's higher orders. Full frames only (LTV = 0).
 */
export interface ChipInput {
  /** The pipeline's (OPUS) WCS of the chip, before any distortion correction. */
  wcs: Wcs;
  /** The chip's IDCTAB model, with the time-dependent skew already applied. */
  idc: IdcModel;
  /** Diagonal of the instrument's parity matrix (ACS/WFC, WFC3/UVIS: 1, -1). */
  parity: [number, number];
  /**
   * The pre-2014 ACS/WFC skew's shift of the chip's V2/V3 reference (stwcs's zero_point_corr), and the plate
   * scale of the reference chip's pipeline CD that scales it; absent for every other calibration.
   */
  zeroPoint?: { v23: [number, number]; refPscale: number };
  /** LTV1/LTV2 of a subarray (0, 0 for a full frame). */
  ltv?: [number, number];
}

/**
 * stwcs's getOffsets for a subarray: where the chip's model reference falls in the subarray (ltvoff) and the
 * pipeline CRPIX the reference frame is anchored on (offshift); zero for a full frame.
 */
export interface SubarrayOffsets {
  ltvoff: [number, number];
  offshift: [number, number];
}

export function subarrayOffsets(chip: ChipInput): SubarrayOffsets {
  const [l1, l2] = chip.ltv ?? [0, 0];
  if (l1 === 0 && l2 === 0) return { ltvoff: [0, 0], offshift: [0, 0] };
  const ox = chip.wcs.crpix[0] - l1 - chip.idc.xref;
  const oy = chip.wcs.crpix[1] - l2 - chip.idc.yref;
  return { ltvoff: [l1 + ox, l2 + oy], offshift: [ox + chip.idc.xref + l1, oy + chip.idc.yref + l2] };
}

/** The chip's V2/V3 reference, shifted by its zero-point correction scaled by refPscale / cx11. */
function v23Of(chip: ChipInput, cx11: number): [number, number] {
  const z = chip.zeroPoint;
  const scale = z ? z.refPscale / cx11 : 0;
  return [chip.idc.v2ref + (z ? z.v23[0] * scale : 0), chip.idc.v3ref - (z ? z.v23[1] * scale : 0)];
}

const D2R = Math.PI / 180;

/** The roll angle at the aperture from the roll at V1 (PA_V3), the declination and the aperture's V2/V3. */
export function troll(roll: number, dec: number, v2: number, v3: number): number {
  const r = roll * D2R;
  const d = dec * D2R;
  const v2r = (v2 / 3600) * D2R;
  const v3r = (v3 / 3600) * D2R;
  const sinRho = Math.sqrt(Math.sin(v2r) ** 2 + Math.sin(v3r) ** 2 - Math.sin(v2r) ** 2 * Math.sin(v3r) ** 2);
  const rho = Math.asin(sinRho);
  let beta = Math.asin(Math.sin(v3r) / sinRho);
  if (v2r < 0) beta = Math.PI - beta;
  let gamma = Math.asin(Math.sin(v2r) / sinRho);
  if (v3r < 0) gamma = Math.PI - gamma;
  const a = Math.PI / 2 + r - beta;
  const b = Math.atan2(Math.sin(a) * Math.cos(d), Math.sin(d) * sinRho - Math.cos(d) * Math.cos(rho) * Math.cos(a));
  return (Math.PI - (gamma + b)) / D2R;
}

export function diffAngles(a: number, b: number): number {
  const d = a - b;
  return d > 180 ? d - 360 : d < -180 ? d + 360 : d;
}

/** The plate scale of a CD matrix in arcseconds per pixel (stwcs's setPscale). */
export const plateScale = (cd: Matrix2) => Math.hypot(cd[0][0], cd[1][0]) * 3600;

/** The reference chip's frame: at its IDCTAB reference point, oriented by the roll at that point. */
export function referenceFrame(ref: ChipInput, pav3: number, offsets = subarrayOffsets(ref)): Wcs {
  const crval = focalToSky(ref.wcs, ref.idc.xref + offsets.ltvoff[0], ref.idc.yref + offsets.ltvoff[1]);
  const [v2, v3] = v23Of(ref, ref.idc.cx[1][1]);
  let pv = troll(pav3, ref.wcs.crval[1], v2, v3);
  if (ref.idc.theta) pv += ref.idc.theta;
  const s = ref.idc.pscale / 3600;
  const [c, n] = [Math.cos(pv * D2R), Math.sin(pv * D2R)];
  return {
    ...ref.wcs,
    crpix: offsets.offshift,
    crval,
    lonpole: defaultLonpole(crval[1]),
    cd: [
      [ref.parity[0] * c * s, ref.parity[0] * -n * s],
      [ref.parity[1] * n * s, ref.parity[1] * c * s],
    ],
    sip: undefined,
    det2im: [undefined, undefined],
    cpdis: [undefined, undefined],
  };
}

/**
 * The chip's corrected WCS: CRPIX at its IDCTAB reference pixel, CRVAL where its V2/V3 offset from the
 * reference chip falls in the reference frame, CD from the linear IDCTAB terms mapped through that frame, then
 * scaled by the velocity aberration factor about the reference point.
 */
export function chipWcs(
  ext: ChipInput,
  ref: ChipInput,
  frame: Wcs,
  vafactor: number,
  offsets = subarrayOffsets(ext),
): Pick<Wcs, "crpix" | "crval" | "cd"> {
  const { cx: fx, cy: fy } = ext.idc;
  const scale = ref.idc.pscale / 3600;
  const [v2, v3] = v23Of(ext, fx[1][1]);
  const [v2ref, v3ref] = v23Of(ref, fx[1][1]);
  const dv2 = v2 - v2ref;
  const dv3 = v3 - v3ref;
  const off = Math.hypot(dv2, dv3) / (scale * 3600);
  let theta = dv3 === 0 ? 0 : Math.atan2(ext.parity[0] * dv2, ext.parity[1] * dv3);
  if (ref.idc.theta) theta += ref.idc.theta * D2R;
  const dX = off * Math.sin(theta) + offsets.offshift[0];
  const dY = off * Math.cos(theta) + offsets.offshift[1];
  const crval = focalToSky(frame, dX, dY);
  const delmat = [
    [fx[1][1] / scale / 3600, fy[1][1] / scale / 3600],
    [fx[1][0] / scale / 3600, fy[1][0] / scale / 3600],
  ];
  const r = rotation(ext.idc.theta ? ext.idc.theta - ref.idc.theta : 0);
  const dxy = [0, 1].map((i) => [0, 1].map((j) => delmat[i][0] * r[0][j] + delmat[i][1] * r[1][j]));
  const w0 = focalToSky(frame, dX + dxy[0][0], dY + dxy[0][1]);
  const w1 = focalToSky(frame, dX + dxy[1][0], dY + dxy[1][1]);
  const cosDec = Math.cos(crval[1] * D2R);
  const cd: Matrix2 = [
    [diffAngles(w0[0], crval[0]) * cosDec * vafactor, diffAngles(w1[0], crval[0]) * cosDec * vafactor],
    [diffAngles(w0[1], crval[1]) * vafactor, diffAngles(w1[1], crval[1]) * vafactor],
  ];
  const aberrated: [number, number] = [
    frame.crval[0] + vafactor * diffAngles(crval[0], frame.crval[0]),
    frame.crval[1] + vafactor * diffAngles(crval[1], frame.crval[1]),
  ];
  const crpix: [number, number] = [ext.idc.xref + offsets.ltvoff[0], ext.idc.yref + offsets.ltvoff[1]];
  return { crpix, crval: aberrated, cd };
}

/** stwcs's CompSIP: the IDCTAB's terms of degree 2 and up, taken back to pixels by the inverse linear terms. */
export function sipFromIdc(idc: IdcModel, binned = 1): Sip {
  const { cx, cy, order } = idc;
  const det = cx[1][1] * cy[1][0] - cx[1][0] * cy[1][1];
  const inv = [
    [cy[1][0] / det, -cx[1][0] / det],
    [-cy[1][1] / det, cx[1][1] / det],
  ];
  const a = zeroPolynomial(order);
  const b = zeroPolynomial(order);
  for (let n = 2; n <= order; n++) {
    for (let m = 0; m <= n; m++) {
      a.coefficients[m][n - m] = (inv[0][0] * cx[n][m] + inv[0][1] * cy[n][m]) * binned;
      b.coefficients[m][n - m] = (inv[1][0] * cx[n][m] + inv[1][1] * cy[n][m]) * binned;
    }
  }
  return { a, b };
}

/** The diagonal of stwcs's parity matrix for an instrument and detector (V2/V3 to detector axes). */
export function parityOf(instrument: string, detector: string): [number, number] {
  if (instrument === "ACS" && detector === "WFC") return [1, -1];
  if ((instrument === "ACS" && (detector === "HRC" || detector === "SBC")) || instrument === "WFC3") return [-1, 1];
  return [1, -1];
}
