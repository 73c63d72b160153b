/**
 * skypac's sky matching (skymethod "match" and "globalmin+match"), as drizzlepac 3.6.2 runs it: for every pair of
 * images, the sky statistic of each inside the overlap of their chips' footprints (weighted by the pixels used, in
 * brightness units); the linear system Wm·(δi − δj) = Wm·(skyi − skyj) over the pairs where both have pixels, solved
 * in the least-squares, minimum-norm sense (numpy's pinv); the deltas moved down so the least is 0 (match_down).
 * "globalmin+match" then adds the least of every chip's matched sky (globalmin). Each chip subtracts its image's
 * value in its own data units; images that overlap no other keep 0 (plus the global minimum).
 */
import { type SkyChip, type SkyOptions, skyStatistic } from "./sky.js";
import { footprintOverlap, type LonLat, scanPolygon } from "./sky-polygons.js";

export interface MatchChip extends SkyChip {
  width: number;
  height: number;
  /** The chip's four corner pixels on the sky, in order. */
  footprint: LonLat[];
  /** A sky position to the chip's 0-based pixel (all_world2pix). */
  toPixel(lon: number, lat: number): [number, number];
}

/** The chip's sky statistic (brightness) and pixel count inside a sky polygon; undefined when none is usable. */
function overlapSky(chip: MatchChip, polygon: LonLat[], options: SkyOptions, delta: number) {
  const inside = new Uint8Array(chip.width * chip.height);
  scanPolygon(
    inside,
    chip.width,
    chip.height,
    polygon.map(([lon, lat]) => chip.toPixel(lon, lat)),
  );
  if (chip.good) for (let k = 0; k < inside.length; k++) inside[k] &= chip.good[k] ? 1 : 0;
  const s = skyStatistic({ data: chip.data, good: inside, data2brightness: chip.data2brightness }, options);
  if (!s) return undefined;
  return { sky: chip.data2brightness * (s.sky - delta), npix: s.npix };
}

/** skymatch's _calc_sky for images i and j: their weighted skies in the overlap, or undefined. */
function pairSky(a: MatchChip[], b: MatchChip[], options: SkyOptions) {
  let [wsky1, w1, wsky2, w2, overlaps] = [0, 0, 0, 0, 0];
  for (const m1 of a) {
    for (const m2 of b) {
      const polygon = footprintOverlap(m1.footprint, m2.footprint);
      if (!polygon) continue;
      overlaps++;
      const s1 = overlapSky(m1, polygon, options, 0);
      const s2 = overlapSky(m2, polygon, options, 0);
      if (s1 && s1.npix > 0) [wsky1, w1] = [wsky1 + s1.sky * s1.npix, w1 + s1.npix];
      if (s2 && s2.npix > 0) [wsky2, w2] = [wsky2 + s2.sky * s2.npix, w2 + s2.npix];
    }
  }
  if (w1 === 0 || w2 === 0 || overlaps === 0) return undefined;
  return { sky1: wsky1 / w1, w1, sky2: wsky2 / w2, w2 };
}

/** Solves a small dense system in place (Gaussian elimination, partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    [b[c], b[p]] = [b[p], b[c]];
    for (let r = c + 1; r < n; r++) {
      const f = a[r][c] / a[c][c];
      for (let k = c; k < n; k++) a[r][k] -= f * a[c][k];
      b[r] -= f * b[c];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < n; k++) s -= a[r][k] * x[k];
    x[r] = s / a[r][r];
  }
  return x;
}

interface Equation {
  i: number;
  j: number;
  weight: number;
  difference: number;
}

/**
 * The minimum-norm least-squares deltas of the pair equations: per connected group of images, the normal
 * equations with the first image fixed, then shifted to sum 0 (what pinv gives); NaN for images in no pair.
 */
export function skyDeltas(count: number, equations: Equation[]): number[] {
  const deltas = new Array<number>(count).fill(Number.NaN);
  const group = Array.from({ length: count }, (_, k) => k);
  const root = (k: number): number => (group[k] === k ? k : root(group[k]));
  for (const e of equations) group[root(e.i)] = root(e.j);
  const members = new Map<number, number[]>();
  for (const e of equations) for (const k of [e.i, e.j]) members.set(root(k), [...(members.get(root(k)) ?? []), k]);
  for (const list of members.values()) {
    const nodes = [...new Set(list)].sort((p, q) => p - q);
    const index = new Map(nodes.map((k, n) => [k, n - 1]));
    const size = nodes.length - 1;
    const a = Array.from({ length: size }, () => new Array<number>(size).fill(0));
    const b = new Array<number>(size).fill(0);
    for (const e of equations) {
      const [p, q] = [index.get(e.i), index.get(e.j)];
      if (p === undefined || q === undefined) continue;
      const [w2, f] = [e.weight * e.weight, e.weight * e.weight * e.difference];
      if (p >= 0) [a[p][p], b[p]] = [a[p][p] + w2, b[p] + f];
      if (q >= 0) [a[q][q], b[q]] = [a[q][q] + w2, b[q] - f];
      if (p >= 0 && q >= 0) [a[p][q], a[q][p]] = [a[p][q] - w2, a[q][p] - w2];
    }
    const x = [0, ...solve(a, b)];
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    nodes.forEach((k, n) => {
      deltas[k] = x[n] - mean;
    });
  }
  return deltas;
}

/** The sky each chip of each image subtracts (MDRIZSKY, its data units) for "match" or "globalmin+match". */
export function matchedSkyValues(
  images: MatchChip[][],
  method: "match" | "globalmin+match",
  options: SkyOptions = {},
): number[][] {
  if (images.length < 2) return images.map((chips) => chips.map(() => 0));
  const equations: Equation[] = [];
  for (let i = 0; i < images.length; i++) {
    for (let j = i + 1; j < images.length; j++) {
      const s = pairSky(images[i], images[j], options);
      if (!s) continue;
      const weight = 0.5 * (s.w1 + s.w2);
      equations.push({ i, j, weight, difference: s.sky1 - s.sky2 });
    }
  }
  const deltas = skyDeltas(images.length, equations);
  const reference = Math.min(0, ...deltas.filter(Number.isFinite));
  const data = images.map((chips, n) =>
    chips.map((chip) => (Number.isFinite(deltas[n]) ? (deltas[n] - reference) / chip.data2brightness : 0)),
  );
  if (method === "match") return data;
  let least: number | undefined;
  images.forEach((chips, n) => {
    for (const [c, chip] of chips.entries()) {
      const s = skyStatistic(chip, options);
      if (!s || s.npix < 1) continue;
      const brightness = chip.data2brightness * (s.sky - data[n][c]);
      if (least === undefined || brightness < least) least = brightness;
    }
  });
  return data.map((chips, n) => chips.map((d, c) => d + (least ?? 0) / images[n][c].data2brightness));
}
