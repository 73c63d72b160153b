/**
 * UVIS pixel work as worker-thread tasks: WF3CCD of one chip, WF3REJ of one chip (in DN,
 * its own noise model), WF32D of one image set. Reference images come loaded by the main thread (pixels in
 * shared memory, one copy for every worker); tables are named by path and loaded once per worker.
 */
import { type ChipRejection, exposureFactors, type RejectionInput } from "../../calib/common/cr-reject.js";
import { createImageSet, type ImageSet } from "../../calib/common/imset.js";
import { expandedReferencePlacement, type ReferenceImage } from "../../calib/common/reference-image.js";
import type { Wf3CcdParameters } from "../../calib/wfc3/ccdtab.js";
import type { Wf3Overscan } from "../../calib/wfc3/oscntab.js";
import type { AtodCorrection } from "../../calib/wfc3/uvis-atod.js";
import type { ReferenceNote } from "../../calib/wfc3/uvis-history.js";
import { rejectUvisChip } from "../../calib/wfc3/uvis-reject.js";
import { uvisNoise } from "../../calib/wfc3/uvis-reject-noise.js";
import { runWf3Ccd, type Wf3CcdInput, type Wf3CcdResult, type Wf3CcdSwitches } from "../../calib/wfc3/wf3ccd.js";
import {
  type BandReferences,
  bandOf,
  runWf32d,
  runWf32dByBands,
  type Wf32dInput,
  type Wf32dResult,
} from "../../calib/wfc3/wf32d.js";
import { loadIfStored, storeIfAsked, withoutPixels } from "../chip-store.js";
import { type StoredRejection, storedRejection } from "../cr-combine.js";
import { readImageSetAt } from "../imset-io.js";
import { rowReference } from "../reference-rows-file.js";
import type { SharedImages } from "../shared-references.js";
import { readByRows, rowsUnder } from "./reference-bands.js";
import { bpixRows, bpixSize, imphttabOf, primaryText, type ReferenceNames } from "./references.js";
import { rewriteStoredByBands, STORED_BAND_ROWS } from "./stored-bands.js";

export interface UvisCcdTaskArgs {
  /** The raw file and the index of the chip's image set in it (read here, in the worker). */
  raw: string;
  imset: number;
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
  /** BIASFILE, FLSHFILE, SATUFILE, SNKCFILE of the exposure, as loaded (shared). */
  images: SharedImages;
  /** The reference files as HISTORY names them; the first chip of an exposure records its HISTORY. */
  notes: Record<string, ReferenceNote>;
  record: boolean;
  /** The chip store's file for the result (which then comes back without pixels). */
  store?: string;
  /** CCDCHIP of each SNKCFILE image set, when only some of them are loaded (by their CCDCHIP). */
  sinkChips?: number[];
}

export function uvisCcdTask(a: UvisCcdTaskArgs): Wf3CcdResult {
  const result = runWf3Ccd({
    ...a,
    set: readImageSetAt(a.raw, a.imset),
    bpixtab: bpixRows(a.references.BPIXTAB),
    bpixSize: a.references.BPIXTAB ? bpixSize(a.references.BPIXTAB) : undefined,
    bias: a.images.BIASFILE?.imsets,
    biasRows: readByRows(a.images.BIASFILE) ? rowReference(a.images.BIASFILE).readRows : undefined,
    biasCcdamp: a.references.BIASFILE ? primaryText(a.references.BIASFILE, "CCDAMP") : undefined,
    flash: a.images.FLSHFILE,
    satufile: a.images.SATUFILE?.imsets,
    sink: sinkMap(a),
  });
  result.set = storeIfAsked(result.set, a.store);
  return result;
}

function sinkMap(a: UvisCcdTaskArgs): Wf3CcdInput["sink"] {
  const map = a.images.SNKCFILE;
  if (!map) return undefined;
  const imsets = a.sinkChips ? byNumber(map.imsets, a.sinkChips) : map.imsets;
  return { imsets, expstart: a.expstart, extver: a.extver };
}

/**
 * The loaded image sets (those of some CCDCHIPs, in file order) at their numbers in a file whose image sets
 * have the CCDCHIPs `chips`; an image set not loaded is an empty one (no task of the round uses it).
 */
function byNumber(loaded: readonly ImageSet[], chips: readonly number[]): ImageSet[] {
  const present = new Set(loaded.map((s) => s.chip));
  let next = 0;
  return chips.map((chip) => (present.has(chip) ? loaded[next++]! : withoutPixels(createImageSet(0, 0, { chip }))));
}

/** WF32D's input with its reference images loaded (shared) and its IMPHTTAB named, read in the worker. */
export interface Uvis2dTaskArgs
  extends Pick<
    Wf32dInput,
    "set" | "params" | "switches" | "exptime" | "expstart" | "filter" | "sdqflags" | "ncombine"
  > {
  references: ReferenceNames;
  /** DARKFILE, PFLTFILE, SHADFILE. */
  images: SharedImages;
  /** The chip store's file holding the pixels, and the one for the result. */
  stored?: string;
  store?: string;
}

export function uvis2dTask(a: Uvis2dTaskArgs): Wf32dResult {
  const input = {
    ...a,
    dark: a.images.DARKFILE,
    pflt: a.images.PFLTFILE,
    shad: a.images.SHADFILE,
    imphttab: imphttabOf(a.references.IMPHTTAB),
  };
  const { stored, store } = a;
  const dark = referenceRows(input.dark, a.set, "DARKFILE", a.switches.DARKCORR);
  const pflt = referenceRows(input.pflt, a.set, "PFLTFILE", a.switches.FLATCORR);
  const under = (y0: number, ny: number): BandReferences => ({ dark: dark?.(y0, ny), pflt: pflt?.(y0, ny) });
  // A stored image set goes through by bands of rows from one stored file to the next (SHADCORR wants it whole).
  if (stored && store && a.switches.SHADCORR !== "PERFORM") {
    const result = runWf32dByBands(input, (visit) =>
      rewriteStoredByBands(stored, store, a.set, STORED_BAND_ROWS, (pixels, y0) =>
        visit(bandOf(a.set, y0, pixels), under(y0, pixels.ny)),
      ),
    );
    return { ...result, set: withoutPixels(a.set) };
  }
  const set = loadIfStored(a.set, stored);
  const result = runWf32d({ ...input, ...under(0, set.ny), set });
  result.set = storeIfAsked(result.set, store);
  return result;
}

/** The rows of a reference read by rows under bands of `set`, when its step runs; undefined otherwise. */
function referenceRows(ref: ReferenceImage | undefined, set: ImageSet, what: string, state: string) {
  return readByRows(ref) && state === "PERFORM" ? rowsUnder(ref, set, what) : undefined;
}

export interface UvisRejectTaskArgs extends RejectionInput {
  params: Wf3CcdParameters;
  /** The chip's geometry and CCDCHIP, to place the SHADFILE. */
  geometry: ImageSet["geometry"];
  chip: number;
  /** The SHADFILE WF3REJ applies (SHADCORR PERFORM, not DUMMY). */
  shadfile?: ReferenceImage;
  /** READNSEA..D and ATODGNA..D of the first member's primary header, as WF3REJ reads them. */
  readnoise: number[];
  atodgain: number[];
}

/** WF3REJ of one chip, in DN with its per-amp noise model (calib/wfc3/uvis-reject.ts); inputs stored or sent. */
export function uvisRejectTask(args: UvisRejectTaskArgs & Partial<StoredRejection>): {
  result: ChipRejection;
  images: RejectionInput["images"];
} {
  // WF3REJ reads the inputs' ERR only to copy a single exposed input (uvis-reject.ts) and changes only their DQ;
  // when it rejects, it reads their SCI and DQ by rows.
  const whole = args.exptimes.length < 2 || exposureFactors(args.exptimes).exposed === 1;
  return storedRejection(args, rejectUvis, whole ? { err: true, dqOnly: true } : { rows: true, err: false });
}

function rejectUvis(a: UvisRejectTaskArgs): { result: ChipRejection; images: RejectionInput["images"] } {
  const noise = uvisNoise(a.readnoise, a.atodgain, a.params.ccdchip, a.params.ampx, a.nx);
  const shading = a.shadfile ? shadingUnder(a, a.shadfile) : undefined;
  return { result: rejectUvisChip({ ...a, noise, shading }), images: a.images };
}

/** The SHADFILE values (s) under the chip's pixels, expanded when the SHADFILE is binned more. */
function shadingUnder(a: UvisRejectTaskArgs, shadfile: ReferenceImage): Float32Array {
  const { nx, ny } = a;
  // only the size, geometry and chip place the reference (the inputs' ERR may not have been read)
  const science: ImageSet = { ...withoutPixels(createImageSet(0, 0)), nx, ny, geometry: a.geometry, chip: a.chip };
  const place = expandedReferencePlacement(science, shadfile, "SHADFILE");
  const out = new Float32Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    const from = (j + place.y0) * place.set.nx + place.x0;
    out.set(place.set.sci.subarray(from, from + nx), j * nx);
  }
  return out;
}
