/**
 * The pixel work of calacs as worker-thread tasks: ACSCCD of one exposure, ACSREJ of one chip, ACS2D of
 * one image set. Arguments and results are plain data (image sets, keyword records, references loaded by
 * the main thread, their pixels in shared memory).
 */
import { type Acs2dKeywords, type Acs2dReferences, type Acs2dSwitches, acs2d } from "../../calib/acs/acs2d.js";
import {
  type AcsCcdExposure,
  type AcsCcdImsetInput,
  type AcsCcdReferences,
  type AcsCcdResult,
  type AcsCcdSwitches,
  runAcsCcd,
} from "../../calib/acs/acsccd.js";
import type { AcsCcdParameters } from "../../calib/acs/ccd-parameters.js";
import { type ChipRejection, exposureFactors, type RejectionInput, rejectChip } from "../../calib/common/cr-reject.js";
import type { ImageSet } from "../../calib/common/imset.js";
import type { ReferenceImage } from "../../calib/common/reference-image.js";
import type { StepUpdates } from "../../calib/common/steps.js";
import { loadIfStored, storeIfAsked } from "../chip-store.js";
import { type StoredRejection, storedRejection } from "../cr-combine.js";
import { readRawImageSets } from "../imset-io.js";
import { type RowReferenceFile, rowReference } from "../reference-rows-file.js";
import type { CcdReferenceFiles } from "./references.js";

export interface CcdTaskArgs {
  /** The raw file, whose pixels the worker reads. */
  raw: string;
  /** SDQFLAGS of each image set's SCI header. */
  sdqflags: number[];
  exposure: AcsCcdExposure;
  switches: AcsCcdSwitches;
  references: CcdReferenceFiles;
  /** The chip store's file for each image set's result (the result then comes back without pixels). */
  store?: string[];
}

const readByRows = (ref: RowReferenceFile | ReferenceImage) => ("extensions" in ref ? rowReference(ref) : ref);

export function ccdTask(args: CcdTaskArgs): AcsCcdResult {
  const imsets: AcsCcdImsetInput[] = readRawImageSets(args.raw).map(({ set, errValue }, k) => ({
    set,
    errValue,
    sdqflags: args.sdqflags[k],
  }));
  const { bias, satufile } = args.references;
  const references: AcsCcdReferences = {
    ...args.references,
    bias: bias && readByRows(bias),
    satufile: satufile && readByRows(satufile),
  };
  // each image set goes to the store as soon as it is finished, before the next one's ERR is made
  return runAcsCcd(imsets, args.exposure, args.switches, references, (r, k) => storeIfAsked(r.set, args.store?.[k]));
}

/**
 * The chip's inputs come back with the result (they were transferred to the worker); with `stored`, they
 * are read from the chip store, their DQ written back there, and the product's chip goes there too.
 */
export function rejectTask(args: RejectionInput & Partial<StoredRejection>): {
  result: ChipRejection;
  images: RejectionInput["images"];
} {
  // ACSREJ changes only the inputs' DQ (their CR flags): only DQ goes back to the store, in place. It reads the
  // inputs by rows (SCI, DQ and ERR), except to copy one as the product when only one input is exposed.
  const whole = args.exptimes.length < 2 || exposureFactors(args.exptimes).exposed === 1;
  const reject = (input: RejectionInput) => ({ result: rejectChip(input), images: input.images });
  return storedRejection(args, reject, whole ? { dqOnly: true } : { rows: true, err: "rows" });
}

export interface TwoDTaskArgs {
  science: ImageSet;
  firstImset: boolean;
  switches: Acs2dSwitches;
  keywords: Acs2dKeywords;
  references: Acs2dReferences;
  ccd?: AcsCcdParameters;
  /** The chip store's file holding the science pixels, and the one for the result. */
  stored?: string;
  store?: string;
}

export function twoDTask(args: TwoDTaskArgs): { science: ImageSet; updates: StepUpdates } {
  const science = loadIfStored(args.science, args.stored);
  const updates = acs2d({
    science,
    firstImset: args.firstImset,
    switches: args.switches,
    keywords: args.keywords,
    references: args.references,
    ccd: args.ccd,
  });
  return { science: storeIfAsked(science, args.store), updates };
}
