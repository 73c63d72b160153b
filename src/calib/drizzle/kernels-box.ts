/** The kernels that spread an input pixel over a box: square (exact overlap of the mapped quadrilateral) and turbo. */
import { alignedOverlap, boxOverlapArea } from "./area.js";
import { f32, fortranRound } from "./c-math.js";
import { mapPixel, mapPoint } from "./pixmap.js";
import { accumulate, forEachLine, inputValue, inputWeight, type KernelState } from "./state.js";

const xout = new Float64Array(4);
const yout = new Float64Array(4);
const point = new Float64Array(2);

/** The classic drizzle kernel: the input pixel, shrunk by pixfrac, mapped corner by corner onto the output. */
export function squareKernel(s: KernelState): void {
  const dh = 0.5 * s.pixfrac;
  const scale2 = f32(s.scale * s.scale);
  const { frame, map, ctx, bit } = s;
  const ow = frame.width;
  const iw = map.width;
  forEachLine(s, (j, x0, x1) => {
    const yTop = j + dh;
    const yBottom = j - dh;
    // with pixfrac 1 a pixel's left corners are its left neighbour's right ones: mapped once (the same bits)
    let mappedRight = Number.NaN;
    let topX = 0;
    let topY = 0;
    let bottomX = 0;
    let bottomY = 0;
    for (let i = x0; i < x1; i++) {
      let nhit = 0;
      const xLeft = i - dh;
      const xRight = i + dh;
      const reuse = xLeft === mappedRight;
      mappedRight = Number.NaN;
      if (reuse) {
        xout[0] = topX;
        yout[0] = topY;
        xout[3] = bottomX;
        yout[3] = bottomY;
      }
      // clockwise: (left, top), (right, top), (right, bottom), (left, bottom)
      if (
        (reuse || mapCorner(s, 0, xLeft, yTop)) &&
        mapCorner(s, 1, xRight, yTop) &&
        mapCorner(s, 2, xRight, yBottom) &&
        (reuse || mapCorner(s, 3, xLeft, yBottom))
      ) {
        topX = xout[1];
        topY = yout[1];
        bottomX = xout[2];
        bottomY = yout[2];
        mappedRight = xRight;
        let jaco = 0.5 * ((xout[1] - xout[3]) * (yout[0] - yout[2]) - (xout[0] - xout[2]) * (yout[1] - yout[3]));
        if (jaco < 0.0) {
          jaco *= -1.0;
          [xout[1], xout[3]] = [xout[3], xout[1]];
          [yout[1], yout[3]] = [yout[3], yout[1]];
        }
        const k = j * iw + i;
        const d = inputValue(s, k, scale2);
        const w = inputWeight(s, k);
        const jjMin = Math.max(fortranRound(Math.min(yout[0], yout[1], yout[2], yout[3])), s.rowMin);
        const jjMax = Math.min(fortranRound(Math.max(yout[0], yout[1], yout[2], yout[3])), s.rowMax - 1);
        const iiMin = Math.max(fortranRound(Math.min(xout[0], xout[1], xout[2], xout[3])), 0);
        const iiMax = Math.min(fortranRound(Math.max(xout[0], xout[1], xout[2], xout[3])), ow - 1);
        for (let jj = jjMin; jj <= jjMax; jj++) {
          for (let ii = iiMin; ii <= iiMax; ii++) {
            let dover = boxOverlapArea(ii, jj, xout, yout);
            if (dover > 0.0) {
              dover /= jaco;
              const dow = f32(dover * w);
              nhit++;
              const o = jj * ow + ii;
              if (dow > 0.0) ctx[o] |= bit;
              accumulate(frame, o, d, dow);
            }
          }
        }
      }
      if (nhit === 0) s.nmiss++;
    }
  });
}

function mapCorner(s: KernelState, corner: number, x: number, y: number): boolean {
  if (!mapPoint(s.map, x, y, point)) return false;
  xout[corner] = point[0];
  yout[corner] = point[1];
  return true;
}

/** Turbo: the input pixel as an axis-aligned box of side pixfrac/scale around its mapped centre. */
export function turboKernel(s: KernelState): void {
  const ac = 1.0 / (s.pixfrac * s.pixfrac);
  const pfo = s.pixfrac / s.scale / 2.0;
  const scale2 = s.scale * s.scale;
  const scale2f = f32(scale2);
  const { frame, map, ctx, bit } = s;
  const ow = frame.width;
  forEachLine(s, (j, x0, x1) => {
    for (let i = x0; i < x1; i++) {
      let nhit = 0;
      if (mapPixel(map, i, j, point)) {
        const xxi = point[0] - pfo;
        const xxa = point[0] + pfo;
        const yyi = point[1] - pfo;
        const yya = point[1] + pfo;
        const iis = Math.max(fortranRound(xxi), 0);
        const iie = Math.min(fortranRound(xxa), ow - 1);
        const jjs = Math.max(fortranRound(yyi), s.rowMin);
        const jje = Math.min(fortranRound(yya), s.rowMax - 1);
        const k = j * map.width + i;
        const d = inputValue(s, k, scale2f);
        const w = inputWeight(s, k);
        for (let jj = jjs; jj <= jje; jj++) {
          for (let ii = iis; ii <= iie; ii++) {
            let dover = alignedOverlap(ii, jj, xxi, xxa, yyi, yya);
            if (dover > 0.0) {
              dover *= scale2 * ac;
              nhit++;
              const dow = f32(dover * w);
              const o = jj * ow + ii;
              if (dow > 0.0) ctx[o] |= bit;
              accumulate(frame, o, d, dow);
            }
          }
        }
      }
      if (nhit === 0) s.nmiss++;
    }
  });
}
