/**
 * The STIS MAMA parts of calstis1 beside the pixel steps: the pixel size and corner from LTM/LTV (getcorner.c
 * with a MAMA's low-res unit of 2) and a high-res reference binned to a low-res image (findbin.c, bin2d.c), the NUV-MAMA dark scale from the post-SM4 TDCTAB
 * (gettdccorr.c), the low-order flat expanded onto the pixel-to-pixel flat (doflat.c unbin2d) and the MAMA
 * PHOTMODE (photmode.c). Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "../common/errors.js";
import { createImageSet, type ImageSet } from "../common/imset.js";
import { expandSection } from "../common/reference-image.js";
import { multiplyFlats } from "./basic2d.js";

const f = Math.fround;

/** Bin size in high-res pixels (GetCorner with rsize 2): 2 for a low-res image (LTM 1), 1 for high-res (LTM 2). */
export function mamaBin(ltm: readonly [number, number]): [number, number] {
  return [Math.round(2 / ltm[0]), Math.round(2 / ltm[1])];
}

/** One row of a post-SM4 TDCTAB: the NUV-MAMA dark rate model in force from DATE0 (MJD). */
export interface TdcRow {
  DATE0: number;
  TEMP0: number;
  A1: number;
  D1: number;
  A2: number;
  D2: number;
  TA: number;
  TB: number;
  TC: number;
}

export interface TdcFactor {
  factor: number;
  warnings: string[];
}

/**
 * postSM4TdcCorr: the row whose DATE0 is the latest before EXPSTART; the modelled dark rate at EXPSTART and
 * the detector temperature (OM2CAT, −1 when unknown), divided by the mean dark (low-res pixels). An EXPSTART
 * before every DATE0 is an error; no row strictly before it leaves the factor 1 with a warning.
 */
export function tdcFactor(
  rows: readonly TdcRow[],
  o: { expstart: number; temperature: number; meanDark: number; table: string },
): TdcFactor {
  if (rows.length === 0) throw new CalibrationError("TABLE_ROW_MISSING", `${o.table} is empty`, { step: "DARKCORR" });
  const minDate = Math.min(...rows.map((r) => r.DATE0));
  if (o.expstart < minDate) {
    throw new CalibrationError(
      "TABLE_ROW_MISSING",
      `${o.table}: EXPSTART ${o.expstart} precedes the earliest DATE0 (${minDate})`,
      { step: "DARKCORR" },
    );
  }
  let row: TdcRow | undefined;
  let best = minDate;
  for (const [k, r] of rows.entries()) {
    if (r.DATE0 < o.expstart && (k === 0 || r.DATE0 > best)) {
      best = r.DATE0;
      row = r;
    }
  }
  if (!row) return { factor: 1, warnings: [`Warning  No valid row found in TDCTAB ${o.table}`] };
  const dDate = o.expstart - row.DATE0;
  const dTemp = o.temperature - row.TEMP0;
  const rate =
    row.A1 * Math.exp(-dDate / row.D1) +
    row.A2 * Math.exp(-dDate / row.D2) +
    row.TA +
    row.TB * dTemp +
    row.TC * dTemp * dTemp;
  const warnings = rate > 100 ? [`Warning  TDC dark count rate = ${rate.toPrecision(6)}`] : [];
  const factor = rate / o.meanDark;
  if (Math.abs(factor) > 100 || Math.abs(factor) < 0.01) warnings.push(`Warning  TDC correction factor = ${factor}`);
  return { factor, warnings };
}

/**
 * The flat field of doFlat with a low-order flat: the LFLT expanded by bilinear interpolation (unbin2d) to the
 * size of the pixel-to-pixel (× delta) flat, then multiplied into it. The sizes must be whole multiples.
 */
export function withLowOrderFlat(flat: ImageSet, lflt: ImageSet, what: string): ImageSet {
  const binx = Math.trunc(flat.nx / lflt.nx);
  const biny = Math.trunc(flat.ny / lflt.ny);
  if (binx < 1 || biny < 1 || binx * lflt.nx !== flat.nx || biny * lflt.ny !== flat.ny) {
    throw new CalibrationError(
      "SIZE_MISMATCH",
      `${what}: a ${lflt.nx}x${lflt.ny} low-order flat does not expand to the ${flat.nx}x${flat.ny} flat by a whole factor`,
      { step: "FLATCORR" },
    );
  }
  if ((binx > 1 && lflt.nx < 2) || (biny > 1 && lflt.ny < 2)) {
    throw new CalibrationError(
      "SIZE_MISMATCH",
      `${what}: a ${lflt.nx}x${lflt.ny} low-order flat cannot be interpolated along an axis of one pixel`,
      { step: "FLATCORR" },
    );
  }
  const expanded = expandSection(lflt, binx, biny, 0, 0, flat.nx, flat.ny);
  return multiplyFlats(flat, expanded);
}

/** PHOTMODE of a MAMA exposure: "STIS <aperture> MIRROR|<opt_elem> NUVMAMA|FUVMAMA [cenwave] MJD#<expstart>". */
export function mamaPhotmode(o: {
  aperture: string;
  optElem: string;
  detector: string;
  obstype: string;
  cenwave?: number;
  expstart: number;
}): string {
  const element = o.optElem.startsWith("MIR") ? "MIRROR" : o.optElem;
  const detector = o.detector === "NUV-MAMA" ? " NUVMAMA" : o.detector === "FUV-MAMA" ? " FUVMAMA" : "";
  const cenwave = o.obstype === "SPECTROSCOPIC" && (o.cenwave ?? -1) > 0 ? ` ${o.cenwave}` : "";
  return `STIS ${o.aperture} ${element}${detector}${cenwave} MJD#${o.expstart.toFixed(4)}`;
}

/** GetCorner with a MAMA's reference pixel of 2: pixel size and corner in high-res pixels, from LTM and LTV. */
export function mamaCorner(g: { ltm: readonly [number, number]; ltv: readonly [number, number] }) {
  const axis = (ltm: number, ltv: number) => {
    const bin = 2 / ltm;
    return { bin: Math.round(bin), corner: Math.round((bin - 2) / 2 - bin * ltv) };
  };
  const [x, y] = [axis(g.ltm[0], g.ltv[0]), axis(g.ltm[1], g.ltv[1])];
  return { bin: [x.bin, y.bin] as const, corner: [x.corner, y.corner] as const };
}

/**
 * FindBin then bin2d: a reference of finer pixels than the science (a high-res 2048² flat or dark under a low-res
 * image) binned to the science pixels, summed (dark) or averaged (flat); SCI and ERR² summed as floats, DQ ORed.
 * A reference of the science's pixels is returned as it is; one coarser than the science is refused.
 */
export function binnedReference(science: ImageSet, reference: ImageSet, average: boolean, what: string): ImageSet {
  const s = mamaCorner(science.geometry);
  const r = mamaCorner(reference.geometry);
  if (s.bin[0] === r.bin[0] && s.bin[1] === r.bin[1]) return reference;
  const [rx, ry] = [s.bin[0] / r.bin[0], s.bin[1] / r.bin[1]];
  if (!Number.isInteger(rx) || !Number.isInteger(ry) || rx < 1 || ry < 1) {
    throw new CalibrationError(
      "SIZE_MISMATCH",
      `${what}: reference pixels of ${r.bin.join("x")} high-res pixels do not bin to the science's ${s.bin.join("x")}`,
    );
  }
  const x0 = Math.trunc((s.corner[0] - r.corner[0]) / r.bin[0]);
  const y0 = Math.trunc((s.corner[1] - r.corner[1]) / r.bin[1]);
  const { nx, ny } = science;
  if (x0 < 0 || y0 < 0 || x0 + nx * rx > reference.nx || y0 + ny * ry > reference.ny) {
    throw new CalibrationError(
      "SIZE_MISMATCH",
      `${what}: a ${reference.nx}x${reference.ny} reference binned ${rx}x${ry} from (${x0}, ${y0}) does not cover the ${nx}x${ny} image`,
    );
  }
  const out = createImageSet(nx, ny, { geometry: science.geometry, chip: reference.chip });
  const weight = f(rx * ry);
  for (let n = 0; n < ny; n++) {
    for (let m = 0; m < nx; m++) {
      let [sum, sumErr, dq] = [0, 0, 0];
      for (let j = y0 + n * ry; j < y0 + (n + 1) * ry; j++) {
        for (let i = x0 + m * rx; i < x0 + (m + 1) * rx; i++) {
          const k = j * reference.nx + i;
          sum = f(sum + reference.sci[k]!);
          const e = reference.err[k]!;
          sumErr = f(sumErr + f(e * e));
          dq |= reference.dq[k]!;
        }
      }
      const k = n * nx + m;
      out.sci[k] = average ? sum / weight : sum;
      out.err[k] = average ? Math.sqrt(sumErr) / weight : Math.sqrt(sumErr);
      out.dq[k] = dq;
    }
  }
  return out;
}
