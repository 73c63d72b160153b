/**
 * Drizzling one input image onto an output frame (python drizzle 1.13's cdrizzle.tdriz): the same kernels, the
 * same float arithmetic and the same order of updates. With the map read as 1.13.4 reads it
 * (PixelMap.interpolation "drizzle-1.13.4"), the same pixels are visited and SCI, WHT and CTX equal Debian's
 * python3-drizzle; by default the map is read bilinearly and every pixel of the input box is visited, as the
 * upstream fixes of 1.13.5 and 1.14 do.
 */
import { CalibrationError } from "../common/errors.js";
import { contextBit, contextPlane, contextPlanesFor, f32 } from "./c-math.js";
import { squareKernel, turboKernel } from "./kernels-box.js";
import { gaussianKernel, lanczosKernel, pointKernel, tophatKernel } from "./kernels-radial.js";
import type { KernelState } from "./state.js";
import { DRIZZLE_KERNELS, type DrizzleFrame, type DrizzleKernel, type FloatImage, type PixelMap } from "./types.js";

export interface DrizzleOptions {
  kernel?: DrizzleKernel;
  /** Linear size of the drop relative to the input pixel (default 1); ≤ 0.001 switches to the point kernel. */
  pixfrac?: number;
  /** Output over input pixel scale (python drizzle's pscale_ratio; default 1): values are multiplied by scale². */
  scale?: number;
  /** 1-based number of this input: its context bit (default 1). */
  uniqid?: number;
  /** Input pixels [xmin, xmax) × [ymin, ymax) are drizzled; 0 for xmax/ymax means the full size. */
  xmin?: number;
  xmax?: number;
  ymin?: number;
  ymax?: number;
  /** "counts" input is divided by `exposureTime` first (default "cps"). */
  inUnits?: "cps" | "counts";
  exposureTime?: number;
  /** Multiplies the input weights (wtscale; python drizzle passes the exposure time or its square). */
  weightScale?: number;
  /** Value for output pixels with no weight, applied to the whole frame after this image; undefined = INDEF. */
  fillValue?: number;
  /**
   * Only output rows [first, end) are written (default all): threads drizzling one input into row bands of one
   * shared frame each give every output pixel the updates, in the order, that one call over all rows gives it.
   */
  outputRows?: [number, number];
}

export interface DrizzleCounts {
  /** Input pixels that landed on no output pixel. */
  nmiss: number;
  /** Input lines that landed on no output pixel. */
  nskip: number;
}

/** An empty output frame with enough context planes for `images` inputs. */
export function createFrame(width: number, height: number, images = 1): DrizzleFrame {
  const planes = contextPlanesFor(images);
  return {
    width,
    height,
    sci: new Float32Array(width * height),
    wht: new Float32Array(width * height),
    ctx: new Int32Array(planes * width * height),
  };
}

/** `frame` with at least enough context planes for `images` inputs (a copy with the planes added, or itself). */
export function withContextPlanes(frame: DrizzleFrame, images: number): DrizzleFrame {
  const n = frame.width * frame.height;
  const planes = contextPlanesFor(images);
  if (frame.ctx.length >= planes * n) return frame;
  const ctx = new Int32Array(planes * n);
  ctx.set(frame.ctx);
  return { ...frame, ctx };
}

function invalid(message: string): never {
  throw new CalibrationError("INVALID_VALUE", `drizzle: ${message}`, { step: "DRIZZLE" });
}

/** Drizzles `input` (weights optional: all ones) through `map` onto `frame`, in place. */
export function drizzle(
  input: FloatImage,
  weights: Float32Array | undefined,
  map: PixelMap,
  frame: DrizzleFrame,
  options: DrizzleOptions = {},
): DrizzleCounts {
  const { width, height } = input;
  if (map.width !== width || map.height !== height || map.xy.length !== 2 * width * height) {
    throw new CalibrationError(
      "SIZE_MISMATCH",
      `drizzle: pixel map ${map.width}×${map.height} does not match the input ${width}×${height}`,
    );
  }
  if (input.data.length !== width * height)
    invalid(`input data holds ${input.data.length} values, not ${width}×${height}`);
  if (weights && weights.length !== width * height) {
    throw new CalibrationError(
      "SIZE_MISMATCH",
      `drizzle: weights hold ${weights.length} values, not ${width}×${height}`,
    );
  }
  const n = frame.width * frame.height;
  if (frame.sci.length !== n || frame.wht.length !== n || frame.ctx.length % n !== 0 || frame.ctx.length === 0) {
    throw new CalibrationError(
      "SIZE_MISMATCH",
      `drizzle: output arrays do not match the ${frame.width}×${frame.height} frame`,
    );
  }
  let kernel = options.kernel ?? "square";
  if (!DRIZZLE_KERNELS.includes(kernel)) invalid(`unknown kernel '${kernel}' (${DRIZZLE_KERNELS.join(", ")})`);
  const pixfrac = options.pixfrac ?? 1;
  if (pixfrac <= 0.001) kernel = "point";
  const scale = options.scale ?? 1;
  const uniqid = options.uniqid ?? 1;
  const xmin = options.xmin ?? 0;
  const ymin = options.ymin ?? 0;
  const xmax = options.xmax || width;
  const ymax = options.ymax || height;
  const exposureTime = f32(options.exposureTime ?? 1);
  const weightScale = f32(options.weightScale ?? 1);
  if (!Number.isInteger(uniqid) || uniqid < 1) invalid(`uniqid must be a positive integer, not ${uniqid}`);
  if (!(xmin >= 0 && ymin >= 0)) invalid("xmin and ymin must be >= 0");
  if (!(xmax > xmin && ymax > ymin && xmax <= width && ymax <= height)) invalid("the input box is empty or too large");
  if (!(scale > 0)) invalid(`scale must be > 0, not ${scale}`);
  if (!(exposureTime > 0)) invalid(`exposure time must be > 0, not ${options.exposureTime}`);
  if (!(weightScale > 0)) invalid(`weight scale must be > 0, not ${options.weightScale}`);
  const [rowMin, rowMax] = options.outputRows ?? [0, frame.height];
  if (
    !(Number.isInteger(rowMin) && Number.isInteger(rowMax) && 0 <= rowMin && rowMin < rowMax && rowMax <= frame.height)
  )
    invalid(`output rows ${rowMin}..${rowMax} are not inside the ${frame.height} rows of the frame`);
  const plane = contextPlane(uniqid);
  if (plane >= frame.ctx.length / n)
    invalid(`input ${uniqid} needs context plane ${plane + 1} of ${frame.ctx.length / n}`);
  const state: KernelState = {
    data: input.data,
    weights,
    map,
    frame,
    ctx: frame.ctx.subarray(plane * n, (plane + 1) * n),
    bit: contextBit(uniqid),
    scale,
    pixfrac,
    weightScale,
    unitScale: options.inUnits === "counts" ? f32(1 / exposureTime) : 1,
    overlap: { map, weights, outWidth: frame.width, outHeight: frame.height, xmin, xmax, ymin, ymax },
    rowMin,
    rowMax,
    nmiss: 0,
    nskip: 0,
  };
  KERNELS[kernel](state);
  if (options.fillValue !== undefined) fillEmpty(frame, options.fillValue);
  return { nmiss: state.nmiss, nskip: state.nskip };
}

const KERNELS: Record<DrizzleKernel, (state: KernelState) => void> = {
  square: squareKernel,
  turbo: turboKernel,
  point: pointKernel,
  tophat: tophatKernel,
  gaussian: gaussianKernel,
  lanczos2: (state) => lanczosKernel(state, 2),
  lanczos3: (state) => lanczosKernel(state, 3),
};

/** Sets every output pixel without weight to `value` (cdrizzle's put_fill). */
export function fillEmpty(frame: DrizzleFrame, value: number): void {
  const v = f32(value);
  for (let k = 0; k < frame.wht.length; k++) if (frame.wht[k] === 0) frame.sci[k] = v;
}
