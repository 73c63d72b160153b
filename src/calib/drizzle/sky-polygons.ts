/**
 * The geometry of skypac's sky matching: where two chips' footprints overlap on the sky, and which of a chip's
 * pixels that overlap covers. A footprint is the chip's four corner pixels on the sky (spherical_geometry's
 * from_wcs with steps=1: great-circle edges); two of them are intersected in the gnomonic projection about the
 * first, where great circles are straight lines, so the clipped polygon is the spherical intersection. The pixel
 * mask follows skypac's region.Polygon.scan exactly (vertices rounded half to even, its edge table, ceil of each
 * crossing, both ends filled), since the pixels it picks decide the statistics.
 */

export type LonLat = [number, number];
type Vec3 = [number, number, number];

const RAD = Math.PI / 180;

function toVector([lon, lat]: LonLat): Vec3 {
  const c = Math.cos(lat * RAD);
  return [c * Math.cos(lon * RAD), c * Math.sin(lon * RAD), Math.sin(lat * RAD)];
}

function toLonLat([x, y, z]: Vec3): LonLat {
  const lon = Math.atan2(y, x) / RAD;
  return [lon < 0 ? lon + 360 : lon, Math.atan2(z, Math.hypot(x, y)) / RAD];
}

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
function unit(a: Vec3): Vec3 {
  const n = Math.hypot(a[0], a[1], a[2]);
  return [a[0] / n, a[1] / n, a[2] / n];
}

/** A tangent plane at `centre` with an orthonormal basis: gnomonic projection and its inverse. */
function tangentPlane(centre: Vec3) {
  const helper: Vec3 = Math.abs(centre[2]) < 0.9 ? [0, 0, 1] : [1, 0, 0];
  const e1 = unit(cross(helper, centre));
  const e2 = cross(centre, e1);
  return {
    project(p: Vec3): [number, number] {
      const d = dot(p, centre);
      return [dot(p, e1) / d, dot(p, e2) / d];
    },
    unproject([x, y]: [number, number]): Vec3 {
      return unit([
        centre[0] + x * e1[0] + y * e2[0],
        centre[1] + x * e1[1] + y * e2[1],
        centre[2] + x * e1[2] + y * e2[2],
      ]);
    },
  };
}

type P2 = [number, number];
const cross2 = (o: P2, a: P2, b: P2) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

function signedArea(poly: P2[]): number {
  let s = 0;
  for (let k = 0; k < poly.length; k++) {
    const [a, b] = [poly[k], poly[(k + 1) % poly.length]];
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
}

/** Sutherland–Hodgman: the part of convex-or-not `subject` inside the convex `clip` (either orientation). */
function clipConvex(subject: P2[], clip: P2[]): P2[] {
  const sense = Math.sign(signedArea(clip));
  let out = subject;
  for (let k = 0; k < clip.length && out.length > 0; k++) {
    const [a, b] = [clip[k], clip[(k + 1) % clip.length]];
    const inside = (p: P2) => sense * cross2(a, b, p) >= 0;
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const [p, q] = [input[i], input[(i + 1) % input.length]];
      const [pin, qin] = [inside(p), inside(q)];
      if (pin) out.push(p);
      if (pin !== qin) {
        const [dp, dq] = [cross2(a, b, p), cross2(a, b, q)];
        const t = dp / (dp - dq);
        out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
      }
    }
  }
  return out;
}

const same = (a: P2, b: P2, tolerance: number) =>
  Math.abs(a[0] - b[0]) <= tolerance && Math.abs(a[1] - b[1]) <= tolerance;

/**
 * The overlap of two footprints (corners on the sky, in order) as its vertices on the sky, or undefined when
 * they share no area. Identical footprints give the first one's corners, as skypac does.
 */
export function footprintOverlap(a: LonLat[], b: LonLat[]): LonLat[] | undefined {
  const va = a.map(toVector);
  const vb = b.map(toVector);
  const sorted = (v: Vec3[]) => [...v].sort((p, q) => p[0] - q[0] || p[1] - q[1] || p[2] - q[2]);
  const [sa, sb] = [sorted(va), sorted(vb)];
  if (sa.length === sb.length && sa.every((p, k) => p.every((x, i) => Math.abs(x - sb[k][i]) <= 1e-8))) return a;
  const plane = tangentPlane(unit(va.reduce((s, p) => [s[0] + p[0], s[1] + p[1], s[2] + p[2]], [0, 0, 0])));
  if (vb.some((p) => dot(p, plane.unproject([0, 0])) <= 0)) return undefined;
  const clipped = clipConvex(va.map(plane.project), vb.map(plane.project));
  const scale = Math.max(...clipped.flat().map(Math.abs), 1e-300);
  const vertices = clipped.filter((p, k) => !same(p, clipped[(k + 1) % clipped.length], 1e-12 * scale));
  if (vertices.length < 3 || Math.abs(signedArea(vertices)) === 0) return undefined;
  return vertices.map((p) => toLonLat(plane.unproject(p)));
}

/** Python's round() of a float64: half to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

interface Edge {
  start: P2;
  stop: P2;
  ymin: number;
  ymax: number;
}

/**
 * Sets to 1 the pixels of `mask` (nx × ny, row-major, 0-based) inside the polygon with these pixel vertices
 * (0-based; closed or not): skypac's region.Polygon(vertices).scan(mask), quirks included.
 */
export function scanPolygon(mask: Uint8Array, nx: number, ny: number, pixels: P2[]): void {
  const rounded = pixels.map(([x, y]): P2 => [roundHalfEven(x), roundHalfEven(y)]);
  if (!same(rounded[0], rounded[rounded.length - 1], 0)) rounded.push(rounded[0]);
  let shiftx = 0;
  let shifty = 0;
  for (const [x, y] of rounded) {
    if (x < shiftx) shiftx = x;
    if (y < shifty) shifty = y;
  }
  const v = rounded.map(([x, y]): P2 => [x - shiftx, y - shifty]);
  const xs = v.map((p) => p[0]);
  const ys = v.map((p) => p[1]);
  const [x0, y0] = [Math.min(...xs), Math.min(...ys)];
  const [w, h] = [Math.max(...xs) - x0, Math.max(...ys) - y0];
  const edges: Edge[] = [];
  for (let k = 1; k < v.length; k++) {
    const [start, stop] = [v[k - 1], v[k]];
    edges.push({ start, stop, ymin: Math.min(start[1], stop[1]), ymax: Math.max(start[1], stop[1]) });
  }
  let active: Edge[] = [];
  const last = y0 + h;
  for (let y = y0; y <= last; y++) {
    if (y < last) {
      for (const e of edges) if (e.ymin === y && e.start[1] !== e.stop[1]) active.push(e);
      active = active.filter((e) => e.ymax !== y);
    }
    if (w <= 0) continue;
    const crossings = active
      .map((e) => {
        const [ux, uy] = [e.stop[0] - e.start[0], e.stop[1] - e.start[1]];
        const d = ux * 0 - uy * w;
        const c = w * (e.start[1] - y) - 0 * (e.start[0] - x0);
        return Math.ceil((c / d) * ux + e.start[0]);
      })
      .sort((a, b) => a - b);
    const row = y + shifty;
    if (row < 0 || row >= ny) continue;
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const xstart = Math.min(Math.max(crossings[k] + shiftx, 0), nx);
      const xend = crossings[k + 1] + shiftx < nx ? crossings[k + 1] + shiftx : nx - 1;
      // numpy's slice [xstart:xend + 1]: a negative end counts from the row's end
      const end = xend + 1 < 0 ? Math.max(nx + xend + 1, 0) : Math.min(xend + 1, nx);
      mask.fill(1, row * nx + xstart, row * nx + Math.max(end, xstart));
    }
  }
}
