import { nativeRotation } from "./celestial.js";
import { WcsError } from "./errors.js";
import { invert, type Wcs } from "./model.js";
import { focalToPix, pixToFocal } from "./transform.js";

export interface PixelMapOptions {
  /** all_world2pix's tolerance when the output WCS has SIP (pixels). */
  tolerance?: number;
  /** Only these rows of the input, [first, end) (for workers); the map then holds those rows. */
  rows?: [number, number];
  /**
   * Map the nodes of a grid instead of the pixels: node (i, j) is at 1-based pixel (i·step, j·step), as the table
   * drizzlepac's DefaultWCSMapping interpolates; `width` × `height` then count nodes.
   */
  step?: number;
}

const R0 = 180 / Math.PI;

/**
 * The pixel map the drizzle kernels take, as python drizzle's calc_pixmap makes it: for every pixel (x, y) of
 * a `width` × `height` input (0-based, x fastest), where it falls on the output grid (0-based), through the
 * input's full distortion and the output's inverse (undistorted unless the output WCS has SIP, as there).
 * Returns x, y pairs: map[2 (y·width + x)] and map[2 (y·width + x) + 1].
 *
 * Sky to sky goes as one 3×3 rotation between the two TAN frames (the same transformation as the spherical
 * trigonometry of pixToSky and skyToFocal, without a trigonometric call per pixel).
 */
export function pixelMap(
  input: Wcs,
  output: Wcs,
  width: number,
  height: number,
  options: PixelMapOptions = {},
): Float64Array {
  const [first, end] = options.rows ?? [0, height];
  const map = new Float64Array(2 * width * (end - first));
  const m = composeRotation(input, output);
  const [[a, b], [c, d]] = input.cd;
  const [[ia, ib], [ic, id]] = invert(output.cd);
  const inverse = output.sip ? { tolerance: options.tolerance ?? 1e-4 } : undefined;
  const step = options.step;
  for (let y = first; y < end; y++) {
    for (let x = 0; x < width; x++) {
      const [fx, fy] = step ? pixToFocal(input, x * step, y * step) : pixToFocal(input, x + 1, y + 1);
      const u = fx - input.crpix[0];
      const v = fy - input.crpix[1];
      // the input's TAN direction (-y, x, R0) in its native frame, turned into the output's native frame
      const px = (a * u + b * v) / R0;
      const py = (c * u + d * v) / R0;
      const n1 = -m[0] * py + m[1] * px + m[2];
      const n2 = -m[3] * py + m[4] * px + m[5];
      const n3 = -m[6] * py + m[7] * px + m[8];
      if (!(n3 > 0)) throw new WcsError(`input pixel (${x}, ${y}) is not on the output projection's near hemisphere`);
      const ox = (R0 * n2) / n3;
      const oy = (-R0 * n1) / n3;
      let tx = output.crpix[0] + ia * ox + ib * oy;
      let ty = output.crpix[1] + ic * ox + id * oy;
      if (inverse) [tx, ty] = focalToPix(output, tx, ty, inverse);
      const i = 2 * ((y - first) * width + x);
      map[i] = tx - 1;
      map[i + 1] = ty - 1;
    }
  }
  return map;
}

/** Rout^T · Rin, row-major: from the input's native frame to the output's. */
function composeRotation(input: Wcs, output: Wcs): number[] {
  const rin = nativeRotation({ crval: input.crval, lonpole: input.lonpole });
  const rout = nativeRotation({ crval: output.crval, lonpole: output.lonpole });
  const m: number[] = [];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) m.push(rout[0][i] * rin[0][j] + rout[1][i] * rin[1][j] + rout[2][i] * rin[2][j]);
  }
  return m;
}
