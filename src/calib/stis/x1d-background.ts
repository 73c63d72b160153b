/**
 * calstis6's background (background.c): at each image column a constant (BACKORD 0) or a line in the row
 * number (BACKORD 1) through the pixels of the two XTRACTAB background boxes, interpolated along the tilted
 * boxes, with up to five 3σ clipping passes; DQ 2048 when more than a third of the box pixels were flagged or
 * clipped. Then the pipeline's smoothing of the extracted background (SmoothBack for the CCD): a running
 * median over cs6's window (nine columns, ten once past the start) and a cubic fitted over all but ten columns
 * at each end. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { medianOfFloats } from "./median-float.js";
import { DETECTORPROB, interpolate2d, nint, type X1dImage } from "./x1d-image.js";
import type { Lt } from "./x1d-trace.js";

const MAX_CLIP = 5;
/** DQ of a column whose background boxes were more than a third flagged or clipped (X1D_BAD_BACKGROUND). */
export const BAD_BACKGROUND = 2048;

export interface BackgroundBoxes {
  /** BK1SIZE, BK2SIZE; BK1OFFST, BK2OFFST (reference pixels from the trace); BACKORD. */
  size: [number, number];
  offset: [number, number];
  order: number;
}

/** The fit at one column: back(j) = bck[0] + bck[1]·j, its variance terms, the scatter, the DQ it adds. */
export interface BackgroundFit {
  bck: [number, number];
  vbck: [number, number];
  ebck: number;
  dq: number;
}

interface Sums {
  n: number;
  x: number;
  y: number;
  xx: number;
  yy: number;
  xy: number;
  squares: number;
  total: number;
  flagged: number;
  clipped: number;
}

/** CalcBack at image column `ipix` for a trace at `ysp` (reference rows); `tilt` the box angle, degrees. */
export function fitBackground(
  im: X1dImage,
  ipix: number,
  ysp: number,
  o: Lt & { boxes: BackgroundBoxes; sdqflags: number; tilt: number },
): BackgroundFit {
  const sin = Math.sin((o.tilt / 180) * Math.PI);
  const cos = Math.cos((o.tilt / 180) * Math.PI);
  const rpix = (ipix - o.ltv[0]) / o.ltm[0];
  const fit: BackgroundFit = { bck: [0, 0], vbck: [0, 0], ebck: 0, dq: 0 };
  let sigma = Number.MAX_VALUE / 3.1;
  for (let iclip = 1; iclip <= MAX_CLIP; iclip++) {
    const s: Sums = { n: 0, x: 0, y: 0, xx: 0, yy: 0, xy: 0, squares: 0, total: 0, flagged: 0, clipped: 0 };
    for (const k of [0, 1]) {
      const size = o.boxes.size[k];
      const xcenter = rpix + o.boxes.offset[k] * sin;
      const ycenter = ysp + o.boxes.offset[k] * cos;
      let xx = (xcenter - (size / 2) * sin) * o.ltm[0] + o.ltv[0];
      let yy = (ycenter - (size / 2) * cos + 0.5) * o.ltm[1] + o.ltv[1];
      for (let n = 0; n < nint(size); n++, xx += sin, yy += cos) {
        const at = interpolate2d(im, o.sdqflags, xx, yy);
        s.total++;
        if (at.dq & (o.sdqflags | DETECTORPROB)) {
          s.flagged++;
          continue;
        }
        const residual = Math.abs(at.sci - (fit.bck[0] + fit.bck[1] * yy));
        if (residual > 3 * sigma) {
          s.clipped++;
          continue;
        }
        s.n += 1;
        s.x += yy;
        s.y += at.sci;
        s.xx += yy * yy;
        s.xy += yy * at.sci;
        s.yy += at.sci * at.sci;
        s.squares += residual * residual;
      }
    }
    fit.dq = Math.fround((s.flagged + s.clipped) / s.total) > Math.fround(0.33333) ? BAD_BACKGROUND : 0;
    if (o.boxes.order === 1) {
      const delta = s.n * s.xx - s.x * s.x;
      fit.bck = Math.abs(delta) > 0 ? [(s.xx * s.y - s.x * s.xy) / delta, (s.xy * s.n - s.x * s.y) / delta] : [0, 0];
      fit.vbck = Math.abs(delta) > 0 ? [s.xx / delta, s.n / delta] : [0, 0];
    } else {
      fit.bck = [s.n > 0 ? s.y / s.n : 0, 0];
      fit.vbck = [s.n > 1 ? (s.yy - (s.y * s.y) / s.n) / (s.n - 1) : 0, 0];
    }
    if (s.n <= 1) break;
    sigma = Math.sqrt(s.squares / (s.n - 1));
    fit.ebck = sigma;
    if (s.clipped === 0 && iclip > 1) break;
  }
  return fit;
}

/** cs6's BoxcarFilter in median mode: its window grows from five columns to ten and shrinks at the end. */
export function runningMedian(values: Float32Array, width: number): Float32Array {
  const out = new Float32Array(values.length);
  let w2 = Math.trunc(width / 2);
  let virtual = w2;
  let w1 = 0;
  for (let i = 0; i < values.length; i++) {
    if (i > 0) {
      w2++;
      virtual++;
      if (w2 >= values.length) w2--;
      w1 = Math.max(virtual - width, 0);
    }
    out[i] = medianOfFloats(values.slice(w1, w2 + 1));
  }
  return out;
}

/** Least squares polynomial of `degree` in (x − mean x) through (x, y − mean y): FitPoly and ComputePoly. */
export function polynomialFit(x: readonly number[], y: readonly number[], degree: number): (v: number) => number {
  const n = x.length;
  const mx = x.reduce((a, v) => a + v, 0) / n;
  const my = y.reduce((a, v) => a + v, 0) / n;
  const m = degree + 1;
  const a = Array.from({ length: m }, () => new Float64Array(m + 1));
  for (let i = 0; i < n; i++) {
    const basis = Array.from({ length: m }, (_, j) => (x[i] - mx) ** j);
    for (let j = 0; j < m; j++) {
      for (let k = 0; k < m; k++) a[j][k] += basis[j] * basis[k];
      a[j][m] += basis[j] * (y[i] - my);
    }
  }
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    for (let r = 0; r < m; r++) {
      if (r === col) continue;
      const factor = a[r][col] / a[col][col];
      for (let k = col; k <= m; k++) a[r][k] -= factor * a[col][k];
    }
  }
  const coeff = a.map((row, j) => row[m] / row[j]);
  return (v) => coeff.reduce((sum, c, j) => sum + c * (v - mx) ** j, 0) + my;
}

/** SmoothBack for the CCD: the running median, then the fitted polynomial over columns 10 … npts − 10. */
export function smoothCcdBackground(background: Float32Array, order: number): Float32Array {
  const out = runningMedian(background, 9);
  const columns: number[] = [];
  for (let i = 10; i <= out.length - 10; i++) columns.push(i);
  return fitOverColumns(out, columns, order);
}

/** `out` with `columns` replaced by the polynomial of `order` fitted to them (unchanged when too few). */
export function fitOverColumns(out: Float32Array, columns: number[], order: number): Float32Array {
  if (columns.length < order + 1) return out;
  const fit = polynomialFit(
    columns,
    columns.map((i) => out[i]),
    order,
  );
  for (const i of columns) out[i] = fit(i);
  return out;
}
