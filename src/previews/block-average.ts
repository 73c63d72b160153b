/**
 * fitscut's block average for thumbnails: the mean of each pixfac × pixfac block over its non-blank (not
 * NaN) pixels, NaN when there are none. Sums are single precision and taken row by row, left to right, as
 * fitscut adds them. With a DQ mask, flagged pixels count only in blocks that have no unflagged pixel, and
 * such blocks stay masked.
 */
import type { Plane } from "./plane.js";

export function blockAverage(plane: Plane, pixfac: number): Plane {
  const { width, height, data, masked } = plane;
  const outWidth = Math.trunc((width - 1) / pixfac) + 1;
  const outHeight = Math.trunc((height - 1) / pixfac) + 1;
  const out = new Float32Array(outWidth * outHeight);
  const outMasked = masked ? new Uint8Array(outWidth * outHeight) : undefined;
  const clean = new BlockSums(outWidth);
  const flagged = new BlockSums(outWidth);
  for (let y = 0; y < outHeight; y++) {
    clean.clear();
    flagged.clear();
    for (let j = y * pixfac; j < Math.min(height, (y + 1) * pixfac); j++) {
      if (masked) addMaskedRow(data, masked, j * width, width, pixfac, clean, flagged);
      else addRow(data, j * width, width, pixfac, clean);
    }
    const outBase = y * outWidth;
    for (let x = 0; x < outWidth; x++) {
      if (clean.count[x] > 0) out[outBase + x] = clean.sum[x] / clean.count[x];
      else if (flagged.count[x] > 0 && outMasked) {
        out[outBase + x] = flagged.sum[x] / flagged.count[x];
        outMasked[outBase + x] = 1;
      } else out[outBase + x] = Number.NaN;
    }
  }
  return { width: outWidth, height: outHeight, data: out, masked: outMasked };
}

class BlockSums {
  readonly sum: Float32Array;
  readonly count: Int32Array;
  constructor(width: number) {
    this.sum = new Float32Array(width);
    this.count = new Int32Array(width);
  }
  clear(): void {
    this.sum.fill(0);
    this.count.fill(0);
  }
}

// Each block's sum is a chain of dependent single-precision additions, in fitscut's order. Summing four
// blocks side by side (two with a mask) keeps several chains in flight without changing any one of them.
function addRow(data: Float32Array, base: number, width: number, pixfac: number, sums: BlockSums) {
  const { sum, count } = sums;
  const full = Math.trunc(width / pixfac);
  let x = 0;
  for (; x + 4 <= full; x += 4) {
    const i0 = base + x * pixfac;
    const i1 = i0 + pixfac;
    const i2 = i1 + pixfac;
    const i3 = i2 + pixfac;
    let s0 = sum[x];
    let s1 = sum[x + 1];
    let s2 = sum[x + 2];
    let s3 = sum[x + 3];
    let c0 = count[x];
    let c1 = count[x + 1];
    let c2 = count[x + 2];
    let c3 = count[x + 3];
    for (let k = 0; k < pixfac; k++) {
      const v0 = data[i0 + k];
      const v1 = data[i1 + k];
      const v2 = data[i2 + k];
      const v3 = data[i3 + k];
      if (!Number.isNaN(v0)) {
        s0 = Math.fround(s0 + v0);
        c0++;
      }
      if (!Number.isNaN(v1)) {
        s1 = Math.fround(s1 + v1);
        c1++;
      }
      if (!Number.isNaN(v2)) {
        s2 = Math.fround(s2 + v2);
        c2++;
      }
      if (!Number.isNaN(v3)) {
        s3 = Math.fround(s3 + v3);
        c3++;
      }
    }
    sum[x] = s0;
    sum[x + 1] = s1;
    sum[x + 2] = s2;
    sum[x + 3] = s3;
    count[x] = c0;
    count[x + 1] = c1;
    count[x + 2] = c2;
    count[x + 3] = c3;
  }
  for (; x * pixfac < width; x++) {
    let s0 = sum[x];
    let c0 = count[x];
    const end = base + Math.min(width, (x + 1) * pixfac);
    for (let i = base + x * pixfac; i < end; i++) {
      const v = data[i];
      if (!Number.isNaN(v)) {
        s0 = Math.fround(s0 + v);
        c0++;
      }
    }
    sum[x] = s0;
    count[x] = c0;
  }
}

function addMaskedRow(
  data: Float32Array,
  masked: Uint8Array,
  base: number,
  width: number,
  pixfac: number,
  clean: BlockSums,
  flagged: BlockSums,
) {
  const full = Math.trunc(width / pixfac);
  let x = 0;
  for (; x + 2 <= full; x += 2) {
    const i0 = base + x * pixfac;
    const i1 = i0 + pixfac;
    let s0 = clean.sum[x];
    let s1 = clean.sum[x + 1];
    let f0 = flagged.sum[x];
    let f1 = flagged.sum[x + 1];
    let c0 = clean.count[x];
    let c1 = clean.count[x + 1];
    let g0 = flagged.count[x];
    let g1 = flagged.count[x + 1];
    for (let k = 0; k < pixfac; k++) {
      const v0 = data[i0 + k];
      const v1 = data[i1 + k];
      if (!Number.isNaN(v0)) {
        if (masked[i0 + k] !== 0) {
          f0 = Math.fround(f0 + v0);
          g0++;
        } else {
          s0 = Math.fround(s0 + v0);
          c0++;
        }
      }
      if (!Number.isNaN(v1)) {
        if (masked[i1 + k] !== 0) {
          f1 = Math.fround(f1 + v1);
          g1++;
        } else {
          s1 = Math.fround(s1 + v1);
          c1++;
        }
      }
    }
    clean.sum[x] = s0;
    clean.sum[x + 1] = s1;
    flagged.sum[x] = f0;
    flagged.sum[x + 1] = f1;
    clean.count[x] = c0;
    clean.count[x + 1] = c1;
    flagged.count[x] = g0;
    flagged.count[x + 1] = g1;
  }
  for (; x * pixfac < width; x++) {
    const end = base + Math.min(width, (x + 1) * pixfac);
    for (let i = base + x * pixfac; i < end; i++) {
      const v = data[i];
      if (Number.isNaN(v)) continue;
      const sums = masked[i] !== 0 ? flagged : clean;
      sums.sum[x] += v;
      sums.count[x]++;
    }
  }
}
