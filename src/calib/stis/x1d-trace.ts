/**
 * calstis6's spectrum trace (gettrace6, rotatetrace, newtrace6 InterpTrace6) and its search for the spectrum
 * across the dispersion (crosscor.c CrossCorr): the SPTRCTAB rows of the grating, central wavelength and
 * order sorted on A2CENTER, rotated by DEGPERYR since their MJD, interpolated linearly on A2CENTER; the
 * search sums the image along the trace at every whole-row offset within MAXSRCH of the nominal position and
 * fits a parabola through the peak. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "../common/errors.js";
import { sameInt, sameString } from "../common/row-match.js";
import { DETECTORPROB, interpolate2d, type X1dImage } from "./x1d-image.js";
import { type Trace, type TraceRow, traceAt } from "./x2d-geometry.js";

/** InterpTrace6 is calstis7's InterpTrace: one traceAt and one Trace for both. */
export { type Trace, traceAt };

/** An SPTRCTAB row with its selection columns. */
export interface TraceTableRow extends TraceRow {
  OPT_ELEM: string;
  CENWAVE: number;
  SPORDER: number;
}

/** The rows for a grating, central wavelength and order, rotated to `expstart`, sorted on A2CENTER. */
export function traceRows(
  rows: readonly TraceTableRow[],
  key: { optElem: string; cenwave: number; sporder: number; expstart: number },
  where: string,
): { traces: Trace[]; rotation: number } {
  const found = rows.filter(
    (r) => sameString(r.OPT_ELEM, key.optElem) && sameInt(r.CENWAVE, key.cenwave) && sameInt(r.SPORDER, key.sporder),
  );
  if (found.length === 0) {
    const keys = `OPT_ELEM ${key.optElem}, CENWAVE ${key.cenwave}, SPORDER ${key.sporder}`;
    throw new CalibrationError("TABLE_ROW_MISSING", `${where}: no row for ${keys}`);
  }
  let rotation = 0;
  const traces = found.map((r) => {
    const a2displ = Float64Array.from(r.A2DISPL.slice(0, r.NELEM));
    if (r.MJD !== undefined && r.DEGPERYR !== undefined) {
      rotation = (r.DEGPERYR * (key.expstart - r.MJD)) / 365.25;
      const slope = Math.tan((rotation * Math.PI) / 180);
      const half = Math.trunc(a2displ.length / 2);
      for (let i = 0; i < a2displ.length; i++) a2displ[i] -= (i - half) * slope;
    }
    return { a1center: r.A1CENTER - 1, a2center: r.A2CENTER - 1, a2displ };
  });
  traces.sort((a, b) => a.a2center - b.a2center);
  for (let k = 1; k < traces.length; k++) {
    if (traces[k].a2center === traces[k - 1].a2center) {
      throw new CalibrationError("INVALID_VALUE", `${where}: duplicate A2CENTER ${traces[k].a2center + 1}`);
    }
    if (traces[k].a1center !== traces[0].a1center) {
      throw new CalibrationError("INVALID_VALUE", `${where}: different A1CENTER values in different rows`);
    }
  }
  return { traces, rotation };
}

export interface Lt {
  ltv: [number, number];
  ltm: [number, number];
}

/**
 * CrossCorr: the offset (rows, reference pixels) of the spectrum from `nominal` (zero-indexed A2CENTER), or
 * undefined when the peak is at either end of the search, flat, or further than `maxsearch` (cs6 then does not
 * extract a first-order spectrum). `avoid`: image columns left out (geocoronal Lyα), none when equal.
 */
export function crossCorrelate(
  im: X1dImage,
  traces: readonly Trace[],
  o: Lt & { nominal: number; maxsearch: number; sdqflags: number; avoid: [number, number]; threshold: number },
): number | undefined {
  if (o.maxsearch === 0) return 0;
  const sum: number[] = [];
  const counted: boolean[] = [];
  for (let y = o.nominal - o.maxsearch; y <= o.nominal + o.maxsearch; y += 1) {
    const trace = traceAt(traces, y);
    let total = 0;
    let weight = 0;
    for (let ipix = 0; ipix < im.nx; ipix++) {
      const rpix = Math.trunc((ipix - o.ltv[0]) / o.ltm[0]);
      const yTrace = rpix > 0 && rpix < trace.a2displ.length ? y + trace.a2displ[rpix] : y;
      const at = interpolate2d(im, o.sdqflags, ipix, yTrace * o.ltm[1] + o.ltv[1]);
      const avoided = o.avoid[0] !== o.avoid[1] && ipix > o.avoid[0] && ipix < o.avoid[1];
      if (at.dq !== DETECTORPROB && !(at.dq & o.sdqflags)) {
        total += avoided ? 0 : at.sci;
        weight += avoided ? 0 : 1;
      }
    }
    sum.push(weight > 0 ? total / weight : 0);
    counted.push(weight > 0);
  }
  let imax = 0;
  let peak = Number.NEGATIVE_INFINITY;
  sum.forEach((v, i) => {
    if (counted[i] && v > peak) {
      peak = v;
      imax = i;
    }
  });
  if (imax <= 0 || imax >= sum.length - 1) return undefined;
  const [below, at, above] = [sum[imax - 1], sum[imax], sum[imax + 1]];
  if (at < o.threshold || above < o.threshold || below < o.threshold) return undefined;
  const curvature = 2 * at - above - below;
  if (curvature === 0) return undefined;
  const offset = imax - (0.5 * (below - above)) / curvature - o.maxsearch;
  return Math.abs(offset) <= o.maxsearch ? offset : undefined;
}
