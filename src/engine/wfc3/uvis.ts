/**
 * calwf3 for WFC3/UVIS exposures: WF3CCD per chip (DN, trimmed), WF3REJ per chip for a CR-SPLIT / REPEAT
 * association, WF32D per image set (`_flt`, `_crj`, each written as soon as it is done), on the program's
 * pool (program-run.ts). The main thread reads headers only: each WF3CCD worker reads its raw chip, and the
 * reference images of a phase are read once into shared memory for all workers (issue 15: peak memory).
 */
import { isDummy } from "../../calib/common/reference-image.js";
import { imsetSections } from "../../calib/common/step-trailer.js";
import { findWf3Overscan } from "../../calib/wfc3/oscntab.js";
import { ccdTableHistory } from "../../calib/wfc3/uvis-history.js";
import type { Wf3CcdResult } from "../../calib/wfc3/wf3ccd.js";
import type { Wf32dResult } from "../../calib/wfc3/wf32d.js";
import { VERSION } from "../../version.js";
import type { ChipStore } from "../chip-store.js";
import { rejectionPhase, rejectionProduct } from "../cr-combine.js";
import { applyGeometry, applyKeywords, setKeyword } from "../headers.js";
import type { ImageSetFile } from "../imset-io.js";
import { chipTasks, dropPixels, type ProductPlan, runProductRoundByChip } from "../program.js";
import type { DetectorProgram, DetectorRun, ProgramContext } from "../program-run.js";
import { loadSharedImages, type SharedImages } from "../shared-references.js";
import { taskModule, type WorkerPool } from "../worker-pool.js";
import { detectorOf, text } from "./keywords.js";
import { crrejtabOf, tableOf } from "./references.js";
import { applyWf32d, logSteps } from "./uvis-2d-results.js";
import { ctePhases } from "./uvis-cte.js";
import { ccdtabNote, recordWf3Ccd, referenceNote, referenceNotes } from "./uvis-headers.js";
import { type Member, prepare } from "./uvis-members.js";
import { rowReadReferences, sinkChipsOf, sinkImsetChips, withoutKeys } from "./uvis-reference-use.js";
import type { Uvis2dTaskArgs, UvisCcdTaskArgs, UvisRejectTaskArgs } from "./uvis-tasks.js";

const uvisTask = taskModule<typeof import("./uvis-tasks.js")>(new URL("./uvis-tasks.js", import.meta.url));
// The UVIS tasks load their reference tables in the worker (cachedReference): dropped after each round.
const clearReferences = taskModule<typeof import("../program-files.js")>(
  new URL("../program-files.js", import.meta.url),
)("clearCachedReferences");

// Reference images each phase's tasks take, loaded once per phase in shared memory (not once per worker),
// only the imsets of the exposures' chips but for the SNKCFILE (its imset is chosen by number).
const CCD_IMAGES = ["BIASFILE", "FLSHFILE", "SATUFILE", "SNKCFILE"];
const TWO_D_IMAGES = ["DARKFILE", "PFLTFILE", "SHADFILE"];

const referenceUse = (m: Member) => ({ references: m.references, chips: m.file.imsets.map((i) => i.set.chip) });

/** The chip store's file of image set `k` of a member after WF3CCD (hstcal's `_blv_tmp`). */
const blvTmp = (store: ChipStore, m: Member, k: number) => store.path(`${m.root}_blv_tmp_${k + 1}`);

function ccdTasks(m: Member, images: SharedImages, store: ChipStore, sinks: Map<string, number[]>): UvisCcdTaskArgs[] {
  const oscn = tableOf("OSCNTAB", m.references.OSCNTAB)?.rows ?? [];
  const binning: [number, number] = [m.file.primary.getInt("BINAXIS1", 1), m.file.primary.getInt("BINAXIS2", 1)];
  const subarray = m.file.primary.get("SUBARRAY") === true;
  return m.file.imsets.map((hdus, k) => {
    const params = m.params[k];
    const notes = referenceNotes(m.references, params);
    if (m.references.ATODTAB) notes.ATODTAB = referenceNote(m.references.ATODTAB, m.atod?.rowDescrip);
    return {
      raw: m.raw,
      imset: k,
      sdqflags: hdus.sci.getInt("SDQFLAGS", 65535),
      params,
      overscan: findWf3Overscan(oscn, {
        ccdamp: params.ccdamp,
        ccdchip: params.ccdchip,
        bin: binning,
        nx: hdus.set.nx,
        ny: hdus.set.ny,
        subarray: subarray ? { ltv1: hdus.set.geometry.ltv[0] } : undefined,
      }),
      switches: m.switches,
      binning,
      subarray,
      flashdur: m.file.primary.getNumber("FLASHDUR", 0),
      flashsta: text(m.file.primary, "FLASHSTA"),
      expstart: m.file.primary.getNumber("EXPSTART", 0),
      extver: k + 1,
      // its own copy: the pool transfers typed arrays' buffers, and each chip is a task
      atod: m.atod && { ...m.atod.correction, values: m.atod.correction.values.slice() },
      references: m.references,
      images,
      notes,
      record: k === 0,
      store: blvTmp(store, m, k),
      sinkChips: m.references.SNKCFILE && sinks.get(m.references.SNKCFILE.path),
    };
  });
}

function applyCcd(m: Member, results: Wf3CcdResult[], store: ChipStore): void {
  m.trailer.push(...recordWf3Ccd(m.file.primary, m.params, results));
  results.forEach((r, k) => {
    const hdus = m.file.imsets[k];
    hdus.set = r.set;
    hdus.stored = blvTmp(store, m, k);
    applyKeywords(hdus.sci, r.sci);
    setKeyword(hdus.err, "BUNIT", "COUNTS");
    if (r.trimmed) {
      applyGeometry([hdus.sci, hdus.err, hdus.dq], r.set.geometry, r.crpixShift);
      for (const h of [hdus.err, hdus.dq]) {
        setKeyword(h, "SIZAXIS1", r.set.nx);
        setKeyword(h, "SIZAXIS2", r.set.ny);
      }
    }
  });
}

/** WF32D's tasks of a file's image sets; those kept in the chip store are read there and their results kept there. */
function twoDTasks(file: ImageSetFile, m: Member, images: SharedImages, store: TwoDStore): Uvis2dTaskArgs[] {
  return file.imsets.map((hdus, k) => {
    return {
      set: hdus.set,
      stored: hdus.stored,
      store: hdus.stored && store(k),
      params: m.params[k],
      // A product whose WF3REJ applied the SHADFILE is not shaded again (hstcal reads the switch from the file).
      switches: text(file.primary, "SHADCORR") === "COMPLETE" ? { ...m.switches, SHADCORR: "COMPLETE" } : m.switches,
      exptime: file.primary.getNumber("EXPTIME"),
      expstart: file.primary.getNumber("EXPSTART", 0),
      filter: text(file.primary, "FILTER"),
      sdqflags: hdus.sci.getInt("SDQFLAGS", 65535),
      ncombine: hdus.sci.getInt("NCOMBINE", 1),
      references: m.references,
      images,
    };
  });
}

/** WF3REJ of every chip of the members, in DN (see uvis-tasks.ts). */
async function combine(members: Member[], product: ProductPlan, pool: WorkerPool, ctx: ProgramContext) {
  const crrejtab = crrejtabOf(members[0].references.CRREJTAB);
  const primary = members[0].file.primary;
  const perAmp = (keyword: string) => ["A", "B", "C", "D"].map((a) => primary.getNumber(`${keyword}${a}`, 0));
  const shading = rejectionShading(members[0]);
  const [images] = shading ? await loadSharedImages(pool, ["SHADFILE"], [referenceUse(members[0])]) : [];
  return rejectionProduct({
    members: members.map((m) => m.file),
    product,
    crrejtab,
    // Every row, IRRAMP ones included: WF3REJ never reads that column (wf3rej/readpar.c), kept for parity.
    crrejRows: crrejtab?.rows ?? [],
    flashdurs: members.map(() => 0),
    darktime: (p) => p.getNumber("DARKTIME", p.getNumber("EXPTIME")),
    task: uvisTask("uvisRejectTask"),
    args: (k, common): UvisRejectTaskArgs => {
      const { geometry, chip } = members[0].file.imsets[k].set;
      const noise = { readnoise: perAmp("READNSE"), atodgain: perAmp("ATODGN") };
      return { ...common, ...noise, params: members[0].params[k], geometry, chip, shadfile: images?.SHADFILE };
    },
    shadfile: shading?.note,
    pool,
    store: ctx.store,
  });
}

/** WF3REJ applies the SHADFILE itself when the first member's SHADCORR is PERFORM and it is not DUMMY (rej_do.c). */
function rejectionShading(m: Member) {
  const ref = m.switches.SHADCORR === "PERFORM" ? m.references.SHADFILE : undefined;
  if (!ref) return undefined;
  const note = referenceNote(ref);
  return isDummy({ pedigree: note.pedigree ?? "" })
    ? undefined
    : { ref, note: { ...note, pedigree: note.pedigree ?? "", descrip: note.descrip ?? "" } };
}

/**
 * WF3CCD of every chip of the members on the pool, one CCDCHIP at a time: the references of that chip only
 * (the BIASFILE and SNKCFILE of a full-frame chip are 84 MB each as loaded).
 */
async function ccdPhase({ members }: DetectorRun<Member>, { pool, log, store }: ProgramContext): Promise<void> {
  const sinks = sinkImsetChips(members);
  // the BIASFILE is read by the tasks a band of rows at a time when it can be
  const byRows = members.map((m) => rowReadReferences(m, ["BIASFILE"]));
  const load = async (chip: number) => {
    const images = await loadSharedImages(
      pool,
      CCD_IMAGES.filter((k) => k !== "SNKCFILE"),
      members.map((m, n) => ({ references: withoutKeys(m.references, byRows[n]!), chips: [chip] })),
    );
    const sinkUse = members.map((m) => ({ references: m.references, chips: sinkChipsOf(m, chip, sinks) }));
    const sinkImages = await loadSharedImages(pool, ["SNKCFILE"], sinkUse);
    return images.map((i, n) => ({ ...i, ...sinkImages[n], ...byRows[n] }));
  };
  const round = members.map((m, n) => ({
    tasks: chipTasks(m.file, (images: SharedImages[]) => ccdTasks(m, images[n]!, store, sinks)),
    finish: (chips: Wf3CcdResult[]) => {
      logSteps(log, `${m.root}_raw.fits`, chips);
      applyCcd(m, chips, store);
    },
  }));
  await runProductRoundByChip(pool, uvisTask("uvisCcdTask"), round, load);
  await pool.onEveryWorker(clearReferences, {});
}

const crcorr = (m: Member) => m.switches.CRCORR === "PERFORM" || m.switches.RPTCORR === "PERFORM";
const makesProduct = ({ product, members }: DetectorRun<Member>) =>
  product !== undefined && members.length >= 2 && crcorr(members[0]!);

/** WF32D of every image set of the members and the product; each is written as soon as it is done. */
async function twoDPhase(run: DetectorRun<Member>, ctx: ProgramContext): Promise<void> {
  const { members, product, combined, productTrailer } = run;
  const { log } = ctx;
  // the results of a product's image sets wait in the chip store until the product is written
  const twoDTmp = (name: string) => (k: number) => ctx.store.path(`${name}_2d_tmp_${k + 1}`);
  const finishMember = (m: Member) => (results: Wf32dResult[]) => {
    const history = [...ccdHistory(m), ...(results[0]?.history ?? [])];
    m.trailer.push(
      ...history,
      ...imsetSections(
        "WF32D",
        results.map((r) => r.steps),
      ),
    );
    m.trailer.push(...applyWf32d(m.file, results, history));
    keptIn(m.file, twoDTmp(m.root));
    logSteps(log, `${m.root}_flt.fits`, results);
    ctx.writeProduct(`${m.root}_flt.fits`, m.file);
    dropPixels(m.file);
  };
  // One chip's references at a time (the members' own references, of that chip only); the DARKFILE and
  // PFLTFILE are read by the tasks a band of rows at a time when they can be.
  const byRows = members.map((m) => rowReadReferences(m, ["DARKFILE", "PFLTFILE"]));
  const load = async (chip: number) => {
    const shared = members.map((m, n) => ({ references: withoutKeys(m.references, byRows[n]!), chips: [chip] }));
    const images = await loadSharedImages(ctx.pool, TWO_D_IMAGES, shared);
    return images.map((i, n) => ({ ...i, ...byRows[n] }));
  };
  const round = members.map((m, n) => ({
    tasks: chipTasks(m.file, (images: SharedImages[]) => twoDTasks(m.file, m, images[n]!, twoDTmp(m.root))),
    finish: finishMember(m),
  }));
  if (combined && product && productTrailer) {
    const name = `${product.root}_crj.fits`;
    const finish = (results: Wf32dResult[]) => {
      logSteps(log, name, results);
      productTrailer.push(
        ...applyWf32d(combined, results, [...ccdHistory(members[0]!), ...(results[0]?.history ?? [])]),
      );
      keptIn(combined, twoDTmp(product.root));
      ctx.writeProduct(name, combined);
      dropPixels(combined);
    };
    const tasks = chipTasks(combined, (images: SharedImages[]) =>
      twoDTasks(combined, members[0]!, images[0]!, twoDTmp(product.root)),
    );
    round.push({ tasks, finish });
  }
  await runProductRoundByChip(ctx.pool, uvisTask("uvis2dTask"), round, load);
}

type TwoDStore = (k: number) => string;

/** The stored image sets of a file now in the files WF32D's tasks wrote. */
function keptIn(file: ImageSetFile, store: TwoDStore): void {
  file.imsets.forEach((hdus, k) => {
    if (hdus.stored) hdus.stored = store(k);
  });
}

const rejection = rejectionPhase(
  "WF3REJ",
  (product, from) => `CALWF3 (caldp ${VERSION}) product ${product.root}_crj.fits from ${from}`,
  makesProduct,
  combine,
);
const cte = ctePhases(ccdPhase, rejection, twoDPhase);

/** WFC3/UVIS: [WF3CTE], WF3CCD, WF3REJ for a CR-SPLIT / REPEAT product, WF32D; then the CTE branch (uvis-cte.ts). */
export const UVIS: DetectorProgram<Member> = {
  accepts: (primary) => detectorOf(primary) !== "IR",
  prepare: (root, { dir, env }) => prepare(dir, root, env),
  workers: (members) => 2 * members.reduce((n, m) => n + m.file.imsets.length, 0),
  phases: [...cte.first, { name: "WF3CCD", run: ccdPhase }, rejection, { name: "WF32D", run: twoDPhase }, ...cte.last],
};

/** The CCD parameters table HISTORY WF32D writes again (hstcal CCDHistory). */
function ccdHistory(m: Member): string[] {
  const ccdtab = m.params[0] ? ccdtabNote(m.references, m.params[0]) : undefined;
  return ccdtab ? ccdTableHistory(ccdtab) : [];
}
