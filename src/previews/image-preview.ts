/**
 * Single-band image previews, the equivalent of
 * `fitscut --all --jpg --autoscale=99.5 --asinh-scale --output-size=N --badpix FILE`:
 * resize first, then the stretch of the resized picture, then JPEG.
 */
import { basename, join } from "node:path";
import { writeAtomically } from "./atomic.js";
import { autoscaleLimits, dataRange, type ScaleLimits } from "./autoscale.js";
import { degenerateNotes } from "./degenerate.js";
import { encodeGreyJpeg } from "./encode.js";
import { type Plane, resizeForPreview, thumbnailGeometry } from "./geometry.js";
import { type Picture, type PictureOptions, readPicture } from "./mosaic.js";
import { greyImage } from "./stretch.js";
import { wcsComment } from "./wcs-comment.js";

export interface GreyPreview {
  width: number;
  height: number;
  /** Row 0 = top of the picture = last FITS row. */
  grey: Uint8Array;
  limits: ScaleLimits;
}

/** The output formats of CALDP: the thumbnail (long side `thumbSize`) and the full size (-1). */
export function previewFormats(thumbSize = 128): { suffix: string; size: number }[] {
  return [
    { suffix: "_thumb", size: thumbSize },
    { suffix: "", size: -1 },
  ];
}

/** The grey picture at an output size (≤ 0: full size). */
export function renderGrey(plane: Plane, size: number): GreyPreview {
  const resized = resizeForPreview(plane, size);
  const limits = planeLimits(resized);
  return {
    width: resized.width,
    height: resized.height,
    grey: greyImage(resized.data, resized.width, resized.height, limits),
    limits,
  };
}

/** The autoscale limits of a plane, by its DQ mask unless the mask leaves no pixel to scale by. */
export function planeLimits(plane: Plane): ScaleLimits {
  const range = plane.range ?? dataRange(plane.data, plane.masked);
  if (range || !plane.masked) return autoscaleLimits(plane.data, plane.masked, undefined, range);
  return autoscaleLimits(plane.data);
}

export interface ImagePreviewOptions extends PictureOptions {
  thumbSize?: number;
  /** Told what a preview shows differently from a normal one (degenerate.ts, mosaic.ts notes). */
  warn?: (message: string) => void;
}

/**
 * Writes `<base>_thumb.jpg` and `<base>.jpg` for an image product into `outDir`; returns the paths. Throws
 * PreviewSkipped, writing nothing, when every pixel is blank.
 */
export async function writeImagePreviews(file: string, outDir: string, options: ImagePreviewOptions = {}) {
  const picture = readPicture(file, options);
  for (const note of [...picture.notes, ...degenerateNotes(picture)]) options.warn?.(note);
  const base = basename(file).replace(/\.fits(\.gz)?$/i, "");
  const formats = previewFormats(options.thumbSize);
  // The largest first: its JPEG is encoded by sharp's threads while the others are computed here.
  const bySize = [...formats].sort((a, b) => outputSide(b.size) - outputSide(a.size));
  const pending = new Map(bySize.map((format) => [format, previewJpeg(picture, format.size)]));
  const results = await Promise.allSettled(formats.map((format) => pending.get(format)));
  const written: string[] = [];
  formats.forEach(({ suffix }, i) => {
    const result = results[i];
    if (result.status === "rejected") throw result.reason;
    const path = join(outDir, `${base}${suffix}.jpg`);
    writeAtomically(path, result.value as Buffer);
    written.push(path);
  });
  return written;
}

export async function previewJpeg(picture: Picture, size: number): Promise<Buffer> {
  const preview = renderGrey(picture.plane, size);
  const zoom = size > 0 ? previewZoom(picture.plane, size) : 1;
  const comment = wcsComment(picture.chips === 1 ? picture.header : undefined, zoom);
  return encodeGreyJpeg(preview.grey, preview.width, preview.height, comment);
}

const outputSide = (size: number) => (size > 0 ? size : Number.POSITIVE_INFINITY);

/** fitscut's output zoom (for the WCS): the resample factor times 1/pixfac. */
function previewZoom(plane: Plane, size: number): number {
  const { pixfac, reduced, output } = thumbnailGeometry(plane.width, plane.height, size);
  const resample = reduced.width > reduced.height ? output.width / reduced.width : output.height / reduced.height;
  return resample / pixfac;
}
