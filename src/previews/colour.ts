/**
 * Colour composites (fitscut `--red --green --blue`): each channel is resized and autoscaled on its own,
 * then the asinh works on the sum of the channels' t values so that colours keep their ratios; the top of
 * the scale is 0.4 for two channels and 0.33 for three. Without a green file, green is the mean of red and
 * blue bytes. A pixel blank in every channel is white; blank in some, those channels are 0.
 */
import type { ScaleLimits } from "./autoscale.js";
import { degenerateNotes, PreviewSkipped } from "./degenerate.js";
import { encodeRgbJpeg } from "./encode.js";
import { type Plane, resizeForPreview } from "./geometry.js";
import { planeLimits } from "./image-preview.js";
import { type Picture, readPicture } from "./mosaic.js";
import { asinhWeight, byteScale, normalised, toByte } from "./stretch.js";

export interface ColourFiles {
  red: string;
  green?: string;
  blue: string;
}

export interface RgbPreview {
  width: number;
  height: number;
  rgb: Uint8Array;
}

export function renderColour(planes: (Plane | undefined)[], size: number): RgbPreview {
  const resized = planes.map((p) => (p ? resizeForPreview(p, size) : undefined));
  const present = resized.filter((p): p is Plane => p !== undefined);
  const { width, height } = present[0];
  if (present.some((p) => p.width !== width || p.height !== height)) {
    throw new Error(`colour channels differ in size: ${present.map((p) => `${p.width}×${p.height}`).join(", ")}`);
  }
  const limits: (ScaleLimits | undefined)[] = resized.map((p) => (p ? planeLimits(p) : undefined));
  const scale = byteScale(present.length);
  const rgb = new Uint8Array(width * height * 3);
  const t = [0, 0, 0];
  for (let row = 0; row < height; row++) {
    const source = (height - 1 - row) * width;
    for (let i = 0; i < width; i++) {
      let sum = 0;
      let largest = 0;
      let counted = 0;
      for (let k = 0; k < 3; k++) {
        const plane = resized[k];
        const x = plane ? plane.data[source + i] : Number.NaN;
        if (!plane || Number.isNaN(x)) {
          t[k] = 0;
          continue;
        }
        t[k] = normalised(x, limits[k]!);
        sum += t[k];
        if (t[k] > largest) largest = t[k];
        counted++;
      }
      const weight = counted === 0 ? Number.NaN : asinhWeight(sum, largest);
      const out = (row * width + i) * 3;
      for (let k = 0; k < 3; k++) {
        if (resized[k]) rgb[out + k] = toByte(Math.fround(t[k] * weight), scale);
      }
      if (!resized[1]) rgb[out + 1] = (rgb[out] + rgb[out + 2]) >> 1;
    }
  }
  return { width, height, rgb };
}

/**
 * Writes `<name>_thumb.jpg`-style pairs: one JPEG per (path, size). Throws PreviewSkipped when every pixel of
 * every channel is blank (the composite would be all white); a blank channel among others contributes 0.
 */
export async function writeColourPreviews(files: ColourFiles, targets: { path: string; size: number }[]) {
  const pictures = [files.red, files.green, files.blue].map((f) => (f ? readPicture(f) : undefined));
  const showable = pictures.filter((p) => p !== undefined && !isAllBlank(p));
  if (showable.length === 0)
    throw new PreviewSkipped("no colour preview: every pixel of every filter's image is blank");
  const planes = pictures.map((p) => p?.plane);
  const out: { path: string; jpeg: Buffer }[] = [];
  for (const { path, size } of targets) {
    const { width, height, rgb } = renderColour(planes, size);
    out.push({ path, jpeg: await encodeRgbJpeg(rgb, width, height) });
  }
  return out;
}

function isAllBlank(picture: Picture): boolean {
  try {
    degenerateNotes(picture);
    return false;
  } catch (e) {
    if (e instanceof PreviewSkipped) return true;
    throw e;
  }
}
