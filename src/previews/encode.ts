/**
 * Encoding with sharp (libvips + libjpeg-turbo): fitscut's JPEG is baseline JFIF at quality 75 with the
 * standard IJG tables and non-optimised Huffman tables, grey images as one component. A JPEG comment
 * (COM) carries the WCS for Aladin-style viewers, as fitscut writes one.
 */
import sharp from "sharp";

export const JPEG_QUALITY = 75;

export async function encodeGreyJpeg(grey: Uint8Array, width: number, height: number, comment?: string) {
  const jpeg = await sharp(grey, { raw: { width, height, channels: 1 } })
    .toColourspace("b-w")
    .jpeg({ quality: JPEG_QUALITY, optimiseCoding: false, mozjpeg: false, progressive: false })
    .toBuffer();
  return comment === undefined ? jpeg : withComment(jpeg, comment);
}

export async function encodeRgbJpeg(rgb: Uint8Array, width: number, height: number, comment?: string) {
  const jpeg = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .jpeg({
      quality: JPEG_QUALITY,
      optimiseCoding: false,
      mozjpeg: false,
      progressive: false,
      chromaSubsampling: "4:2:0",
    })
    .toBuffer();
  return comment === undefined ? jpeg : withComment(jpeg, comment);
}

export async function encodeGreyPng(grey: Uint8Array, width: number, height: number): Promise<Buffer> {
  return sharp(grey, { raw: { width, height, channels: 1 } })
    .toColourspace("b-w")
    .png()
    .toBuffer();
}

/** Inserts a COM segment after the JFIF APP0 segment (or right after SOI). */
export function withComment(jpeg: Buffer, comment: string): Buffer {
  const text = Buffer.from(comment, "latin1").subarray(0, 65533);
  let at = 2;
  if (jpeg[2] === 0xff && jpeg[3] === 0xe0) at = 4 + jpeg.readUInt16BE(4);
  const segment = Buffer.alloc(4 + text.length);
  segment[0] = 0xff;
  segment[1] = 0xfe;
  segment.writeUInt16BE(text.length + 2, 2);
  text.copy(segment, 4);
  return Buffer.concat([jpeg.subarray(0, at), segment, jpeg.subarray(at)]);
}

/** The COM text of a JPEG, or undefined. */
export function jpegComment(jpeg: Buffer): string | undefined {
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    const marker = jpeg[at + 1];
    const length = jpeg.readUInt16BE(at + 2);
    if (marker === 0xfe) return jpeg.subarray(at + 4, at + 2 + length).toString("latin1");
    if (marker === 0xda) return undefined;
    at += 2 + length;
  }
  return undefined;
}
