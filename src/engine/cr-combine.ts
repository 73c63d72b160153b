/**
 * The CR-SPLIT / RPT-OBS product of an association (ACSREJ, WF3REJ): the members' image sets rejected chip by
 * chip in worker threads, the CR flags written back into the members (CRMASK), and the product file with the
 * rejection keywords, its headers taken from the first exposed member; `rejectionProduct` runs it as the
 * step table's CRCORR step (CRREJTAB checked, CRCORR = COMPLETE recorded, timed).
 */
import { type ChipRejection, type RejectionHeaderInput, rejectionKeywords } from "../calib/common/cr-reject.js";
import { type CrrejParameters, crrejParameters } from "../calib/common/crrejtab.js";
import { emptyUpdates } from "../calib/common/header-updates.js";
import { createImageSet, type ImageSet, UNBINNED } from "../calib/common/imset.js";
import type { MemberRows, ProductRows } from "../calib/common/member-rows.js";
import { CRCORR_STEP, REJECTION_WORDING } from "../calib/common/rejection-step.js";
import { stepLogLine, stepSections } from "../calib/common/step-trailer.js";
import { type RecordedReference, runAwaitedStep, type StepRecord } from "../calib/common/steps.js";
import type { RowValue } from "../calib/common/table-rows.js";
import type { Header } from "../fits/index.js";
import type { ChipStore } from "./chip-store.js";
import {
  readStoredImageSet,
  rewriteStoredDq,
  storedErrRows,
  withoutPixels,
  writeStoredImageSet,
} from "./chip-store.js";
import { applyKeywords, applyPrimary } from "./headers.js";
import type { ImageSetFile } from "./imset-io.js";
import type { ProductPlan } from "./program.js";
import { cloneImageSetFile } from "./program-files.js";
import type { DetectorRun, Exposure, Phase, ProgramContext } from "./program-run.js";
import { storedMemberRows, storedProductRows } from "./stored-member-rows.js";
import { runTasks, type TaskFunction, type WorkerPool } from "./worker-pool.js";

export interface ChipImages {
  sci: Float32Array;
  err: Float32Array;
  dq: Uint16Array;
  /** ERR row y, when `err` is left empty (read from the chip store by rows). */
  errRow?: (y: number) => Float32Array;
  /** SCI and DQ by rows, when `sci` and `dq` are left empty (read from the chip store, CR flags written there). */
  rows?: MemberRows;
}

/** What every chip's rejection task gets; the instrument adds its own fields. */
export interface ChipRejectionArgs {
  nx: number;
  ny: number;
  images: ChipImages[];
  exptimes: number[];
  parameters: CrrejParameters;
  imagetyp: string;
}

/** What a rejection task gives back: the chip's result, and its inputs (they were transferred to the worker). */
export interface ChipRejectionDone {
  result: ChipRejection;
  images: readonly ChipImages[];
}

/** A rejection task's inputs kept in the chip store: `images` is empty, the worker reads them. */
export interface StoredRejection {
  /** The chip store's file of each input's image set. */
  stored: string[];
  /** Where the product's chip goes. */
  productStore: string;
}

const noPixels = { sci: new Float32Array(0), err: new Float32Array(0), dq: new Uint16Array(0) };

/** How a rejection uses its stored inputs (the default: everything read, whole image sets written back). */
export type StoredInputUse =
  | {
      /** Whether the inputs' ERR is read (when false, the task gets empty ERR arrays). */
      err?: boolean;
      /** The task changes only the inputs' DQ: only DQ is written back, in place. */
      dqOnly?: boolean;
    }
  /** ERR read a row at a time (`errRow`) by a task that changes only the inputs' DQ. */
  | { err: "rows"; dqOnly: true }
  /**
   * SCI and DQ read by bands of rows (`rows`), the CR flags written back into the stored DQ by rows; ERR read
   * a row at a time, or not at all.
   */
  | { rows: true; err: "rows" | false };

/**
 * Runs a rejection task (worker side) on inputs read from the chip store when `stored` is given: the inputs,
 * their CR flags (CRMASK) set, go back to their files and the product's chip to its own; what returns to the
 * main thread then holds no pixels. Without `stored`, `reject` runs as is.
 */
export function storedRejection<
  A extends { nx: number; ny: number; images: readonly ChipImages[]; product?: ProductRows },
>(
  args: A & Partial<StoredRejection>,
  reject: (args: A) => ChipRejectionDone,
  use: StoredInputUse = {},
): ChipRejectionDone {
  const { stored, productStore } = args;
  if (!stored || !productStore) return reject(args);
  const like: ImageSet = { nx: args.nx, ny: args.ny, ...noPixels, geometry: UNBINNED, chip: 1 };
  const images = stored.map((path): ChipImages => {
    if ("rows" in use) {
      const rows = storedMemberRows(path, like);
      return use.err === "rows" ? { ...noPixels, rows, errRow: storedErrRows(path, like) } : { ...noPixels, rows };
    }
    const { sci, err, dq } = readStoredImageSet(path, like, { err: use.err === true || use.err === undefined });
    return use.err === "rows" ? { sci, err, dq, errRow: storedErrRows(path, like) } : { sci, err, dq };
  });
  // read by rows, the inputs' product goes to the store by rows too
  const product = "rows" in use ? storedProductRows(productStore, like) : undefined;
  const { result, images: inputs } = reject({ ...args, images, product });
  if (result.inputDq) {
    inputs.forEach((image, n) => {
      const dq = result.inputDq![n]!;
      if ("dqOnly" in use && use.dqOnly) rewriteStoredDq(stored[n]!, dq);
      else writeStoredImageSet(stored[n]!, { ...like, sci: image.sci, err: image.err, dq });
    });
  }
  if (!result.productWritten)
    writeStoredImageSet(productStore, { ...like, sci: result.sci, err: result.err, dq: result.dq });
  return { result: { ...result, ...noPixels, inputDq: undefined }, images: [] };
}

export interface CombineOptions<A> {
  members: ImageSetFile[];
  product: ProductPlan;
  crrejRows: readonly Readonly<Record<string, RowValue>>[];
  /** FLASHDUR of each member whose FLSHCORR is PERFORM (0 otherwise). */
  flashdurs: number[];
  /** DARKTIME of a member (instruments differ on the fallback when the keyword is absent). */
  darktime: (primary: Header) => number;
  /** The instrument's rejection task, and its argument for chip `k` (the common part and its own fields). */
  task: TaskFunction<A, ChipRejectionDone>;
  args: (k: number, common: ChipRejectionArgs) => A;
  /** The SHADFILE the rejection applied (WF3REJ): SHADCORR COMPLETE and its HISTORY in the product. */
  shadfile?: RejectionHeaderInput["shadfile"];
  /** The program's worker pool; without one, `workers` new threads run the chips. */
  pool?: WorkerPool;
  /** The chip store, when the members' image sets are kept there: the product's then are too. */
  store?: ChipStore;
  /** The product's suffix in the chip store's names (`crj`, or `crc` for the CTE branch's). */
  suffix?: string;
  workers?: number;
}

export async function combineMembers<A>(options: CombineOptions<A>): Promise<ImageSetFile> {
  const { members, product } = options;
  const primaries = members.map((m) => m.primary);
  const exptimes = primaries.map((p) => p.getNumber("EXPTIME"));
  const total = exptimes.reduce((a, b) => a + b, 0);
  const parameters = crrejParameters(options.crrejRows, members.length, total);
  const chips = members[0].imsets.length;
  const stored = options.store !== undefined && members.every((m) => m.imsets.every((h) => h.stored));
  const productStore = (k: number) => options.store!.path(`${product.root}_${options.suffix ?? "crj"}_tmp_${k + 1}`);
  const args = Array.from({ length: chips }, (_, k) => {
    const common = options.args(k, {
      nx: members[0].imsets[k].set.nx,
      ny: members[0].imsets[k].set.ny,
      // stored: the worker reads them (the members' empty arrays are not sent: they would be moved)
      images: stored
        ? []
        : members.map((m) => {
            const s = m.imsets[k].set;
            return { sci: s.sci, err: s.err, dq: s.dq };
          }),
      exptimes,
      parameters,
      imagetyp: String(primaries[0].get("IMAGETYP") ?? ""),
    });
    if (!stored) return common;
    return { ...common, stored: members.map((m) => m.imsets[k].stored!), productStore: productStore(k) };
  });
  const results = options.pool
    ? await options.pool.run(options.task, args)
    : await runTasks(options.task, args, options.workers);
  const source = results[0].result.headerSource;
  const out = cloneImageSetFile(members[source]);
  results.forEach(({ result, images }, k) => {
    const template = members[source].imsets[k].set;
    if (stored) {
      out.imsets[k].set = withoutPixels(template);
      out.imsets[k].stored = productStore(k);
      return;
    }
    members.forEach((m, n) => {
      const set = m.imsets[k].set;
      set.sci = images[n].sci;
      set.err = images[n].err;
      set.dq = result.inputDq?.[n] ?? images[n].dq;
    });
    out.imsets[k].set = createImageSet(template.nx, template.ny, {
      sci: result.sci,
      err: result.err,
      dq: result.dq,
      geometry: template.geometry,
      chip: template.chip,
    });
  });
  const updates = rejectionKeywords({
    exptimes,
    expstarts: primaries.map((p) => p.getNumber("EXPSTART", 0)),
    expends: primaries.map((p) => p.getNumber("EXPEND", 0)),
    darktimes: primaries.map(options.darktime),
    flashdurs: options.flashdurs,
    parameters,
    nextend: primaries[0].getInt("NEXTEND", 3 * chips),
    firstChip: results[0].result,
    productRoot: product.root,
    asnMtyp: product.mtype,
    shadfile: options.shadfile,
  });
  applyPrimary(out.primary, updates);
  for (const hdus of out.imsets) applyKeywords(hdus.sci, updates.sci);
  return out;
}

/** ACSREJ / WF3REJ as the step table describes it: the product, and the step's record for its trailer. */
export async function rejectionProduct<A>(
  options: CombineOptions<A> & { crrejtab?: RecordedReference },
): Promise<{ file: ImageSetFile; record: StepRecord }> {
  let file: ImageSetFile | undefined;
  const updates = emptyUpdates();
  const record = await runAwaitedStep(
    CRCORR_STEP,
    { crrejtab: options.crrejtab },
    updates,
    { record: true, wording: REJECTION_WORDING },
    async () => {
      file = await combineMembers(options);
    },
  );
  applyPrimary(file!.primary, updates);
  return { file: file!, record };
}

/**
 * A program's rejection phase (ACSREJ, WF3REJ): when `makesProduct`, the product made by `combine` and its
 * trailer opened (`title`, then the step's section).
 */
export function rejectionPhase<M extends Exposure>(
  name: string,
  title: (product: ProductPlan, from: string) => string,
  makesProduct: (run: DetectorRun<M>) => boolean,
  combine: (
    members: M[],
    product: ProductPlan,
    pool: WorkerPool,
    ctx: ProgramContext,
  ) => Promise<{ file: ImageSetFile; record: StepRecord }>,
): Phase<M> {
  return {
    name,
    when: makesProduct,
    on: ({ members, product }) => `${members.map((m) => m.root).join(" ")} -> ${product!.root}_crj.fits`,
    run: async (run, ctx) => {
      const { pool, log } = ctx;
      const product = run.product!;
      const { file, record } = await combine(run.members, product, pool, ctx);
      run.combined = file;
      log(stepLogLine(record, `${product.root}_crj.fits`));
      run.productTrailer = [title(product, run.members.map((m) => m.root).join(" ")), ...stepSections([record])];
    },
  };
}
