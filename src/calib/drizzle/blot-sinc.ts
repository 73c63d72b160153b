/**
 * Sinc interpolation for blot: a 15×15 tapered sinc, normalised by the sums of its x and y weights, edge pixels
 * repeated past the image border, the pixel itself within 0.001 of its centre (the Fortran drizzle's
 * INTERPOLATE_SINC). cdrizzle 1.13's C translation of it reads and writes one element before its weight arrays and
 * leaves the last weight unset (undefined behaviour), so its sinc output is not a reference: this follows the
 * Fortran algorithm the C code was translated from.
 */
import { f32, fortranRound } from "./c-math.js";
import type { FloatImage } from "./types.js";

const NSINC = 7;
const NCONV = 2 * NSINC + 1;
const taper = new Float32Array(NCONV);
{
  const sconst = f32((f32(Math.PI / 2) / NSINC) ** 2);
  for (let o = -NSINC; o <= NSINC; o++) {
    const dx2 = f32(sconst * o * o);
    const sign = (o & 1) === 0 ? 1 : -1;
    taper[o + NSINC] = sign * f32(f32(f32(1 + f32(-0.4967 * dx2)) + f32(f32(0.03705 * dx2) * dx2)) ** 2);
  }
}
const ac = new Float32Array(NCONV);
const ar = new Float32Array(NCONV);

/** Fills `weights` for fractional offset d; returns their sum. */
function sincWeights(d: number, weights: Float32Array): number {
  let sum = 0;
  for (let m = 0; m < NCONV; m++) {
    const a = f32(d - (m - NSINC));
    const w = a === 0 ? 1 : d === 0 ? 0 : f32(taper[m] / a);
    weights[m] = w;
    sum = f32(sum + w);
  }
  return sum;
}

export function sinc(img: FloatImage, x: number, y: number, sinscl: number): number {
  const { width, height, data } = img;
  const nx = fortranRound(x);
  const ny = fortranRound(y);
  if (nx < 0 || nx >= width || ny < 0 || ny >= height) return 0;
  const dx = f32(f32(x - nx) * sinscl);
  const dy = f32(f32(y - ny) * sinscl);
  if (Math.abs(dx) < f32(0.001) && Math.abs(dy) < f32(0.001)) return data[ny * width + nx];
  const sumx = sincWeights(dx, ac);
  const sumy = sincWeights(dy, ar);
  let value = 0;
  for (let m = 0; m < NCONV; m++) {
    const j = Math.min(Math.max(ny + m - NSINC, 0), height - 1);
    let sum = 0;
    for (let n = 0; n < NCONV; n++) {
      const i = Math.min(Math.max(nx + n - NSINC, 0), width - 1);
      sum = f32(sum + f32(ac[n] * data[j * width + i]));
    }
    value = f32(value + f32(ar[m] * sum));
  }
  return f32(f32(value / sumx) / sumy);
}
