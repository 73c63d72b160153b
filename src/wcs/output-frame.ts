/**
 * AstroDrizzle's default output frame (drizzlepac's make_outputwcs through stwcs's output_wcs): an undistorted
 * TAN grid with square pixels, the reference chip's orientation (or `rotation`: make_orthogonal_cd's roll at the
 * aperture when the chip has IDCV2REF/IDCV3REF and PA_V3, else the CD's), the reference chip's IDCSCALE (or
 * `scale`), CRVAL first at the geographic midpoint of every chip's footprint corners (stwcs ≥ 1.5's
 * computeFootprintCenter) and CRPIX at the centre of a grid just large enough to hold that footprint.
 */
import { skyToTan } from "./celestial.js";
import { WcsError } from "./errors.js";
import { troll } from "./makewcs.js";
import { determinant, invert, type Matrix2, type Wcs } from "./model.js";
import { pixToSky } from "./transform.js";

export interface FrameChip {
  wcs: Wcs;
  width: number;
  height: number;
  /** The chip's IDCSCALE (arcsec per pixel), when its header has one. */
  idcscale?: number;
  /** Where the chip comes from, for errors. */
  name?: string;
  /** PA_V3, the chip's IDCV2REF/IDCV3REF/IDCTHETA and its parity: stwcs's orientation of the undistorted frame. */
  aperture?: { pav3: number; v2ref: number; v3ref: number; theta: number; parity: [number, number] };
}

export interface OutputFrameOptions {
  /** final_rot: degrees east of north of the output's y axis; default the reference chip's orientation. */
  rotation?: number;
  /** final_scale: arcsec per output pixel; default the reference chip's IDCSCALE. */
  scale?: number;
  /** Which chip is the reference (default 0, as AstroDrizzle's first input). */
  reference?: number;
}

export interface OutputFrame {
  wcs: Wcs;
  width: number;
  height: number;
  /** The output's ORIENTAT (degrees) and scale (arcsec per pixel). */
  orientation: number;
  scale: number;
}

/** The CD of square pixels of `scale` arcsec, the y axis `orientation` degrees east of north, RA increasing left. */
export function squareCd(scale: number, orientation: number): Matrix2 {
  const s = scale / 3600;
  const t = (orientation * Math.PI) / 180;
  return [
    [-s * Math.cos(t), s * Math.sin(t)],
    [s * Math.sin(t), s * Math.cos(t)],
  ];
}

/** The orientation (ORIENTAT) of a CD: the y axis's position angle east of north, in degrees. */
export function orientationOf(cd: Matrix2): number {
  return (Math.atan2(cd[0][1], cd[1][1]) * 180) / Math.PI;
}

/** The sky positions of a chip's four corner pixel centres, through its full distortion (calc_footprint). */
export function footprint(chip: FrameChip): [number, number][] {
  const { width: w, height: h } = chip;
  return [
    [1, 1],
    [1, h],
    [w, h],
    [w, 1],
  ].map(([x, y]) => pixToSky(chip.wcs, x, y));
}

export function outputFrame(chips: FrameChip[], options: OutputFrameOptions = {}): OutputFrame {
  if (chips.length === 0) throw new WcsError("no input chip to define the output frame");
  const ref = chips[options.reference ?? 0];
  if (!ref) throw new WcsError(`reference chip ${options.reference} does not exist`);
  const scale = options.scale ?? ref.idcscale ?? Math.sqrt(Math.abs(determinant(ref.wcs.cd))) * 3600;
  if (!(scale > 0 && Number.isFinite(scale)))
    throw new WcsError(`the output scale must be > 0, not ${scale}`, { file: ref.name, keyword: "IDCSCALE" });
  const orientation = options.rotation ?? referenceOrientation(ref);
  const corners = chips.flatMap(footprint);
  const cd = squareCd(scale, orientation);
  const wcs: Wcs = {
    ctype: ["RA---TAN", "DEC--TAN"],
    crpix: [0, 0],
    crval: footprintCenter(corners),
    cd,
    lonpole: 180,
    det2im: [undefined, undefined],
    cpdis: [undefined, undefined],
  };
  // stwcs: the size from the footprint's extent, CRPIX at its centre, then CRVAL moved so that the footprint's
  // lower-left corner falls on the first pixel
  const offsets = () => corners.map(([ra, dec]) => relativePixel(wcs, ra, dec));
  const first = offsets();
  const width = Math.ceil(Math.max(...first.map((p) => p[0])) - Math.min(...first.map((p) => p[0])));
  const height = Math.ceil(Math.max(...first.map((p) => p[1])) - Math.min(...first.map((p) => p[1])));
  if (!(width > 0 && height > 0)) throw new WcsError("the inputs' footprint is empty", { file: ref.name });
  wcs.crpix = [width / 2, height / 2];
  const shift = [
    width / 2 - 1 + Math.min(...first.map((p) => p[0])),
    height / 2 - 1 + Math.min(...first.map((p) => p[1])),
  ];
  wcs.crval = pixToSky(wcs, wcs.crpix[0] + shift[0], wcs.crpix[1] + shift[1]);
  return { wcs, width, height, orientation, scale };
}

/** (ra, dec) in pixels from CRPIX on a linear TAN grid. */
function relativePixel(wcs: Wcs, ra: number, dec: number): [number, number] {
  const [x, y] = skyToTan(wcs, ra, dec);
  const [[a, b], [c, d]] = invert(wcs.cd);
  return [a * x + b * y, c * x + d * y];
}

/** make_orthogonal_cd's orientation: the roll at the aperture plus IDCTHETA through the parity, else the CD's. */
function referenceOrientation(ref: FrameChip): number {
  const a = ref.aperture;
  if (!a) return orientationOf(ref.wcs.cd);
  const pv = ((troll(a.pav3, ref.wcs.crval[1], a.v2ref, a.v3ref) + a.theta) * Math.PI) / 180;
  return (Math.atan2(Math.sin(pv) * a.parity[1], Math.cos(pv) * a.parity[1]) * 180) / Math.PI;
}

/** stwcs's computeFootprintCenter: the geographic midpoint of the corners (robust at the poles and RA 0). */
function footprintCenter(corners: [number, number][]): [number, number] {
  let [x, y, z] = [0, 0, 0];
  const r = Math.PI / 180;
  for (const [ra, dec] of corners) {
    x += Math.cos(dec * r) * Math.cos(ra * r);
    y += Math.cos(dec * r) * Math.sin(ra * r);
    z += Math.sin(dec * r);
  }
  [x, y, z] = [x / corners.length, y / corners.length, z / corners.length];
  return [(((Math.atan2(y, x) / r) % 360) + 360) % 360, Math.atan2(z, Math.hypot(x, y)) / r];
}
