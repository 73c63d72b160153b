/**
 * UVIS pixel work as worker-thread tasks: WF3CCD of one chip, WF3REJ of one chip (ACSREJ's rejection in
 * electrons), WF32D of one image set. References are named by path and loaded once per worker.
 */
import { type ChipRejection, type RejectionInput, rejectChip } from "../../calib/common/cr-reject.js";
import type { ImageSet } from "../../calib/common/imset.js";
import type { Wf3CcdParameters } from "../../calib/wfc3/ccdtab.js";
import type { Wf3Overscan } from "../../calib/wfc3/oscntab.js";
import { columnGains, scaleByColumnGain } from "../../calib/wfc3/uvis-amps.js";
import type { AtodCorrection } from "../../calib/wfc3/uvis-atod.js";
import type { ReferenceNote } from "../../calib/wfc3/uvis-history.js";
import { runWf3Ccd, type Wf3CcdInput, type Wf3CcdResult, type Wf3CcdSwitches } from "../../calib/wfc3/wf3ccd.js";
import { runWf32d, type Wf32dInput, type Wf32dResult } from "../../calib/wfc3/wf32d.js";
import { bpixRows, bpixSize, imageOf, imphttabOf, primaryText, type ReferenceNames } from "./references.js";

export interface UvisCcdTaskArgs {
  set: ImageSet;
  sdqflags: number;
  params: Wf3CcdParameters;
  overscan: Wf3Overscan;
  switches: Wf3CcdSwitches;
  binning: [number, number];
  subarray: boolean;
  flashdur: number;
  flashsta: string;
  expstart: number;
  /** The imset number (EXTVER) of this chip in its file: names its SNKCFILE imset. */
  extver: number;
  /** ATODCORR's correction array (chosen once per exposure). */
  atod?: AtodCorrection;
  references: ReferenceNames;
  /** The reference files as HISTORY names them; the first chip of an exposure records its HISTORY. */
  notes: Record<string, ReferenceNote>;
  record: boolean;
}

export function uvisCcdTask(a: UvisCcdTaskArgs): Wf3CcdResult {
  return runWf3Ccd({
    ...a,
    bpixtab: bpixRows(a.references.BPIXTAB),
    bpixSize: a.references.BPIXTAB ? bpixSize(a.references.BPIXTAB) : undefined,
    bias: imageOf("BIASFILE", a.references.BIASFILE)?.imsets,
    biasCcdamp: a.references.BIASFILE ? primaryText(a.references.BIASFILE, "CCDAMP") : undefined,
    flash: imageOf("FLSHFILE", a.references.FLSHFILE),
    satufile: imageOf("SATUFILE", a.references.SATUFILE)?.imsets,
    sink: sinkMap(a),
  });
}

function sinkMap(a: UvisCcdTaskArgs): Wf3CcdInput["sink"] {
  const map = imageOf("SNKCFILE", a.references.SNKCFILE);
  return map && { imsets: map.imsets, expstart: a.expstart, extver: a.extver };
}

/** WF32D's input with its reference files named, read in the worker. */
export interface Uvis2dTaskArgs
  extends Pick<
    Wf32dInput,
    "set" | "params" | "switches" | "exptime" | "expstart" | "filter" | "sdqflags" | "ncombine"
  > {
  references: ReferenceNames;
}

export function uvis2dTask(a: Uvis2dTaskArgs): Wf32dResult {
  return runWf32d({
    ...a,
    dark: imageOf("DARKFILE", a.references.DARKFILE),
    pflt: imageOf("PFLTFILE", a.references.PFLTFILE),
    shad: imageOf("SHADFILE", a.references.SHADFILE),
    imphttab: imphttabOf(a.references.IMPHTTAB),
  });
}

export interface UvisRejectTaskArgs extends RejectionInput {
  params: Wf3CcdParameters;
  /** LTV1 of the trimmed images (0 for full frames): places AMPX. */
  ltv1: number;
}

/**
 * WF3REJ works in DN with an older noise model; here the inputs go to electrons with their amp's gain,
 * ACSREJ's rejection runs, and SCI/ERR come back to DN.
 */
export function uvisRejectTask(a: UvisRejectTaskArgs): { result: ChipRejection; images: RejectionInput["images"] } {
  const gains = columnGains(a.params, a.nx, Math.round(-a.ltv1));
  const scale = (arr: Float32Array, toElectrons: boolean) => scaleByColumnGain(arr, gains, toElectrons);
  const converted = a.images.map((im) => {
    const sci = Float32Array.from(im.sci);
    const err = Float32Array.from(im.err);
    scale(sci, true);
    scale(err, true);
    return { sci, err, dq: im.dq };
  });
  const result = rejectChip({ ...a, images: converted });
  const firstErr = result.err[0];
  scale(result.sci, false);
  scale(result.err, false);
  result.err[0] = firstErr;
  return { result, images: a.images };
}
