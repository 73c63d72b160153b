/**
 * Simulated inputs run through drizzlepac 3.6.2's own code (test/peers/drizzlepac_oracle.py, in a venv outside the
 * repository) and through ours: the kernels, the median step, quickDeriv and driz_cr's mask. The fingerprints of
 * drizzlepac's outputs are committed (drizzlepac-fingerprints.json) because drizzlepac is not in Debian.
 */
import { type NumCombineType, numCombine, weightMasks } from "../../../src/calib/drizzle/combine.js";
import { crMask, quickDeriv } from "../../../src/calib/drizzle/driz-cr.js";
import { createFrame, drizzle } from "../../../src/calib/drizzle/drizzle.js";
import type { DrizzleKernel, PixmapInterpolation } from "../../../src/calib/drizzle/types.js";
import { Random } from "../../../src/sim/random.js";
import { concat, type DrizzlepacCase, type RawArray } from "./drizzlepac-fingerprint.js";
import { matchCases } from "./drizzlepac-match-cases.js";
import { skyCase, staticCase, statsCase } from "./drizzlepac-sky-cases.js";
import { distortion, pixmapOf, rotation, shift, starField, type Transform, weightMap } from "./scenes.js";

export { type DrizzlepacCase, type Fingerprint, fingerprint, type RawArray } from "./drizzlepac-fingerprint.js";

function tdrizCase(
  name: string,
  kernel: DrizzleKernel,
  maps: Transform[],
  pixfrac: number,
  [IW, IH, OW, OH] = [90, 70, 120, 100],
): DrizzlepacCase {
  const inputs = maps.map((_, n) => ({ data: starField(IW, IH, 100 + n), weights: weightMap(IW, IH, 200 + n) }));
  const xys = maps.map((m) => pixmapOf(IW, IH, m));
  const geometry = { IW, IH, OW, OH };
  const files: Record<string, RawArray> = {};
  const adds = inputs.map((input, n) => {
    files[`in${n}`] = input.data;
    files[`wht${n}`] = input.weights;
    files[`map${n}`] = xys[n];
    return {
      input: `in${n}`,
      weights: `wht${n}`,
      pixmap: `map${n}`,
      width: IW,
      height: IH,
      kw: { uniqid: n + 1, kernel, pixfrac },
    };
  });
  return {
    name,
    spec: { op: "tdriz", width: OW, height: OH, adds },
    files,
    rtol: 1e-5,
    ours: () => drizzleOurs(geometry, inputs, xys, kernel, pixfrac, "bilinear"),
    legacy: () => drizzleOurs(geometry, inputs, xys, kernel, pixfrac, "drizzle-1.13.4"),
  };
}

export function drizzleOurs(
  { IW, IH, OW, OH }: { IW: number; IH: number; OW: number; OH: number },
  inputs: { data: Float32Array; weights: Float32Array }[],
  xys: Float64Array[],
  kernel: DrizzleKernel,
  pixfrac: number,
  interpolation: PixmapInterpolation,
): Record<string, RawArray> {
  const frame = createFrame(OW, OH);
  inputs.forEach((input, n) => {
    drizzle(
      { width: IW, height: IH, data: input.data },
      input.weights,
      { width: IW, height: IH, xy: xys[n], interpolation },
      frame,
      {
        kernel,
        pixfrac,
        uniqid: n + 1,
      },
    );
  });
  return { sci: frame.sci, wht: frame.wht, ctx: frame.ctx };
}

export const ROTATED: Transform[] = [rotation(30, 45, 35, 15, 15), rotation(-12, 45, 35, 17.5, 14)];
export const SHIFTED: Transform[] = [shift(10.3, 12.6), shift(11.8, 13.1)];
export const DISTORTED: Transform[] = [distortion(45, 35, 40, 30), distortion(45, 35, 20, 25)];

/** Single-drizzled-like images: a shared star field, per-image noise, cosmic rays and weight holes. */
function stack(n: number, width: number, height: number, seed: number) {
  const random = new Random(seed);
  const sky = starField(width, height, seed);
  const images: Float32Array[] = [];
  const weights: Float32Array[] = [];
  for (let i = 0; i < n; i++) {
    const image = Float32Array.from(sky, (v) => v + 3 * (random.uniform() - 0.5));
    for (let c = 0; c < 40; c++) image[Math.floor(random.uniform() * image.length)] += 500 + 3000 * random.uniform();
    const w = Float32Array.from(image, () => 800 + 400 * random.uniform());
    for (let c = 0; c < 300; c++) w[Math.floor(random.uniform() * w.length)] = 0;
    for (let j = 0; j < height; j++) w[j * width + ((7 * i + 3) % width)] = 100; // a low-weight column per image
    if (i === 0) for (let j = 0; j < height; j++) w[j * width] = 0; // column 0 masked in image 0 …
    images.push(image);
    weights.push(w);
  }
  for (let j = 0; j < height; j += 5) for (const w of weights) w[j * width] = 0; // … and every 5th row in all
  return { images, weights };
}

function combineCase(
  type: NumCombineType,
  n: number,
  options: { nlow?: number; nhigh?: number; upper?: number; lower?: number; maskpt?: number },
): DrizzlepacCase {
  const W = 64;
  const H = 48;
  const { images, weights } = stack(n, W, H, 300 + n);
  const files: Record<string, RawArray> = { images: concat(images) };
  if (options.maskpt !== undefined) files.weights = concat(weights);
  const parts = Object.entries(options).map(([k, v]) => `${k}=${v}`);
  return {
    name: `combine ${type} of ${n}${parts.length ? `, ${parts.join(", ")}` : ""}`,
    spec: {
      op: "combine",
      type,
      n,
      width: W,
      height: H,
      ...options,
      images: "images",
      weights: files.weights && "weights",
    },
    files,
    rtol: 0,
    ours: () => {
      const masks = options.maskpt !== undefined ? weightMasks(weights, options.maskpt) : undefined;
      const out: Record<string, RawArray> = { combined: numCombine(images, W, masks, { type, ...options }) };
      if (masks) out.masks = concat(masks);
      return out;
    },
  };
}

function drizCrCase(grow: number, ctegrow: number, cteDirection: 1 | -1 | 0): DrizzlepacCase {
  const W = 80;
  const H = 60;
  const random = new Random(500 + grow * 10 + ctegrow);
  const blot = starField(W, H, 41, 30);
  const input = Float32Array.from(blot, (v) => v + 4 * (random.uniform() - 0.5));
  for (let c = 0; c < 60; c++) input[Math.floor(random.uniform() * input.length)] += 30 + 2000 * random.uniform();
  const options = {
    gain: 2,
    readNoise: 5,
    sky: 12.5,
    snr: [3.5, 3.0] as [number, number],
    scale: [1.2, 0.7] as [number, number],
  };
  return {
    name: `driz_cr mask, grow ${grow}, ctegrow ${ctegrow} along ${cteDirection}`,
    spec: { op: "drizcr", width: W, height: H, input: "input", blot: "blot", grow, ctegrow, cteDirection, ...options },
    files: { input, blot },
    rtol: 0,
    ours: () => ({ mask: crMask(input, blot, W, H, { ...options, grow, ctegrow, cteDirection }) }),
  };
}

function qderivCase(): DrizzlepacCase {
  const image = starField(50, 37, 77, 12);
  image[3] = Number.NaN;
  return {
    name: "quickDeriv on a star field with a NaN",
    spec: { op: "qderiv", width: 50, height: 37, image: "image" },
    files: { image },
    rtol: 0,
    ours: () => ({ deriv: quickDeriv(image, 50, 37) }),
  };
}

export function drizzlepacCases(): DrizzlepacCase[] {
  const kernels: DrizzleKernel[] = ["square", "point", "turbo", "gaussian", "lanczos3", "tophat"];
  return [
    ...kernels.map((k) => tdrizCase(`tdriz ${k}, rotated`, k, ROTATED, k === "lanczos3" ? 1 : 0.8)),
    tdrizCase("tdriz square, shifted", "square", SHIFTED, 1),
    tdrizCase("tdriz square, distorted", "square", DISTORTED, 0.7),
    tdrizCase(
      "tdriz square, input footprint holds the whole output",
      "square",
      [shift(-60, -50)],
      1,
      [200, 150, 60, 40],
    ),
    tdrizCase(
      "tdriz turbo, input footprint holds the whole output",
      "turbo",
      [shift(-60.3, -49.6)],
      1,
      [200, 150, 60, 40],
    ),
    combineCase("median", 4, {}),
    combineCase("median", 4, { nhigh: 1, maskpt: 0.7 }),
    combineCase("median", 3, { nlow: 1, nhigh: 1, maskpt: 0.7 }),
    combineCase("imedian", 4, { nhigh: 1, maskpt: 0.7 }),
    combineCase("mean", 4, { maskpt: 0.7, upper: 2000, lower: 5 }),
    combineCase("iaverage", 2, { maskpt: 0.7 }),
    combineCase("minimum", 3, { nlow: 1, maskpt: 0.7 }),
    qderivCase(),
    drizCrCase(1, 0, 0),
    drizCrCase(3, 0, 0),
    drizCrCase(2, 0, 0),
    drizCrCase(1, 2, 1),
    drizCrCase(3, 3, -1),
    statsCase("defaults", {}),
    statsCase("nclip 3 (static mask)", { nclip: 3 }),
    statsCase("skysub's: nclip 5, lsig 4, usig 4, binwidth 0.1, lower -100", {
      nclip: 5,
      lsig: 4,
      usig: 4,
      lower: -100,
    }),
    statsCase("upper 60, binwidth 0.3", { upper: 60, binwidth: 0.3, nclip: 2 }),
    staticCase(),
    statsCase("midpt", { nclip: 5, lsig: 4, usig: 4 }),
    skyCase("localmin", { skystat: "median" }),
    skyCase("globalmin", { skystat: "median" }),
    skyCase("localmin", { skystat: "mode", skylower: 0 }),
    skyCase("globalmin", { skystat: "midpt" }),
    skyCase("localmin", { skystat: "mean", skyupper: 40 }),
    ...matchCases(),
  ];
}
