/**
 * The end-to-end cases against AstroDrizzle: the simulator's dithered ACS/HRC association calibrated by the native
 * calacs and updatewcs, then drizzled with every step by us (drizzleInputs) and by drizzlepac 3.6.2's AstroDrizzle
 * (test/peers/astrodrizzle_run.py, in a venv outside the repository) with the same parameters. What is kept of
 * their outputs (astrodrizzle-fingerprints.json): per output, 16×16 block sums and 256 samples of SCI/WHT/CTX, and
 * each chip's CR mask exactly (count and hash).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import {
  type AdrizParameters,
  PARAMETER_KINDS,
  parseBits,
  parseParameter,
} from "../../../src/engine/drizzle/parameters.js";
import type { DrizzleRunOptions } from "../../../src/engine/drizzle/run.js";
import { FitsFile } from "../../../src/fits/index.js";
import { type SimulatedDither, simulateDither } from "../../../src/sim/dither.js";
import { runCli } from "../../helpers/cli.js";

export interface AdrizCase {
  name: string;
  exposures: number;
  seed: number;
  exptime: number;
  /** Each exposure's sky over the detector's (simulateDither's skyFactors). */
  skyFactors?: number[];
  /** AstroDrizzle's parameters as it takes them (text values), given to both. */
  parameters: Record<string, string>;
}

const BITS = { driz_sep_bits: "336", final_bits: "336" };

export const CASES: AdrizCase[] = [
  {
    name: "HRC 3 exposures: localmin, median, driz_cr 3.5 3.0 / 1.2 0.7",
    exposures: 3,
    seed: 7,
    exptime: 100,
    parameters: { ...BITS, skymethod: "localmin", combine_type: "median", combine_nhigh: "0" },
  },
  {
    name: "HRC 4 exposures: globalmin, minmed grow 2, driz_cr 3.0 2.5 / 1.0 0.5 grow 3, final pixfrac 0.8",
    exposures: 4,
    seed: 11,
    exptime: 300,
    parameters: {
      ...BITS,
      skymethod: "globalmin",
      combine_type: "minmed",
      combine_grow: "2",
      driz_cr_snr: "3.0 2.5",
      driz_cr_scale: "1.0 0.5",
      driz_cr_grow: "3",
      final_pixfrac: "0.8",
    },
  },
  {
    name: "HRC 3 exposures, skies 1 / 6 / 3: match, median",
    exposures: 3,
    seed: 5,
    exptime: 200,
    skyFactors: [1, 6, 3],
    parameters: { ...BITS, skymethod: "match", combine_type: "median", combine_nhigh: "0" },
  },
  {
    name: "HRC 4 exposures, skies 4 / 1 / 8 / 2.5: globalmin+match, skystat mode, skyupper 80, skyclip 3, minmed",
    exposures: 4,
    seed: 13,
    exptime: 150,
    skyFactors: [4, 1, 8, 2.5],
    parameters: {
      ...BITS,
      skymethod: "globalmin+match",
      skystat: "mode",
      skyupper: "80",
      skyclip: "3",
      combine_type: "minmed",
    },
  },
];

/** Our options for the case's parameters: the step ones through parseParameter, the final ones by name. */
export function ourOptions(c: AdrizCase): DrizzleRunOptions {
  const adriz: Record<string, unknown> = {};
  const options: DrizzleRunOptions = { adriz: adriz as Partial<AdrizParameters> };
  for (const [name, text] of Object.entries(c.parameters)) {
    if (name in PARAMETER_KINDS) adriz[name] = parseParameter(name as keyof AdrizParameters, text);
    else if (name === "final_bits") options.bits = parseBits(name, text);
    else if (name === "final_pixfrac") options.pixfrac = Number(text);
    else throw new Error(`case ${c.name}: parameter ${name} not mapped`);
  }
  return options;
}

export interface PreparedCase {
  sim: SimulatedDither;
  folder: string;
  asn: string;
}

/** The case's association simulated in `folder`, calibrated (native calacs) and updatewcs'd: its flt files. */
export function prepare(c: AdrizCase, folder: string): PreparedCase {
  const sim = simulateDither({
    asnId: "j8dt010b0",
    out: folder,
    exposures: c.exposures,
    seed: c.seed,
    exptime: c.exptime,
    skyFactors: c.skyFactors,
  });
  const env = { jref: `${sim.referenceDir}/` };
  const calacs = runCli("caldp", ["calacs", sim.asn], { cwd: folder, env });
  assert.equal(calacs.status, 0, calacs.stderr);
  const flts = sim.exposures.map((e) => join(folder, `${e.rootname}_flt.fits`));
  const update = runCli("caldp", ["updatewcs", "--in-place", ...flts], { cwd: folder, env });
  assert.equal(update.status, 0, update.stderr);
  return { sim, folder, asn: sim.asn };
}

export interface ImagePrint {
  blocks: number[];
  samples: number[];
  nan: number;
}

export interface MaskPrint {
  cosmicRays: number;
  sha256: string;
}

export interface CasePrint {
  images: Record<string, ImagePrint>;
  masks: Record<string, MaskPrint>;
}

/** 16×16 block sums (NaN counted apart, as 0) and 256 samples of an image. */
export function imagePrint(data: ArrayLike<number>, width: number, height: number): ImagePrint {
  const blocks = new Array<number>(256).fill(0);
  let nan = 0;
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const v = data[j * width + i];
      if (Number.isNaN(v)) nan++;
      else blocks[Math.floor((16 * j) / height) * 16 + Math.floor((16 * i) / width)] += v;
    }
  }
  const samples: number[] = [];
  for (let s = 0; s < 256; s++) {
    const v = data[Math.floor(((s + 0.5) * data.length) / 256)];
    samples.push(Number.isNaN(v) ? 0 : v);
  }
  return { blocks, samples, nan };
}

export function maskPrint(mask: Uint8Array): MaskPrint {
  let cosmicRays = 0;
  for (const m of mask) if (m === 0) cosmicRays++;
  return { cosmicRays, sha256: createHash("sha256").update(mask).digest("hex") };
}

/** The prints of a drz (SCI, WHT, CTX) and of the `_crmask` files of `roots`, all read from `folder`. */
export function printOutputs(folder: string, drz: string, roots: string[]): CasePrint {
  const images: Record<string, ImagePrint> = {};
  const file = FitsFile.open(join(folder, drz));
  try {
    for (const name of ["SCI", "WHT", "CTX"]) {
      const image = file.readImage(name);
      images[name] = imagePrint(image.data as ArrayLike<number>, image.axes[0], image.axes[1]);
    }
  } finally {
    file.close();
  }
  const masks: Record<string, MaskPrint> = {};
  for (const root of roots) {
    const name = `${root}_sci1_crmask.fits`;
    const f = FitsFile.open(join(folder, name));
    try {
      masks[name] = maskPrint(Uint8Array.from(f.readImage(0).data as ArrayLike<number>));
    } finally {
      f.close();
    }
  }
  return { images, masks };
}

/** Where ours and theirs differ beyond |a − b| ≤ rtol·|b| + atol (samples; atol × 70 ≈ √pixels for block sums). */
export function differences(ours: CasePrint, theirs: CasePrint, rtol: number, atol: number): string[] {
  const out: string[] = [];
  for (const [name, t] of Object.entries(theirs.images)) {
    const o = ours.images[name];
    const far = (a: number, b: number, scale: number) => Math.abs(a - b) > rtol * Math.abs(b) + atol * scale;
    if (o.nan !== t.nan) out.push(`${name}: ${o.nan} NaN pixels vs ${t.nan}`);
    t.blocks.forEach((b, k) => {
      if (far(o.blocks[k], b, 70)) out.push(`${name} block ${k}: ${o.blocks[k]} vs ${b}`);
    });
    t.samples.forEach((b, k) => {
      if (far(o.samples[k], b, 1)) out.push(`${name} sample ${k}: ${o.samples[k]} vs ${b}`);
    });
  }
  for (const [name, t] of Object.entries(theirs.masks)) {
    const o = ours.masks[name];
    if (o?.sha256 !== t.sha256)
      out.push(`${name}: ${o?.cosmicRays} cosmic-ray pixels vs ${t.cosmicRays}, masks differ`);
  }
  return out;
}
