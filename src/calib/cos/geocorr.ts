/**
 * GEOCORR/DGEOCORR for FUV (calcos' geocorrection, ccos geoInterp2D): the X and Y distortion images of the
 * segment, placed at ORIGIN_X/ORIGIN_Y and binned by XBIN/YBIN, give the correction subtracted from each
 * event's coordinates, all in single precision as the C code does. With IGEOCORR = PERFORM the correction is
 * bilinear between the four nearest image pixels (events beyond half a pixel of the image are left alone);
 * otherwise it is the nearest pixel's (events off the image left alone). Every event is corrected, not only
 * those in the active area.
 */

const f = Math.fround;

export interface GeoImages {
  x: Float32Array;
  y: Float32Array;
  nx: number;
  ny: number;
  originX: number;
  originY: number;
  xbin: number;
  ybin: number;
}

/** Corrects the coordinates in place (float32 arrays of the same length). */
export function geocorrect(x: Float32Array, y: Float32Array, geo: GeoImages, interpolate: boolean): void {
  const { nx, ny } = geo;
  const [originX, originY, xbin, ybin] = [geo.originX, geo.originY, geo.xbin, geo.ybin].map(f);
  for (let k = 0; k < x.length; k++) {
    const ix = f(f(x[k] - originX) / xbin);
    const jy = f(f(y[k] - originY) / ybin);
    let dx: number;
    let dy: number;
    if (interpolate) {
      if (ix <= -0.5 || ix >= nx - 0.5 || jy <= -0.5 || jy >= ny - 0.5) continue;
      const i = Math.min(Math.max(Math.floor(ix), 0), nx - 2);
      const j = Math.min(Math.max(Math.floor(jy), 0), ny - 2);
      const q = f(ix - i);
      const p = f(1 - q);
      const s = f(jy - j);
      const r = f(1 - s);
      const [pr, qr, ps, qs] = [f(p * r), f(q * r), f(p * s), f(q * s)];
      const at = j * nx + i;
      dx = bilinear(geo.x, at, nx, pr, qr, ps, qs);
      dy = bilinear(geo.y, at, nx, pr, qr, ps, qs);
    } else {
      const i = Math.floor(ix + 0.5);
      const j = Math.floor(jy + 0.5);
      if (i < 0 || i >= nx || j < 0 || j >= ny) continue;
      dx = geo.x[j * nx + i];
      dy = geo.y[j * nx + i];
    }
    x[k] = x[k] - dx;
    y[k] = y[k] - dy;
  }
}

/** p·r·v(j,i) + q·r·v(j,i+1) + p·s·v(j+1,i) + q·s·v(j+1,i+1), each product and sum rounded to float32. */
function bilinear(v: Float32Array, at: number, nx: number, pr: number, qr: number, ps: number, qs: number): number {
  let sum = f(f(pr * v[at]) + f(qr * v[at + 1]));
  sum = f(sum + f(ps * v[at + nx]));
  return f(sum + f(qs * v[at + nx + 1]));
}
