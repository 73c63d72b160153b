/**
 * The 2-D complex Fourier transform calstis4 cross-correlates echelle wavecals with (lib/xcfft.c fft2d/ifft2d:
 * every row, then every column; forward e^(−2πi jk/n), backward e^(+2πi jk/n) divided by nx·ny). Radix 2: a MAMA
 * image is 1024 or 2048 pixels a side; other sizes are refused by the caller's check.
 */

/** True for the sizes this transform handles. */
export const isPowerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;

/** In-place transform of n values at `offset`, every `stride` elements of re/im (sign −1 forward, +1 backward). */
function fft1d(re: Float64Array, im: Float64Array, offset: number, stride: number, n: number, sign: number): void {
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const a = offset + i * stride;
      const b = offset + j * stride;
      [re[a], re[b]] = [re[b]!, re[a]!];
      [im[a], im[b]] = [im[b]!, im[a]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const angle = (sign * 2 * Math.PI) / len;
    const half = len >> 1;
    for (let k = 0; k < half; k++) {
      const wr = Math.cos(angle * k);
      const wi = Math.sin(angle * k);
      for (let start = 0; start < n; start += len) {
        const a = offset + (start + k) * stride;
        const b = a + half * stride;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
      }
    }
  }
}

/** A complex nx × ny image, row-major. */
export interface ComplexImage {
  nx: number;
  ny: number;
  re: Float64Array;
  im: Float64Array;
}

export const complexImage = (nx: number, ny: number): ComplexImage => ({
  nx,
  ny,
  re: new Float64Array(nx * ny),
  im: new Float64Array(nx * ny),
});

export function fft2d(z: ComplexImage): void {
  for (let j = 0; j < z.ny; j++) fft1d(z.re, z.im, j * z.nx, 1, z.nx, -1);
  for (let i = 0; i < z.nx; i++) fft1d(z.re, z.im, i, z.nx, z.ny, -1);
}

export function ifft2d(z: ComplexImage): void {
  for (let j = 0; j < z.ny; j++) fft1d(z.re, z.im, j * z.nx, 1, z.nx, 1);
  for (let i = 0; i < z.nx; i++) fft1d(z.re, z.im, i, z.nx, z.ny, 1);
  const n = z.nx * z.ny;
  for (let k = 0; k < n; k++) {
    z.re[k]! /= n;
    z.im[k]! /= n;
  }
}
