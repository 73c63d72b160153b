import type { Wcs } from "./model.js";
import { pixToSky, skyToFocal, skyToPix } from "./transform.js";

/**
 * The pixel map the drizzle kernels take, as python drizzle's calc_pixmap makes it: for every pixel (x, y) of
 * a `width` × `height` input (0-based, x fastest), where it falls on the output grid (0-based), through the
 * input's full distortion and the output's inverse (undistorted unless the output WCS has SIP, as there).
 * Returns x, y pairs: map[2 (y·width + x)] and map[2 (y·width + x) + 1].
 */
export function pixelMap(input: Wcs, output: Wcs, width: number, height: number, tolerance = 1e-4): Float64Array {
  const map = new Float64Array(2 * width * height);
  const inverse = output.sip
    ? (ra: number, dec: number) => skyToPix(output, ra, dec, { tolerance })
    : (ra: number, dec: number) => skyToFocal(output, ra, dec);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [ra, dec] = pixToSky(input, x + 1, y + 1);
      const [ox, oy] = inverse(ra, dec);
      const i = 2 * (y * width + x);
      map[i] = ox - 1;
      map[i + 1] = oy - 1;
    }
  }
  return map;
}
