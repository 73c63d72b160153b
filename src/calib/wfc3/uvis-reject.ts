/**
 * WF3REJ for one UVIS chip (calibration.md §2.12, WFC3): ACSREJ's sky (plus SKYSUB "mean") and exposure bookkeeping, but in DN
 * with WF3REJ's own noise model (uvis-reject-noise.ts), initial guess (uvis-reject-guess.ts) and iterations
 * (uvis-reject-loop.ts). The product is in DN (WF32D converts it to electrons): SCI = rate × Σ EXPTIME + SKYSUM,
 * ERR = error × Σ EXPTIME. With a single exposed input, hstcal multiplies its SCI and ERR by Σ EXPTIME
 * without dividing first (kept for parity).
 * Algorithms follow hstcal (BSD-3-Clause, AURA), wf3rej/rej_do.c.
 */
import { type ChipRejection, exposureFactors, memberRowsOf, type RejectionInput } from "../common/cr-reject.js";
import type { RowOutput } from "../common/cr-reject-loop.js";
import { bandsOf, type SkyBands, skyLevels } from "../common/cr-reject-sky.js";
import type { ProductRows } from "../common/member-rows.js";
import { resistantMean } from "./resistant-mean.js";
import { uvisInitialGuessByBands } from "./uvis-reject-guess.js";
import { uvisRejectionIterations } from "./uvis-reject-loop.js";
import type { UvisNoise } from "./uvis-reject-noise.js";

export interface UvisRejectionInput extends Omit<RejectionInput, "imagetyp"> {
  noise: UvisNoise;
}

const f = Math.fround;

export function rejectUvisChip(input: UvisRejectionInput): ChipRejection {
  const { nx, ny, images, parameters } = input;
  const npix = nx * ny;
  const rows = memberRowsOf(images, nx, ny, false); // ERR is read only to copy a single exposed input
  const factors = exposureFactors(input.exptimes);
  const sky = uvisSkyLevels(
    parameters.skysub,
    rows.map((member) => bandsOf(member, ny)),
    parameters.badinpdq,
  );
  let skysum = 0;
  for (const s of sky) skysum = f(skysum + s);
  if (skysum < 0) skysum = 0;
  const first = factors.efac.findIndex((t) => t > 0);
  const headerSource = Math.max(first, 0);

  if (factors.exposed === 0) {
    const err = new Float32Array(npix);
    const dq = new Uint16Array(npix).fill(1);
    err[0] = -1;
    dq[0] = 8;
    return { sci: new Float32Array(npix), err, dq, sky, skysum, nrej: 0, rejected: false, headerSource };
  }
  if (factors.exposed === 1) {
    const whole = rows[headerSource]!.band(0, ny);
    const sci = toProduct(Float32Array.from(whole.sci), factors.texpt, skysum);
    const err = toProduct(Float32Array.from(images[headerSource]!.err), factors.texpt, 0);
    return { sci, err, dq: Uint16Array.from(whole.dq), sky, skysum, nrej: 0, rejected: false, headerSource };
  }

  const loopImages = images.map((image, n) => ({
    sci: image.sci,
    dq: image.dq,
    rows: rows[n]!,
    efac: factors.efac[n]!,
    sky: sky[n]!,
  }));
  const guess = uvisInitialGuessByBands(
    parameters.initgues,
    loopImages,
    parameters.badinpdq,
    input.noise,
    parameters.scalense,
    nx,
    ny,
  );
  const loop = uvisRejectionIterations(nx, ny, loopImages, guess.ave, guess.variance, {
    sigmas: parameters.sigmas,
    crradius: parameters.crradius,
    crthresh: parameters.crthresh,
    scalense: parameters.scalense,
    badinpdq: parameters.badinpdq,
    minimumGuess: !parameters.initgues.startsWith("med"),
    noise: input.noise,
    shading: input.shading,
    crmask: parameters.crmask,
    output: input.product && productRows(input.product, nx, factors.texpt, skysum),
  });
  if (input.product) {
    for (const member of rows) member.flush();
    input.product.finish();
    const empty = { sci: new Float32Array(0), err: new Float32Array(0), dq: new Uint16Array(0) };
    return { ...empty, sky, skysum, nrej: loop.nrej, rejected: true, headerSource, productWritten: true };
  }
  const sci = toProduct(loop.ave, factors.texpt, skysum);
  const err = toProduct(loop.err, factors.texpt, 0);
  for (const member of rows) member.flush();
  // rows of their own have put their flags where the inputs are kept
  const inputDq = parameters.crmask && !images.some((image) => image.rows) ? images.map((i) => i.dq) : undefined;
  return { sci, err, dq: loop.dq, sky, skysum, nrej: loop.nrej, rejected: true, headerSource, inputDq };
}

/**
 * SKYSUB "mean" (WF3REJ only): the 4σ resistant mean of each image's pixels with DQ 0 (one image's at a time);
 * else ACSREJ's.
 */
function uvisSkyLevels(method: string, images: readonly SkyBands[], badinpdq: number): number[] {
  if (method !== "mean") return skyLevels(method, images, badinpdq);
  return images.map((bands) => {
    const kept: Float32Array[] = [];
    bands(({ sci, dq }) => kept.push(sci.filter((_, k) => dq[k] === 0)));
    const values = new Float32Array(kept.reduce((sum, part) => sum + part.length, 0));
    let at = 0;
    for (const part of kept) {
      values.set(part, at);
      at += part.length;
    }
    return resistantMean(values, 4).mean;
  });
}

/** The product's rows as toProduct makes them from the whole arrays. */
function productRows(product: ProductRows, nx: number, texpt: number, skysum: number): RowOutput {
  const sci = new Float32Array(nx);
  const err = new Float32Array(nx);
  return (y, ave, error, dq) => {
    sci.set(ave);
    err.set(error);
    product.put(y, toProduct(sci, texpt, skysum), toProduct(err, texpt, 0), dq);
  };
}

/** value × Σ EXPTIME + offset, in place. */
function toProduct(values: Float32Array, texpt: number, offset: number): Float32Array {
  for (let k = 0; k < values.length; k++) values[k] = f(f(values[k]! * texpt) + offset);
  return values;
}
