/**
 * calstis7's output grid and input geometry for a first-order spectrum: the SDCTAB row scaled to the input's
 * binning and size (ScaleWCS), the offsets from the MSM shift and the aperture (AddOffsets), the SPTRCTAB
 * traces (rotated by DEGPERYR, interpolated on A2CENTER) and the extension keywords of the rectified image
 * (PutGrpHdr7). Every pixel coordinate here is zero-indexed. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */

/** One SDCTAB row, zero-indexed like calstis7 keeps it (GetSDC). */
export interface X2dGrid {
  sporder: number;
  a2center: number;
  npix: [number, number];
  crpix: [number, number];
  crval: [number, number];
  /** Å per pixel along the dispersion, arcsec per pixel along the slit. */
  cdelt: [number, number];
}

/** An SDCTAB row as the table holds it (CRPIX and A2CENTER one-indexed). */
export interface SdcRow {
  SPORDER: number;
  A2CENTER: number;
  NPIX1: number;
  NPIX2: number;
  CRPIX1: number;
  CRPIX2: number;
  CRVAL1: number;
  CRVAL2: number;
  CDELT1: number;
  CDELT2: number;
}

export const gridOf = (r: SdcRow): X2dGrid => ({
  sporder: Number(r.SPORDER),
  a2center: Number(r.A2CENTER) - 1,
  npix: [Number(r.NPIX1), Number(r.NPIX2)],
  crpix: [Number(r.CRPIX1) - 1, Number(r.CRPIX2) - 1],
  crval: [Number(r.CRVAL1), Number(r.CRVAL2)],
  cdelt: [Number(r.CDELT1), Number(r.CDELT2)],
});

/** LTM and zero-indexed LTV (GetLT0: LTV + LTM − 1) of an input image set. */
export interface InputGeometry {
  ltm: [number, number];
  ltv: [number, number];
  nx: number;
  ny: number;
}

/** Both STIS detectors are 1024 × 1024 reference pixels. */
const DETECTOR_PIXELS = 1024;
/** C's NINT: halves away from zero. */
export const nint = (x: number) => (x >= 0 ? Math.floor(x + 0.5) : -Math.floor(-x + 0.5));

/**
 * ScaleWCS for a first-order spectrum along axis 1: the grid shrunk by the binning and by a subarray, the
 * CDELTs and CRPIXs in image pixels, and the plate scale (arcsec per image pixel along each axis).
 */
export function scaleGrid(grid: X2dGrid, g: InputGeometry): { grid: X2dGrid; plateScale: [number, number] } {
  const npix: [number, number] = [nint(grid.npix[0] * g.ltm[0]), nint(grid.npix[1] * g.ltm[1])];
  const full = [nint(DETECTOR_PIXELS * g.ltm[0]), nint(DETECTOR_PIXELS * g.ltm[1])];
  if (g.nx < full[0]) npix[0] -= full[0] - g.nx;
  if (g.ny < full[1]) npix[1] -= full[1] - g.ny;
  const scaled: X2dGrid = {
    ...grid,
    npix,
    cdelt: [grid.cdelt[0] / g.ltm[0], grid.cdelt[1] / g.ltm[1]],
    crpix: [grid.crpix[0] * g.ltm[0] + g.ltv[0], grid.crpix[1] * g.ltm[1] + g.ltv[1]],
  };
  return { grid: scaled, plateScale: [grid.cdelt[1] / g.ltm[0], grid.cdelt[1] / g.ltm[1]] };
}

/** An SPTRCTAB row: the trace's displacement (rows) at each reference column, zero-indexed centres. */
export interface Trace {
  a1center: number;
  a2center: number;
  a2displ: Float64Array;
}

export interface TraceRow {
  A1CENTER: number;
  A2CENTER: number;
  NELEM: number;
  A2DISPL: readonly number[];
  MJD?: number;
  DEGPERYR?: number;
}

/** A trace row as calstis7 uses it: rotated by DEGPERYR since MJD (rotatetrace.c), centres zero-indexed. */
export function traceOf(r: TraceRow, expstart: number): Trace {
  const n = Number(r.NELEM);
  const a2displ = Float64Array.from(r.A2DISPL.slice(0, n), Number);
  if (r.MJD !== undefined && r.DEGPERYR !== undefined) {
    const angle = (Number(r.DEGPERYR) * (expstart - Number(r.MJD))) / 365.25;
    const t = Math.tan((angle * Math.PI) / 180);
    const half = Math.trunc(n / 2);
    for (let i = 0; i < n; i++) a2displ[i] -= (i - half) * t;
  }
  return { a1center: Number(r.A1CENTER) - 1, a2center: Number(r.A2CENTER) - 1, a2displ };
}

/**
 * InterpTrace (calstis7; InterpTrace6 of calstis6 likewise): the first (last) trace, its displacements copied,
 * before (beyond) the list, else the two bracketing ones interpolated; `a2center` zero-indexed.
 */
export function traceAt(sorted: readonly Trace[], a2center: number): Trace {
  for (let k = 0; k < sorted.length; k++) {
    const current = sorted[k];
    const next = sorted[k + 1];
    if (a2center <= current.a2center || !next) return { ...current, a2displ: current.a2displ.slice(), a2center };
    if (a2center < next.a2center) {
      const p = (a2center - current.a2center) / (next.a2center - current.a2center);
      const n = Math.max(current.a2displ.length, next.a2displ.length);
      const a2displ = new Float64Array(n);
      for (let i = 0; i < n; i++) a2displ[i] = (1 - p) * (current.a2displ[i] ?? 0) + p * (next.a2displ[i] ?? 0);
      return { a1center: current.a1center, a2center, a2displ };
    }
  }
  throw new RangeError("no spectrum trace rows");
}

/** EvalTrace: the displacement at the nearest reference column, 0 off the trace. */
export function traceDisplacementAt(trace: Trace, column: number): number {
  const i = nint(column);
  return i < 0 || i >= trace.a2displ.length ? 0 : trace.a2displ[i];
}

/** The keywords PutGrpInfo7 writes into each extension header of a rectified spectrum. */
export function rectifiedKeywords(grid: X2dGrid): Record<string, number | string> {
  return {
    LTV1: 0,
    LTV2: 0,
    CRPIX1: grid.crpix[0] + 1,
    CRPIX2: grid.crpix[1] + 1,
    CRVAL1: grid.crval[0],
    CRVAL2: grid.crval[1],
    CD1_1: grid.cdelt[0],
    CD1_2: 0,
    CD2_1: 0,
    CD2_2: grid.cdelt[1] / 3600,
    CUNIT1: "angstrom",
  };
}
