/** The noiseless scene in e-/s per science pixel: sky, stars (core + halo) and exponential-disk galaxies. */
import type { Random } from "./random.js";

export interface Star {
  x: number;
  y: number;
  /** Total rate, e-/s. */
  flux: number;
}

export interface Galaxy extends Star {
  /** Scale length along the major axis (pixels), axis ratio and position angle (radians). */
  scale: number;
  axisRatio: number;
  angle: number;
}

export interface Scene {
  nx: number;
  ny: number;
  sky: number;
  /** e-/s per pixel, row-major, nx × ny. */
  rate: Float32Array;
  stars: Star[];
  galaxies: Galaxy[];
}

export interface SceneOptions {
  nx: number;
  ny: number;
  sky: number;
  /** Gaussian core sigma of the PSF (pixels); the halo has 3× that with 10 % of the flux. */
  psfSigma: number;
  /** Brightest star (e-/s), chosen so that the brightest stars saturate. */
  maxStarFlux: number;
  random: Random;
}

const STARS_PER_MPIX = 50;
const GALAXIES_PER_MPIX = 8;

export function makeScene(options: SceneOptions): Scene {
  const { nx, ny, sky, psfSigma, maxStarFlux, random } = options;
  const rate = new Float32Array(nx * ny).fill(sky);
  const mpix = (nx * ny) / 1e6;
  const stars: Star[] = [];
  const nStars = Math.max(10, Math.round(STARS_PER_MPIX * mpix));
  for (let i = 0; i < nStars; i++) {
    const star = { x: random.uniform() * nx, y: random.uniform() * ny, flux: random.logUniform(20, maxStarFlux) };
    stars.push(star);
    addGaussian(rate, nx, ny, star.x, star.y, star.flux * 0.9, psfSigma);
    addGaussian(rate, nx, ny, star.x, star.y, star.flux * 0.1, psfSigma * 3);
  }
  const galaxies: Galaxy[] = [];
  const nGalaxies = Math.max(3, Math.round(GALAXIES_PER_MPIX * mpix));
  for (let i = 0; i < nGalaxies; i++) {
    const galaxy = {
      x: random.uniform() * nx,
      y: random.uniform() * ny,
      flux: random.logUniform(200, 20000),
      scale: random.logUniform(1.5, 8),
      axisRatio: 0.3 + 0.7 * random.uniform(),
      angle: Math.PI * random.uniform(),
    };
    galaxies.push(galaxy);
    addExponentialDisk(rate, nx, ny, galaxy);
  }
  return { nx, ny, sky, rate, stars, galaxies };
}

/** Adds a normalised circular Gaussian (sampled at pixel centres, renormalised over its window). */
function addGaussian(image: Float32Array, nx: number, ny: number, cx: number, cy: number, flux: number, sigma: number) {
  const r = Math.ceil(4 * sigma);
  addProfile(image, nx, ny, cx, cy, flux, r, (dx, dy) => Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma)));
}

function addExponentialDisk(image: Float32Array, nx: number, ny: number, g: Galaxy) {
  const cos = Math.cos(g.angle);
  const sin = Math.sin(g.angle);
  const r = Math.ceil(6 * g.scale);
  addProfile(image, nx, ny, g.x, g.y, g.flux, r, (dx, dy) => {
    const u = dx * cos + dy * sin;
    const v = (-dx * sin + dy * cos) / g.axisRatio;
    return Math.exp(-Math.sqrt(u * u + v * v) / g.scale);
  });
}

function addProfile(
  image: Float32Array,
  nx: number,
  ny: number,
  cx: number,
  cy: number,
  flux: number,
  radius: number,
  profile: (dx: number, dy: number) => number,
) {
  const x0 = Math.floor(cx) - radius;
  const y0 = Math.floor(cy) - radius;
  const size = 2 * radius + 1;
  const weights = new Float64Array(size * size);
  let total = 0;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const w = profile(x0 + i + 0.5 - cx, y0 + j + 0.5 - cy);
      weights[j * size + i] = w;
      total += w;
    }
  }
  const scale = flux / total;
  for (let j = 0; j < size; j++) {
    const y = y0 + j;
    if (y < 0 || y >= ny) continue;
    for (let i = 0; i < size; i++) {
      const x = x0 + i;
      if (x < 0 || x >= nx) continue;
      image[y * nx + x] += weights[j * size + i] * scale;
    }
  }
}
