/**
 * calacs: calibrates ACS CCD exposures and associations like hstcal's calacs.e (calibration.md §2.0, §7):
 * ACSCCD for every exposure, ACSREJ for a CR-SPLIT / RPT-OBS product, ACS2D for every exposure (`_flt`) and
 * for the product (`_crj`). Pixel work runs on one pool of worker threads (exposures, then chips, then image
 * sets), which also read the raw pixels and the reference images (into shared memory, one copy for all);
 * headers are read and products written here, each as soon as it is done. The skeleton (program-run.ts)
 * plans, refuses other instruments, runs the phases below on one pool and writes the trailers.
 */
import { join } from "node:path";
import type { Acs2dReferences } from "../../calib/acs/acs2d.js";
import type { AcsCcdResult } from "../../calib/acs/acsccd.js";
import { historySections, imsetSections, stepLogLine, stepSections } from "../../calib/common/step-trailer.js";
import { VERSION } from "../../version.js";
import type { ChipStore } from "../chip-store.js";
import { rejectionPhase, rejectionProduct } from "../cr-combine.js";
import {
  type CteMember,
  ctePhase,
  cteProduct,
  cteRejectionPhase,
  cteTwoDReferences,
  prepareCte,
} from "../cte/acs-branch.js";
import { applyGeometry, applyKeywords, applyPrimary, setKeyword } from "../headers.js";
import { type ImageSetFile, readImageSetHeaders } from "../imset-io.js";
import { chipTasks, dropPixels, omitNotNativeYet, type ProductPlan, runProductRoundByChip } from "../program.js";
import {
  type DetectorProgram,
  type DetectorRun,
  type Phase,
  type ProgramContext,
  type ProgramOptions,
  type ProgramResult,
  runProgram,
} from "../program-run.js";
import { taskModule, type WorkerPool } from "../worker-pool.js";
import { type AcsSwitches, anythingToDo, ccdExposure, readSwitches } from "./keywords.js";
import { LoadedReferences, type ReferenceNames, resolveReferences } from "./references.js";
import { ACS_SBC } from "./sbc.js";
import type { CcdTaskArgs } from "./tasks.js";
import { applyTwoD, type TwoDResult, twoDTasks } from "./two-d.js";

export const CAL_VER = `caldp ${VERSION} (native calacs)`;
const acsTask = taskModule<typeof import("./tasks.js")>(new URL("./tasks.js", import.meta.url));

export interface CalacsOptions extends ProgramOptions {
  /** A PCTETAB to use instead of the raws' (calacs.e --pctetab). */
  pctetab?: string;
}
export type CalacsResult = ProgramResult;

interface Member extends CteMember {
  switches: AcsSwitches;
  references: ReferenceNames;
  ccd?: AcsCcdResult;
}

/** The raw file's headers: the ACSCCD workers read its pixels. */
function readRaw(dir: string, root: string): ImageSetFile {
  return readImageSetHeaders(join(dir, `${root}_raw.fits`));
}

/** The chip store's file of image set `k` of a member after ACSCCD (hstcal's `_blv_tmp`). */
const blvTmp = (store: ChipStore, m: Member, k: number) => store.path(`${m.root}_blv_tmp_${k + 1}`);

function ccdTasks(members: Member[], references: LoadedReferences, dir: string, store: ChipStore): CcdTaskArgs[] {
  return members.map((m) => ({
    raw: join(dir, m.raw),
    sdqflags: m.file.imsets.map((i) => i.sci.getInt("SDQFLAGS", 65535)),
    exposure: ccdExposure(m.file.primary),
    switches: m.switches,
    references: references.ccd(m.references),
    store: m.file.imsets.map((_, k) => blvTmp(store, m, k)),
  }));
}

/**
 * The member headers after ACSCCD: primary and extension updates applied, geometry of the trimmed image;
 * its pixels are in the chip store.
 */
function applyCcd(member: Member, store: ChipStore): void {
  const ccd = member.ccd!;
  applyPrimary(member.file.primary, ccd);
  ccd.imsets.forEach((result, k) => {
    const hdus = member.file.imsets[k];
    hdus.set = result.set;
    hdus.stored = blvTmp(store, member, k);
    applyKeywords(hdus.sci, result.sci);
    applyKeywords(hdus.err, result.err);
    applyGeometry([hdus.sci, hdus.err, hdus.dq], result.geometry, result.crpixShift);
    if (result.trimmed) {
      for (const h of [hdus.err, hdus.dq]) {
        setKeyword(h, "SIZAXIS1", result.set.nx);
        setKeyword(h, "SIZAXIS2", result.set.ny);
      }
    }
  });
}

function twoDSwitches(member: Member): AcsSwitches {
  // ACSCCD already flagged the DQ: ACS2D does not redo DQICORR (hstcal calacs SetACS2DSw).
  return { ...member.switches, DQICORR: member.switches.DQICORR === "PERFORM" ? "OMIT" : member.switches.DQICORR };
}

/**
 * ACSREJ of every chip of the members' files (the _crj's, or the CTE branch's for the _crc): the product
 * (headers from the first exposed member) and its record.
 */
function combine(
  members: Member[],
  product: ProductPlan,
  pool: WorkerPool,
  store?: ChipStore,
  files = members.map((m) => m.file),
  suffix = "crj",
) {
  const crrejtab = new LoadedReferences().crrejtab(members[0].references);
  return rejectionProduct({
    members: files,
    product,
    crrejtab,
    crrejRows: crrejtab?.rows ?? [],
    flashdurs: members.map((m) => (m.switches.FLSHCORR === "PERFORM" ? m.file.primary.getNumber("FLASHDUR", 0) : 0)),
    darktime: (p) => p.getNumber("DARKTIME", 0),
    task: acsTask("rejectTask"),
    args: (_k, common) => common,
    pool,
    store,
    suffix,
  });
}

/** Reads an exposure's switches and resolves its references; undefined when no switch is PERFORM. */
function prepare(
  root: string,
  { dir, env }: { dir: string; env: ProgramOptions["env"] },
  pctetab?: string,
): Member | undefined {
  const file = readRaw(dir, root);
  const switches = readSwitches(file.primary);
  const trailer = [`CALACS (caldp ${VERSION}) processing ${root}_raw.fits`];
  omitNotNativeYet(switches, trailer, ["PCTECORR"]);
  if (!anythingToDo(switches)) return undefined;
  const raw = `${root}_raw.fits`;
  const references = resolveReferences(file.primary, switches, env);
  const cte = prepareCte(raw, file.primary, switches, { env, trailer, pctetab });
  return { root, raw, file, switches, references, trailer, cte };
}

/** ACSCCD of every member on the pool (the references it loads are dropped on return). */
async function ccdPhase(run: DetectorRun<Member>, { pool, dir, log, store }: ProgramContext): Promise<void> {
  const { members } = run;
  const references = new LoadedReferences();
  await references.preload(
    pool,
    "ccd",
    members.map((m) => m.references),
  );
  const ccd = await pool.run(acsTask("ccdTask"), ccdTasks(members, references, dir, store));
  members.forEach((m, n) => {
    m.ccd = ccd[n];
    applyCcd(m, store);
    for (const step of ccd[n].steps) log(stepLogLine(step, m.raw));
    m.trailer.push(...historySections(ccd[n].history, ccd[n].steps));
  });
}

const makesProduct = ({ product, members }: DetectorRun<Member>) =>
  product !== undefined && members.length >= 2 && members[0].switches.CRCORR === "PERFORM";

/**
 * ACS2D of every image set of the members and the product (tasks in product order). Each product is
 * written as soon as its image sets are done, while the workers go on, and its pixels are dropped.
 */
async function twoDPhase(run: DetectorRun<Member>, ctx: ProgramContext): Promise<void> {
  const { members, product, combined } = run;
  // One chip's references at a time; a product's references are its member's (the product: the first's).
  const references = new LoadedReferences();
  const products = members.flatMap((m) => [
    { file: m.file, name: `${m.root}_flt.fits`, trailer: m.trailer, m, names: m.references },
    ...(m.cte?.file
      ? [{ file: m.cte.file, name: `${m.root}_flc.fits`, trailer: m.trailer, m, names: cteTwoDReferences(m) }]
      : []),
  ]);
  const crc = cteProduct(run);
  if (combined && product && run.productTrailer) {
    const trailer = run.productTrailer;
    products.push({
      file: combined,
      name: `${product.root}_crj.fits`,
      trailer,
      m: members[0],
      names: members[0].references,
    });
    if (crc) {
      products.push({
        file: crc,
        name: `${product.root}_crc.fits`,
        trailer,
        m: members[0],
        names: cteTwoDReferences(members[0]),
      });
    }
  }
  // the reference sets of the round (the flc's and crc's have DRKCFILE as their dark), loaded one chip at a time
  const nameSets = [...new Set(products.map((p) => p.names))];
  const load = (chip: number) => references.twoDOfChip(ctx.pool, nameSets, chip);
  // the results of a product's image sets wait in the chip store until the product is written
  const twoDTmp = (name: string) => (k: number) => ctx.store.path(`${name.replace(/\.fits$/, "")}_2d_tmp_${k + 1}`);
  const twoD = (file: ImageSetFile, m: Member, loaded: Acs2dReferences, name: string) =>
    twoDTasks(file, twoDSwitches(m), loaded, m.ccd, twoDTmp(name));
  const round = products.map((p) => ({
    tasks: chipTasks(p.file, (loaded: Acs2dReferences[]) =>
      twoD(p.file, p.m, loaded[nameSets.indexOf(p.names)]!, p.name),
    ),
    finish: (done: TwoDResult[]) => {
      done.forEach((r, k) => {
        for (const step of r.updates.steps) ctx.log(stepLogLine(step, `${p.name} imset ${k + 1}`));
      });
      // The _flt's and the _flc's sections share the exposure's trailer: the CTE branch's say which they are.
      if (/_(flc|crc)\.fits$/.test(p.name)) p.trailer.push(`ACS2D of ${p.name} (the CTE-corrected branch)`);
      p.trailer.push(
        ...imsetSections(
          "ACS2D",
          done.map((r) => r.updates.steps),
        ),
      );
      p.trailer.push(...applyTwoD(p.file, done, twoDTmp(p.name)));
      ctx.writeProduct(p.name, p.file);
      dropPixels(p.file);
    },
  }));
  await runProductRoundByChip(ctx.pool, acsTask("twoDTask"), round, load);
}

/** ACS's CCDs (WFC, HRC): ACSCCD, ACSREJ for a CR-SPLIT / RPT-OBS product, ACS2D. */
export const ACS_CCD: DetectorProgram<Member> = {
  accepts: (primary) => !ACS_SBC.accepts(primary),
  prepare,
  workers: (members, product) => members.reduce((n, m) => n + m.file.imsets.length, 0) + (product ? 2 : 0),
  phases: [
    { name: "ACSCCD", run: ccdPhase },
    ctePhase<Member>(),
    rejectionPhase(
      "ACSREJ",
      (product, from) => `CALACS (caldp ${VERSION}) product ${product.root}_crj.fits from ${from}`,
      makesProduct,
      (members, product, pool, ctx) => combine(members, product, pool, ctx.store),
    ),
    cteRejectionPhase(makesProduct, async (files, run, pool, store) => {
      const product = run.product!;
      const { file, record } = await combine(run.members, product, pool, store, files, "crc");
      const from = run.members.map((m) => m.root).join(" ");
      const title = `CALACS (caldp ${VERSION}) product ${product.root}_crc.fits from ${from} (CTE-corrected)`;
      return { file, lines: [title, ...stepSections([record])] };
    }),
    { name: "ACS2D", run: twoDPhase },
  ] satisfies Phase<Member>[],
};

export function calacs(inputs: string[], options: CalacsOptions): Promise<CalacsResult> {
  return runProgram(
    {
      name: "calacs",
      instrument: "ACS",
      calVer: CAL_VER,
      detectors: [ACS_SBC, { ...ACS_CCD, prepare: (root, ctx) => prepare(root, ctx, options.pctetab) }],
    },
    inputs,
    options,
  );
}
