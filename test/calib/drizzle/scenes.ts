/** Simulated drizzle inputs: star fields with noise, weights, and pixel maps of known geometry. */
import { Random } from "../../../src/sim/random.js";

/** A sky of Gaussian stars on a background with noise, float32, width×height. */
export function starField(width: number, height: number, seed: number, stars = 25): Float32Array {
  const random = new Random(seed);
  const image = new Float32Array(width * height);
  for (let k = 0; k < image.length; k++) image[k] = 10 + 2 * (random.uniform() - 0.5);
  for (let s = 0; s < stars; s++) {
    const x0 = random.uniform() * width;
    const y0 = random.uniform() * height;
    const flux = 200 + 2000 * random.uniform();
    for (let j = Math.max(0, Math.floor(y0 - 6)); j < Math.min(height, y0 + 6); j++) {
      for (let i = Math.max(0, Math.floor(x0 - 6)); i < Math.min(width, x0 + 6); i++) {
        const r2 = (i - x0) ** 2 + (j - y0) ** 2;
        image[j * width + i] += (flux / (2 * Math.PI * 1.5 ** 2)) * Math.exp(-r2 / (2 * 1.5 ** 2));
      }
    }
  }
  return image;
}

/** Inverse-variance-like weights in [0.5, 2), a bad column and a few bad pixels at 0. */
export function weightMap(width: number, height: number, seed: number): Float32Array {
  const random = new Random(seed);
  const w = new Float32Array(width * height);
  for (let k = 0; k < w.length; k++) w[k] = random.uniform() < 0.01 ? 0 : 0.5 + 1.5 * random.uniform();
  for (let j = 0; j < height; j++) w[j * width + Math.floor(width / 3)] = 0;
  return w;
}

export type Transform = (x: number, y: number) => [number, number];

/** The pixel map of `f` over a width×height input. */
export function pixmapOf(width: number, height: number, f: Transform): Float64Array {
  const xy = new Float64Array(2 * width * height);
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const [x, y] = f(i, j);
      xy[2 * (j * width + i)] = x;
      xy[2 * (j * width + i) + 1] = y;
    }
  }
  return xy;
}

export const shift =
  (dx: number, dy: number): Transform =>
  (x, y) => [x + dx, y + dy];

/** Rotation by `degrees` about (cx, cy), then a shift; `zoom` scales (output pixels per input pixel). */
export const rotation =
  (degrees: number, cx: number, cy: number, dx: number, dy: number, zoom = 1): Transform =>
  (x, y) => {
    const a = (degrees * Math.PI) / 180;
    const u = x - cx;
    const v = y - cy;
    return [cx + dx + zoom * (Math.cos(a) * u - Math.sin(a) * v), cy + dy + zoom * (Math.sin(a) * u + Math.cos(a) * v)];
  };

/** A camera-like distortion: quadratic and cubic radial terms about (cx, cy), as SIP polynomials produce. */
export const distortion =
  (cx: number, cy: number, dx: number, dy: number): Transform =>
  (x, y) => {
    const u = (x - cx) / 100;
    const v = (y - cy) / 100;
    const r2 = u * u + v * v;
    return [
      cx + dx + 100 * (u * (1 + 0.02 * r2) + 0.03 * u * v + 0.01 * v * v),
      cy + dy + 100 * (v * (1 + 0.02 * r2) - 0.02 * u * u + 0.015 * u * v),
    ];
  };
