/**
 * The drizzlepac cases of sky matching (see drizzlepac-cases.ts): the pixel mask skypac scans for an overlap
 * polygon given in a chip's pixels, and the sky deltas its linear system gives for overlap skies and weights.
 */

import { skyDeltas } from "../../../src/calib/drizzle/sky-match.js";
import { scanPolygon } from "../../../src/calib/drizzle/sky-polygons.js";
import type { DrizzlepacCase } from "./drizzlepac-fingerprint.js";

type Polygon = [number, number][];

/** Polygons (0-based pixel vertices, as all_world2pix gives them) scanned into one width × height mask. */
export function scanCase(name: string, width: number, height: number, polygons: Polygon[]): DrizzlepacCase {
  return {
    name: `skymatch overlap mask: ${name}`,
    spec: {
      op: "scan",
      width,
      height,
      // closed, as spherical_geometry's polygons are
      polygons: polygons.map((p) => [[...p, p[0]].map((v) => v[0]), [...p, p[0]].map((v) => v[1])]),
    },
    files: {},
    rtol: 0,
    ours: () => {
      const mask = new Uint8Array(width * height);
      for (const p of polygons) scanPolygon(mask, width, height, p);
      return { mask };
    },
  };
}

/** skypac's equations from the overlap skies A[j][i] (image i in its overlap with j) and their pixel counts W. */
export function deltasCase(name: string, a: number[][], w: number[][]): DrizzlepacCase {
  const equations = [];
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      if (!(w[i][j] > 0 && w[j][i] > 0)) continue;
      equations.push({ i, j, weight: 0.5 * (w[i][j] + w[j][i]), difference: a[j][i] - a[i][j] });
    }
  }
  return {
    name: `skymatch deltas: ${name}`,
    spec: { op: "deltas", A: a, W: w },
    files: {},
    rtol: 1e-9,
    ours: () => ({
      deltas: Float64Array.from(skyDeltas(a.length, equations), (d) => (Number.isFinite(d) ? d : -999)),
    }),
  };
}

/** Overlap skies consistent with image skies `sky` (A[j][i] = sky[i] + noise) where `w` has pixels. */
function overlaps(sky: number[], w: number[][], noise: number): number[][] {
  return sky.map((_, j) => sky.map((s, i) => (w[j][i] > 0 ? s + noise * Math.sin(7 * i + 3 * j) : 0)));
}

export function matchCases(): DrizzlepacCase[] {
  const full = [
    [0, 5000, 3000, 800],
    [4800, 0, 2500, 1200],
    [3100, 2600, 0, 4000],
    [900, 1100, 3900, 0],
  ];
  const split = [
    [0, 2000, 0, 0, 0],
    [2100, 0, 0, 0, 0],
    [0, 0, 0, 700, 0],
    [0, 0, 650, 0, 0],
    [0, 0, 0, 0, 0],
  ];
  const chain = [
    [0, 300, 0],
    [310, 0, 900],
    [0, 880, 0],
  ];
  return [
    scanCase("triangle", 40, 30, [
      [
        [3.2, 4.7],
        [30.5, 9.5],
        [12.49, 26.51],
      ],
    ]),
    scanCase("rotated quadrilateral past the left and bottom edges", 50, 40, [
      [
        [-6.3, 10.2],
        [20.7, -8.4],
        [41.5, 22.5],
        [14.6, 35.1],
      ],
    ]),
    scanCase("pentagon past the right and top edges, two polygons", 45, 35, [
      [
        [30.5, 20.5],
        [52.2, 24.9],
        [50.1, 41.7],
        [36.4, 44.2],
        [28.8, 33.3],
      ],
      [
        [1.5, 1.5],
        [8.5, 1.5],
        [8.5, 6.5],
        [1.5, 6.5],
      ],
    ]),
    scanCase("thin sliver", 60, 20, [
      [
        [2.1, 3.9],
        [57.8, 15.2],
        [57.3, 16.1],
      ],
    ]),
    deltasCase("four images, all overlapping", overlaps([12, 31, 18, 25], full, 0.4), full),
    deltasCase("two separate pairs and an image alone", overlaps([12, 31, 18, 25, 40], split, 0.2), split),
    deltasCase("a chain of three", overlaps([7.5, 3.25, 11], chain, 0.1), chain),
  ];
}
