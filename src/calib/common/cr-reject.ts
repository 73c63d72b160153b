/**
 * ACSREJ (calibration.md §2.12): cosmic-ray rejection of a CR-SPLIT / RPT-OBS set, one chip at a time
 * (`rejectChip`, a function of typed arrays that a worker thread can run per chip; with CRMASK it writes
 * the CR flags into the inputs' DQ), and the primary keywords of the combined product (`rejectionKeywords`).
 * Algorithms follow hstcal (BSD-3-Clause, AURA), acsrej_do.c, cr_scaling.c, cr_history.c.
 */

import { initialGuessByBands, usesMedian } from "./cr-reject-guess.js";
import { type RowOutput, rejectionIterations } from "./cr-reject-loop.js";
import { bandsOf, skyLevels } from "./cr-reject-sky.js";
import type { CrrejParameters } from "./crrejtab.js";
import { CalibrationError } from "./errors.js";
import { emptyUpdates, type HeaderUpdates } from "./header-updates.js";
import { type MemberRows, type ProductRows, rowsOf } from "./member-rows.js";
import { referenceHistory } from "./switches.js";

export interface RejectionImage {
  /** Every pixel's SCI and DQ; empty when `rows` gives them. */
  sci: Float32Array;
  /** Every pixel's ERR; may be empty when `errRow` gives it. */
  err: Float32Array;
  dq: Uint16Array;
  /** ERR row y, read as the rejection goes down the rows (the whole ERR is then never held). */
  errRow?: (y: number) => Float32Array;
  /** SCI and DQ read by bands of rows, the CR flags written back by rows (the whole image is then never held). */
  rows?: MemberRows;
}

/** Checks that every input has the first's size (and ERR unless `withErr` is false), and gives each one's rows. */
export function memberRowsOf(images: readonly RejectionImage[], nx: number, ny: number, withErr = true): MemberRows[] {
  const npix = nx * ny;
  for (const image of images) {
    const errSize = image.errRow || image.rows || !withErr ? npix : image.err.length;
    const held = image.rows ? npix : image.sci.length;
    if (held !== npix || errSize !== npix || (!image.rows && image.dq.length !== npix)) {
      throw new CalibrationError("SIZE_MISMATCH", "the inputs do not all have the size of the first image");
    }
  }
  return images.map((image) => rowsOf(image, nx));
}

/** An image's whole ERR (from its rows when it is read by rows). */
function wholeErr(image: RejectionImage, nx: number, ny: number): Float32Array {
  if (!image.errRow) return Float32Array.from(image.err);
  const err = new Float32Array(nx * ny);
  for (let y = 0; y < ny; y++) err.set(image.errRow(y), y * nx);
  return err;
}

export interface RejectionInput {
  nx: number;
  ny: number;
  /** The same chip of every input, in input order. */
  images: readonly RejectionImage[];
  /** Primary EXPTIME of every input. */
  exptimes: readonly number[];
  parameters: CrrejParameters;
  /** Primary IMAGETYP of the first input. */
  imagetyp: string;
  /** SHADFILE values (s) under the science pixels, when SHADCORR is applied. */
  shading?: Float32Array;
  /**
   * Where the product's rows go as the last iteration makes them, when the rejection runs (two or more exposed
   * inputs): the result's planes are then empty and `productWritten` is true.
   */
  product?: ProductRows;
}

export interface ChipRejection {
  sci: Float32Array;
  err: Float32Array;
  dq: Uint16Array;
  /** Sky (e) of each input, and their sum clipped at 0 (SKYSUM). */
  sky: number[];
  skysum: number;
  nrej: number;
  /** False when fewer than two inputs had EXPTIME > 0 (no rejection; the product is not cleaned). */
  rejected: boolean;
  /** The input whose headers the product takes (the first with EXPTIME > 0). */
  headerSource: number;
  /** With CRMASK: each input's DQ, the CR flag (8192) written back in place (see LoopParameters.crmask). */
  inputDq?: Uint16Array[];
  /** The product went to `RejectionInput.product` row by row (sci, err and dq are empty). */
  productWritten?: boolean;
}

export interface ExposureFactors {
  /** EXPTIME per input (float32), all 1 when every EXPTIME is 0. */
  efac: number[];
  /** Σ EXPTIME as read (float32), and the sum used for scaling (number of inputs when all are 0). */
  exptot: number;
  texpt: number;
  /** Inputs with EXPTIME > 0 (all of them when every EXPTIME is 0). */
  exposed: number;
}

const f = Math.fround;

export function exposureFactors(exptimes: readonly number[]): ExposureFactors {
  if (exptimes.length < 2) throw new CalibrationError("NO_GOOD_DATA", "Needs more than one input image.");
  const efac = exptimes.map((t) => f(t));
  if (efac.some((t) => t < 0)) throw new CalibrationError("INVALID_VALUE", "an input has a negative exposure time");
  let exptot = 0;
  for (const t of efac) exptot = f(exptot + t);
  if (exptot === 0) return { efac: efac.map(() => 1), exptot, texpt: efac.length, exposed: efac.length };
  return { efac, exptot, texpt: exptot, exposed: efac.filter((t) => t > 0).length };
}

export function rejectChip(input: RejectionInput): ChipRejection {
  const { nx, ny, images, parameters } = input;
  const npix = nx * ny;
  const rows = memberRowsOf(images, nx, ny);
  const factors = exposureFactors(input.exptimes);
  const sky = skyLevels(
    parameters.skysub,
    rows.map((member) => bandsOf(member, ny)),
    parameters.badinpdq,
  );
  let skysum = 0;
  for (const s of sky) skysum = f(skysum + s);
  if (skysum < 0) skysum = 0;
  const first = factors.efac.findIndex((t) => t > 0);
  const headerSource = first < 0 ? 0 : first;

  if (factors.exposed === 0) return emptyProduct(npix, sky, skysum);
  if (factors.exposed === 1) {
    const whole = rows[headerSource]!.band(0, ny);
    const sci = scaleToElectrons(Float32Array.from(whole.sci), factors.texpt, skysum);
    const dq = Uint16Array.from(whole.dq);
    const err = wholeErr(images[headerSource]!, nx, ny);
    err[0] = -1;
    return { sci, err, dq, sky, skysum, nrej: 0, rejected: false, headerSource };
  }

  const loopImages = images.map((image, n) => ({ ...image, rows: rows[n]!, efac: factors.efac[n]!, sky: sky[n]! }));
  const ave = initialGuessByBands(parameters.initgues, loopImages, parameters.badinpdq, nx, ny);
  const imagetyp = input.imagetyp.trim().toUpperCase();
  const loop = rejectionIterations(nx, ny, loopImages, ave, {
    sigmas: parameters.sigmas,
    crradius: parameters.crradius,
    crthresh: parameters.crthresh,
    scalense: parameters.scalense,
    badinpdq: parameters.badinpdq,
    biasOrDark: imagetyp.startsWith("BIAS") || imagetyp.startsWith("DARK"),
    shading: input.shading,
    crmask: parameters.crmask,
    output: input.product && productRows(input.product, nx, factors.texpt, skysum),
  });
  for (const member of rows) member.flush();
  if (input.product) {
    input.product.finish();
    const empty = { sci: new Float32Array(0), err: new Float32Array(0), dq: new Uint16Array(0) };
    return { ...empty, sky, skysum, nrej: loop.nrej, rejected: true, headerSource, productWritten: true };
  }
  const sci = scaleToElectrons(ave, factors.texpt, skysum);
  loop.err[0] = -1; // keeps the ERR extension an array when written (§0.6)
  // rows of their own have put their flags where the inputs are kept
  const inputDq = parameters.crmask && !images.some((image) => image.rows) ? images.map((i) => i.dq) : undefined;
  return { sci, err: loop.err, dq: loop.dq, sky, skysum, nrej: loop.nrej, rejected: true, headerSource, inputDq };
}

/** The product's rows as scaleToElectrons and the ERR's first pixel make them from the whole arrays. */
function productRows(product: ProductRows, nx: number, texpt: number, skysum: number): RowOutput {
  const sci = new Float32Array(nx);
  const err = new Float32Array(nx);
  return (y, ave, errRow, dq) => {
    sci.set(ave);
    scaleToElectrons(sci, texpt, skysum);
    err.set(errRow);
    if (y === 0) err[0] = -1;
    product.put(y, sci, err, dq);
  };
}

/** e/s → total electrons with the sky added back, in place. */
function scaleToElectrons(rates: Float32Array, texpt: number, skysum: number): Float32Array {
  for (let k = 0; k < rates.length; k++) rates[k] = f(f(rates[k]! * texpt) + skysum);
  return rates;
}

function emptyProduct(npix: number, sky: number[], skysum: number): ChipRejection {
  const err = new Float32Array(npix);
  const dq = new Uint16Array(npix).fill(1);
  err[0] = -1;
  dq[0] = 8;
  return { sci: new Float32Array(npix), err, dq, sky, skysum, nrej: 0, rejected: false, headerSource: 0 };
}

export interface RejectionHeaderInput {
  exptimes: readonly number[];
  expstarts: readonly number[];
  expends: readonly number[];
  darktimes: readonly number[];
  /** FLASHDUR of each input whose FLSHCORR is PERFORM (0 otherwise). */
  flashdurs: readonly number[];
  parameters: CrrejParameters;
  /** Primary NEXTEND of the first input. */
  nextend: number;
  /** The result for the first output imset (EXTVER 1), whose primary header is the one kept. */
  firstChip: Pick<ChipRejection, "skysum" | "nrej">;
  /** Product root name (upper-cased into ROOTNAME) and ASN_MTYP, when known. */
  productRoot?: string;
  asnMtyp?: string;
  /** The SHADFILE used, when SHADCORR was applied during the rejection. */
  shadfile?: { name: string; pedigree: string; descrip: string };
}

export function rejectionKeywords(h: RejectionHeaderInput): HeaderUpdates {
  const updates = emptyUpdates();
  const factors = exposureFactors(h.exptimes);
  const sum = (values: readonly number[]) => values.reduce((a, v) => f(a + f(v)), 0);
  let initgues = h.parameters.initgues;
  if (!usesMedian(initgues) && !initgues.startsWith("min")) {
    updates.warnings.push(`Invalid INITGUES value ${initgues}, reset it to 'minimum'`);
    initgues = "minimum";
  }
  if (factors.exposed > 0 && factors.exposed < h.exptimes.length) {
    updates.warnings.push("Some input exposures had EXPTIME = 0.");
  }
  Object.assign(updates.primary, {
    TEXPTIME: factors.exptot,
    EXPTIME: factors.exptot,
    EXPSTART: h.expstarts.reduce((a, v) => (v < a ? v : a), 1e10),
    EXPEND: h.expends.reduce((a, v) => (v > a ? v : a), 0),
    SKYSUM: f(h.firstChip.skysum),
    REJ_RATE: f(f(h.firstChip.nrej) / f(factors.texpt)),
    FLASHDUR: sum(h.flashdurs),
    DARKTIME: sum(h.darktimes),
  });
  if (h.shadfile) {
    updates.primary["SHADCORR"] = "COMPLETE";
    updates.history.push(
      "SHADCORR complete ...",
      ...referenceHistory("image", h.shadfile.name, h.shadfile.pedigree, h.shadfile.descrip),
    );
  }
  const p = h.parameters;
  Object.assign(updates.primary, {
    INITGUES: initgues,
    SKYSUB: p.skysub,
    CRSIGMAS: p.crsigmas,
    MEANEXP: p.meanexp,
    CRRADIUS: p.crradius,
    CRTHRESH: p.crthresh,
    SCALENSE: p.scalense,
    BADINPDQ: p.badinpdq,
    CRMASK: p.crmask,
    NEXTEND: h.nextend,
  });
  if (h.asnMtyp !== undefined) updates.primary["ASN_MTYP"] = h.asnMtyp;
  if (h.productRoot !== undefined) updates.primary["ROOTNAME"] = h.productRoot.toUpperCase();
  updates.sci["NCOMBINE"] = h.exptimes.length;
  return updates;
}
