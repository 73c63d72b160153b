/** The kernels centred on the mapped pixel centre: point, tophat, gaussian and lanczos2/3 (cdrizzlebox.c). */
import { f32, fortranRound, lanczosTable } from "./c-math.js";
import { mapPixel } from "./pixmap.js";
import { accumulate, forEachLine, inputValue, inputWeight, type KernelState } from "./state.js";

const centre = new Float64Array(2);

/** All the flux of an input pixel into the one output pixel its centre falls on. */
export function pointKernel(s: KernelState): void {
  const scale2 = f32(s.scale * s.scale);
  const { frame, map, ctx, bit } = s;
  const ow = frame.width;
  forEachLine(s, (j, x0, x1) => {
    for (let i = x0; i < x1; i++) {
      if (!mapPixel(map, i, j, centre)) {
        s.nmiss++;
        continue;
      }
      const ii = fortranRound(centre[0]);
      const jj = fortranRound(centre[1]);
      if (ii < 0 || ii >= ow || jj < s.rowMin || jj >= s.rowMax) {
        s.nmiss++;
        continue;
      }
      const k = j * map.width + i;
      const d = inputValue(s, k, scale2);
      const dow = inputWeight(s, k);
      const o = jj * ow + ii;
      if (dow > 0.0) ctx[o] |= bit;
      accumulate(frame, o, d, dow);
    }
  });
}

/** Parameters of a centred kernel's weight: what each of tophat, gaussian and lanczos reads. */
interface Centred {
  kind: "tophat" | "gaussian" | "lanczos";
  scale2: number;
  reach: number;
  /** python drizzle 1.13.4's lanczos centres its box one pixel low (-1); drizzlepac 3.6.2's does not (0). */
  offset: number;
  pfo2: number;
  efac: number;
  es: number;
  lut: Float32Array;
  sdp: number;
}

/**
 * The shared loop of the centred kernels: for each mapped input pixel, every output pixel within `reach` of its
 * centre gets the kernel's weight there. One loop with the kernel chosen inside (a closure per output pixel
 * would be several times slower).
 */
function centredKernel(s: KernelState, c: Centred): void {
  const { frame, map, ctx, bit } = s;
  const ow = frame.width;
  const { reach, offset, pfo2, efac, es, lut, sdp } = c;
  const lanczos = c.kind === "lanczos";
  const tophat = c.kind === "tophat";
  forEachLine(s, (j, x0, x1) => {
    for (let i = x0; i < x1; i++) {
      let nhit = 0;
      if (mapPixel(map, i, j, centre)) {
        const x = centre[0];
        const y = centre[1];
        const nxi = Math.max(fortranRound(x + offset - reach), 0);
        const nxa = Math.min(fortranRound(x + offset + reach), ow - 1);
        const nyi = Math.max(fortranRound(y + offset - reach), s.rowMin);
        const nya = Math.min(fortranRound(y + offset + reach), s.rowMax - 1);
        const k = j * map.width + i;
        const d = inputValue(s, k, c.scale2);
        const w = inputWeight(s, k);
        for (let jj = nyi; jj <= nya; jj++) {
          const ddy = y - jj;
          // what depends on the row only, taken out of the inner loop (same values, same operations)
          const ddy2 = ddy * ddy;
          const iy = lanczos ? fortranRound(Math.abs(ddy) * sdp) + 1 : 0;
          const ly = iy < 512 ? lut[iy] : 0;
          const row = jj * ow;
          for (let ii = nxi; ii <= nxa; ii++) {
            const ddx = x - ii;
            let dow: number;
            if (lanczos) {
              const ix = fortranRound(Math.abs(ddx) * sdp) + 1;
              // beyond the table cdrizzle reads past its end; the kernel is zero there
              dow = f32((ix < 512 ? f32(lut[ix] * ly) : 0) * w);
            } else if (tophat) {
              if (!(ddx * ddx + ddy2 <= pfo2)) continue;
              dow = w;
            } else {
              dow = f32(f32(es * Math.exp(-(ddx * ddx + ddy2) * efac)) * w);
            }
            nhit++;
            const o = row + ii;
            if (dow > 0.0) ctx[o] |= bit;
            accumulate(frame, o, d, dow);
          }
        }
      }
      if (nhit === 0) s.nmiss++;
    }
  });
}

const NONE = { pfo2: 0, efac: 0, es: 0, lut: new Float32Array(0), sdp: 0, offset: 0 };

/** Uniform weight within a circle of diameter pixfrac/scale. */
export function tophatKernel(s: KernelState): void {
  const pfo = f32(s.pixfrac / s.scale / 2.0);
  const scale2 = f32(s.scale * s.scale);
  centredKernel(s, { ...NONE, kind: "tophat", scale2, reach: pfo, pfo2: f32(pfo * pfo) });
}

/** A Gaussian of FWHM pixfrac/scale out to 2.5 σ, never less than 1.2/scale (so that it leaves no holes). */
export function gaussianKernel(s: KernelState): void {
  let pfo = (2.5 * s.pixfrac) / 2.3548 / s.scale;
  if (pfo < 1.2 / s.scale) pfo = 1.2 / s.scale;
  const ac = 1.0 / (s.pixfrac * s.pixfrac);
  const scale2 = s.scale * s.scale;
  const efac = (2.3548 * 2.3548 * scale2 * ac) / 2.0;
  centredKernel(s, { ...NONE, kind: "gaussian", scale2, reach: pfo, efac, es: efac / Math.PI });
}

/**
 * Lanczos of order 2 or 3 from cdrizzle's 512-entry table at 0.01 pixel steps, over the output pixels within
 * order × pixfrac / scale of the centre, as drizzlepac 3.6.2 (the archive's AstroDrizzle) does; with the map read
 * as "drizzle-1.13.4", over python drizzle 1.13.4's box, one pixel low, so that its output is reproduced. With pixfrac/scale below about 0.75 the box reaches past the table: cdrizzle reads beyond its array
 * there (undefined values); here the weight is 0.
 */
export function lanczosKernel(s: KernelState, order: 2 | 3): void {
  centredKernel(s, {
    ...NONE,
    kind: "lanczos",
    scale2: f32(s.scale * s.scale),
    reach: (order * s.pixfrac) / s.scale,
    offset: s.map.interpolation === "drizzle-1.13.4" ? -1 : 0,
    lut: lanczosTable(order, 512, 0.01),
    sdp: s.scale / f32(0.01) / s.pixfrac,
  });
}
