/**
 * Polynomial interpolation for blot (cdrizzleblot.c's interpolate_poly3/poly5 with IRAF's ii_bipoly3/5): a 4×4 or
 * 6×6 patch, reflected about the image edge where it falls off, interpolated through central differences, in float.
 */
import { f32 } from "./c-math.js";
import type { FloatImage } from "./types.js";

const patch = new Float32Array(36);
const rows = new Float32Array(6);
const SIXTH = f32(1 / 6);
const ONE_20TH = f32(1 / 120);

/** Fills `patch` (n×n) with pixels nx-h..nx-h+n-1 of rows ny-h..; the last row is row height-h-2 when off the image. */
function fillPatch(img: FloatImage, nx: number, ny: number, n: number): void {
  const { width, height, data } = img;
  const h = n / 2 - 1;
  const at = (i: number, j: number) => data[j * width + i];
  for (let r = 0; r < n; r++) {
    let j = ny - h + r;
    if (j < 0 || j >= height) {
      if (r !== n - 1) continue;
      j = height - h - 2;
    }
    for (let c = 0; c < n; c++) {
      const i = nx - h + c;
      let v: number;
      if (i < 0) v = f32(2 * at(0, j)) - at(-i, j);
      else if (i >= width) v = f32(2 * at(width - 1, j)) - at(2 * width - 2 - i, j);
      else v = at(i, j);
      patch[r * n + c] = v;
    }
  }
}

/**
 * Row `dst` = 2·row `mid` − row `other` (cdrizzle's weighted_sum_vectors with weights 2 and −1). poly3 on the last
 * image row asks for row −1, before cdrizzle's array (undefined behaviour); row 0 stands in for it here.
 */
function reflectRow(n: number, mid: number, other: number, dst: number): void {
  if (other < 0) other = 0;
  for (let c = 0; c < n; c++) patch[dst * n + c] = f32(2 * patch[mid * n + c]) - patch[other * n + c];
}

/** The rows above and below the image, reflected as interpolate_poly3/5 do. */
function reflectRows(n: number, ny: number, height: number): void {
  const h = n / 2 - 1;
  const firstw = Math.max(0, h - ny);
  if (firstw > 0) for (let j = 0; j <= (n === 6 ? firstw : firstw - 1); j++) reflectRow(n, firstw, 2 * firstw - j, j);
  const lastrw = Math.min(n - 1, height - ny + h - 1);
  if (lastrw < n - 1) {
    for (let j = lastrw + 1; j <= (n === 6 ? n - 2 : n - 1); j++) reflectRow(n, lastrw, 2 * lastrw - j, j);
  } else reflectRow(n, lastrw, 2 * lastrw - (n - 1), n - 1);
}

/**
 * The 6×6 patch of a position whose patch lies inside the image: what fillPatch and reflectRows give there (the
 * last row "reflected" onto itself, 2v − v in float as they compute it), read without their edge cases.
 */
function fillInnerPatch6(img: FloatImage, nx0: number, ny0: number): void {
  const { width, data } = img;
  for (let r = 0, p = 0; r < 6; r++) {
    const row = (ny0 - 2 + r) * width + nx0 - 2;
    for (let c = 0; c < 6; c++) patch[p++] = data[row + c];
  }
  for (let p = 30; p < 36; p++) patch[p] = f32(2 * patch[p]) - patch[p];
}

/** Quintic interpolation at (x, y) (0-based, inside the image). */
export function poly5(img: FloatImage, x: number, y: number): number {
  const nx0 = Math.trunc(x);
  const ny0 = Math.trunc(y);
  if (nx0 >= 2 && ny0 >= 2 && nx0 + 3 < img.width && ny0 + 3 < img.height) fillInnerPatch6(img, nx0, ny0);
  else {
    fillPatch(img, nx0, ny0, 6);
    reflectRows(6, ny0, img.height);
  }
  const xval = f32(3 + f32(x - nx0));
  const yval = f32(3 + f32(y - ny0));
  const nx = Math.trunc(xval);
  const ny = Math.trunc(yval);
  const sx = f32(xval - nx);
  const sx2 = f32(sx * sx);
  const sx2m1 = f32(sx2 - 1);
  const sx2m4 = f32(sx2 - 4);
  const tx = f32(1 - sx);
  const tx2 = f32(tx * tx);
  const tx2m1 = f32(tx2 - 1);
  const tx2m4 = f32(tx2 - 4);
  const sy = f32(yval - ny);
  const sy2 = f32(sy * sy);
  const ty = f32(1 - sy);
  const ty2 = f32(ty * ty);
  const c = patch;
  for (let j = 0, k = (ny - 3) * 6 + nx - 1; j < 6; j++, k += 6) {
    const cd20 = f32(SIXTH * f32(f32(c[k + 1] - f32(2 * c[k])) + c[k - 1]));
    const cd21 = f32(SIXTH * f32(f32(c[k + 2] - f32(2 * c[k + 1])) + c[k]));
    const cd40 = f32(ONE_20TH * fourth(c[k - 2], c[k - 1], c[k], c[k + 1], c[k + 2]));
    const cd41 = f32(ONE_20TH * fourth(c[k - 1], c[k], c[k + 1], c[k + 2], c[k + 3]));
    rows[j] = f32(
      f32(sx * f32(c[k + 1] + f32(sx2m1 * f32(cd21 + f32(sx2m4 * cd41))))) +
        f32(tx * f32(c[k] + f32(tx2m1 * f32(cd20 + f32(tx2m4 * cd40))))),
    );
  }
  const z = rows;
  const cd20y = f32(SIXTH * f32(f32(z[3] - f32(2 * z[2])) + z[1]));
  const cd21y = f32(SIXTH * f32(f32(z[4] - f32(2 * z[3])) + z[2]));
  const cd40y = f32(ONE_20TH * fourth(z[0], z[1], z[2], z[3], z[4]));
  const cd41y = f32(ONE_20TH * fourth(z[1], z[2], z[3], z[4], z[5]));
  return f32(
    f32(sy * f32(z[3] + f32(f32(sy2 - 1) * f32(cd21y + f32(f32(sy2 - 4) * cd41y))))) +
      f32(ty * f32(z[2] + f32(f32(ty2 - 1) * f32(cd20y + f32(f32(ty2 - 4) * cd40y))))),
  );
}

/** a − 4b + 6c − 4d + e, left to right in float. */
function fourth(a: number, b: number, c: number, d: number, e: number): number {
  return f32(f32(f32(f32(a - f32(4 * b)) + f32(6 * c)) - f32(4 * d)) + e);
}

/** Cubic interpolation at (x, y) (0-based, inside the image). */
export function poly3(img: FloatImage, x: number, y: number): number {
  const nx0 = Math.trunc(x);
  const ny0 = Math.trunc(y);
  fillPatch(img, nx0, ny0, 4);
  reflectRows(4, ny0, img.height);
  const xval = f32(2 + f32(x - nx0));
  const yval = f32(2 + f32(y - ny0));
  const nx = Math.trunc(xval);
  const ny = Math.trunc(yval);
  const sx = f32(xval - nx);
  const tx = f32(1 - sx);
  const sx2m1 = f32(f32(sx * sx) - 1);
  const tx2m1 = f32(f32(tx * tx) - 1);
  const sy = f32(yval - ny);
  const ty = f32(1 - sy);
  const c = patch;
  for (let j = 0, k = (ny - 2) * 4 + nx - 1; j < 4; j++, k += 4) {
    const cd20 = f32(SIXTH * f32(f32(c[k + 1] - f32(2 * c[k])) + c[k - 1]));
    const cd21 = f32(SIXTH * f32(f32(c[k + 2] - f32(2 * c[k + 1])) + c[k]));
    rows[j] = f32(f32(sx * f32(c[k + 1] + f32(sx2m1 * cd21))) + f32(tx * f32(c[k] + f32(tx2m1 * cd20))));
  }
  const z = rows;
  const cd20y = f32(SIXTH * f32(f32(z[2] - f32(2 * z[1])) + z[0]));
  const cd21y = f32(SIXTH * f32(f32(z[3] - f32(2 * z[2])) + z[1]));
  return f32(
    f32(sy * f32(z[2] + f32(f32(f32(sy * sy) - 1) * cd21y))) + f32(ty * f32(z[1] + f32(f32(f32(ty * ty) - 1) * cd20y))),
  );
}
