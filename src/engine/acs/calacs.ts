/**
 * calacs: calibrates ACS CCD exposures and associations like hstcal's calacs.e (calibration.md §2.0, §7):
 * ACSCCD for every exposure, ACSREJ for a CR-SPLIT / RPT-OBS product, ACS2D for every exposure (`_flt`) and
 * for the product (`_crj`). Pixel work runs on one pool of worker threads (exposures, then chips, then image
 * sets), which also read the raw pixels and the reference images (into shared memory, one copy for all);
 * headers are read and products written here, each as soon as it is done (under a temporary name, renamed
 * when complete).
 */
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { Acs2dReferences } from "../../calib/acs/acs2d.js";
import type { AcsCcdResult } from "../../calib/acs/acsccd.js";
import type { ImageSet } from "../../calib/common/imset.js";
import { historySections, imsetSections, stepLogLine } from "../../calib/common/step-trailer.js";
import type { StepUpdates } from "../../calib/common/steps.js";
import { VERSION } from "../../version.js";
import { combineMembers } from "../cr-combine.js";
import { applyGeometry, applyKeywords, applyPrimary, setKeyword } from "../headers.js";
import { type ImageSetFile, readImageSetHeaders } from "../imset-io.js";
import {
  dropPixels,
  type ProductPlan,
  planInputs,
  requireInstrument,
  runProductRound,
  timedPhase,
  writeTrailer,
} from "../program.js";
import { writeProduct } from "../program-files.js";
import type { Env } from "../reference-files.js";
import { collectGarbage, taskModule, WorkerPool } from "../worker-pool.js";
import { type AcsSwitches, anythingToDo, ccdExposure, readSwitches, twoDKeywords } from "./keywords.js";
import { LoadedReferences, type ReferenceNames, resolveReferences } from "./references.js";
import { calacsSbc, isSbcInput } from "./sbc.js";
import type { CcdTaskArgs, TwoDTaskArgs } from "./tasks.js";

export const CAL_VER = `caldp ${VERSION} (native calacs)`;
const acsTask = taskModule<typeof import("./tasks.js")>(new URL("./tasks.js", import.meta.url));

export interface CalacsOptions {
  /** Folder of the inputs and outputs. */
  dir: string;
  env: Env;
  /** One line of the trailer / log. */
  log: (line: string) => void;
  /** Worker threads (default: the machine's cores). */
  workers?: number;
}

interface Member {
  root: string;
  raw: string;
  file: ImageSetFile;
  switches: AcsSwitches;
  references: ReferenceNames;
  trailer: string[];
  ccd?: AcsCcdResult;
}

export interface CalacsResult {
  /** Files written (basenames). */
  outputs: string[];
  /** Exposures skipped with nothing to do. */
  nothingToDo: string[];
}

/** The raw file's headers: the ACSCCD workers read its pixels. */
function readRaw(dir: string, root: string): ImageSetFile {
  return readImageSetHeaders(join(dir, `${root}_raw.fits`));
}

function ccdTasks(members: Member[], references: LoadedReferences, dir: string): CcdTaskArgs[] {
  return members.map((m) => ({
    raw: join(dir, m.raw),
    sdqflags: m.file.imsets.map((i) => i.sci.getInt("SDQFLAGS", 65535)),
    exposure: ccdExposure(m.file.primary),
    switches: m.switches,
    references: references.ccd(m.references),
  }));
}

/** The member headers after ACSCCD: primary and extension updates applied, geometry of the trimmed image. */
function applyCcd(member: Member): void {
  const ccd = member.ccd!;
  applyPrimary(member.file.primary, ccd);
  ccd.imsets.forEach((result, k) => {
    const hdus = member.file.imsets[k];
    hdus.set = result.set;
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
  return { ...member.switches, dqicorr: member.switches.dqicorr === "PERFORM" ? "OMIT" : member.switches.dqicorr };
}

function twoDTasks(
  file: ImageSetFile,
  switches: AcsSwitches,
  references: Acs2dReferences,
  ccd?: AcsCcdResult,
): TwoDTaskArgs[] {
  return file.imsets.map((hdus, k) => ({
    science: hdus.set,
    firstImset: k === 0,
    switches,
    keywords: twoDKeywords(file.primary, hdus.sci),
    references,
    ccd: ccd?.imsets[k]?.parameters,
  }));
}

function applyTwoD(file: ImageSetFile, results: TwoDResult[]): string[] {
  const warnings: string[] = [];
  results.forEach(({ science, updates }, k) => {
    const hdus = file.imsets[k];
    hdus.set = science;
    applyPrimary(file.primary, updates);
    applyKeywords(hdus.sci, updates.sci);
    applyKeywords(hdus.err, updates.err);
    applyKeywords(hdus.dq, updates.dq);
    warnings.push(...updates.warnings);
  });
  return warnings;
}

/** ACSREJ of every chip of the members; returns the product file (headers from the first exposed member). */
function combine(members: Member[], product: ProductPlan, pool: WorkerPool): Promise<ImageSetFile> {
  return combineMembers({
    members: members.map((m) => m.file),
    product,
    crrejRows: new LoadedReferences().crrejRows(members[0].references),
    flashdurs: members.map((m) => (m.switches.flshcorr === "PERFORM" ? m.file.primary.getNumber("FLASHDUR", 0) : 0)),
    darktime: (p) => p.getNumber("DARKTIME", 0),
    task: acsTask("rejectTask"),
    args: (_k, common) => common,
    pool,
  });
}

export async function calacs(inputs: string[], options: CalacsOptions): Promise<CalacsResult> {
  const { dir, env, log } = options;
  const planned = planInputs("calacs", inputs, dir);
  requireInstrument("calacs", "ACS", dir, planned.roots);
  if (isSbcInput(dir, planned.roots)) return calacsSbc(planned, { dir, env, log });
  const { roots, product } = planned;
  const members: Member[] = [];
  const nothingToDo: string[] = [];
  for (const root of roots) {
    const file = readRaw(dir, root);
    const switches = readSwitches(file.primary);
    const trailer = [`CALACS (caldp ${VERSION}) processing ${root}_raw.fits`];
    if (switches.pctecorr === "PERFORM") {
      trailer.push("PCTECORR: pixel-based CTE correction is not in the native engine yet: no _flc/_crc products");
      switches.pctecorr = "OMIT";
    }
    if (!anythingToDo(switches)) {
      log(`${root}: no calibration switch is PERFORM: nothing to do`);
      nothingToDo.push(root);
      continue;
    }
    const references = resolveReferences(file.primary, switches, env);
    members.push({ root, raw: `${root}_raw.fits`, file, switches, references, trailer });
  }
  const outputs: string[] = [];
  if (members.length === 0) return { outputs, nothingToDo };
  const most = members.reduce((n, m) => n + m.file.imsets.length, 0) + (product ? 2 : 0);
  const pool = new WorkerPool(Math.min(options.workers ?? availableParallelism(), most));
  try {
    await calibrate(members, product, pool, { dir, log, outputs });
  } finally {
    await pool.close();
  }
  for (const name of outputs) log(`wrote ${name}`);
  return { outputs, nothingToDo };
}

/** ACSCCD of every member (the references it loads are dropped on return). */
async function ccdStep(members: Member[], pool: WorkerPool, dir: string): Promise<AcsCcdResult[]> {
  const references = new LoadedReferences();
  await references.preload(
    pool,
    "ccd",
    members.map((m) => m.references),
  );
  return pool.run(acsTask("ccdTask"), ccdTasks(members, references, dir));
}

/** ACSCCD, ACSREJ and ACS2D of the members on the pool's threads; the products' names go to `outputs`. */
async function calibrate(
  members: Member[],
  product: ProductPlan | undefined,
  pool: WorkerPool,
  { dir, log, outputs }: { dir: string; log: (line: string) => void; outputs: string[] },
): Promise<void> {
  const raws = members.map((m) => m.raw).join(" ");
  log(`ACSCCD: ${raws}`);
  const ccdPhase = await timedPhase("ACSCCD", raws, log, () => ccdStep(members, pool, dir));
  const ccd = ccdPhase.value;
  collectGarbage();
  members.forEach((m, n) => {
    m.ccd = ccd[n];
    applyCcd(m);
    for (const step of ccd[n].steps) log(stepLogLine(step, m.raw));
    m.trailer.push(...historySections(ccd[n].history, ccd[n].steps), ccdPhase.line);
  });

  let crj: ImageSetFile | undefined;
  let rejLine: string | undefined;
  if (product && members.length >= 2 && members[0].switches.crcorr === "PERFORM") {
    const on = `${members.map((m) => m.root).join(" ")} -> ${product.root}_crj.fits`;
    log(`ACSREJ: ${on}`);
    ({ value: crj, line: rejLine } = await timedPhase("ACSREJ", on, log, () => combine(members, product, pool)));
    collectGarbage();
  }

  log("ACS2D");
  const products: Product[] = members.map((m) => ({
    file: m.file,
    name: `${m.root}_flt.fits`,
    trailerName: `${m.root}.tra`,
    trailer: m.trailer,
  }));
  const references = new LoadedReferences();
  await references.preload(
    pool,
    "twoD",
    members.map((m) => m.references),
  );
  const twoD = members.map((m) => twoDTasks(m.file, twoDSwitches(m), references.twoD(m.references), m.ccd));
  if (crj && product) {
    const from = members.map((m) => m.root).join(" ");
    const trailer = [`CALACS (caldp ${VERSION}) product ${product.root}_crj.fits from ${from}`, rejLine!];
    products.push({ file: crj, name: `${product.root}_crj.fits`, trailerName: `${product.root}.tra`, trailer });
    twoD.push(twoDTasks(crj, twoDSwitches(members[0]), references.twoD(members[0].references), members[0].ccd));
  }
  await twoDStep(products, twoD, pool, { dir, log });
  outputs.push(...products.map((p) => p.name));
}

interface Product {
  file: ImageSetFile;
  name: string;
  trailerName: string;
  trailer: string[];
}

/**
 * ACS2D of every image set of the products (tasks in product order). Each product is written as soon as its
 * image sets are done, while the workers go on, and its pixels are dropped.
 */
async function twoDStep(
  products: Product[],
  tasks: TwoDTaskArgs[][],
  pool: WorkerPool,
  { dir, log }: { dir: string; log: (line: string) => void },
): Promise<void> {
  const round = products.map((p, n) => ({
    args: tasks[n]!,
    finish: (done: TwoDResult[]) => {
      done.forEach((r, k) => {
        for (const step of r.updates.steps) log(stepLogLine(step, `${p.name} imset ${k + 1}`));
      });
      p.trailer.push(
        ...imsetSections(
          "ACS2D",
          done.map((r) => r.updates.steps),
        ),
      );
      p.trailer.push(...applyTwoD(p.file, done));
      writeProduct(dir, p.name, p.file, CAL_VER);
      writeTrailer(dir, p.trailerName, p.trailer);
      dropPixels(p.file);
    },
  }));
  await runProductRound(pool, acsTask("twoDTask"), round);
}

type TwoDResult = { science: ImageSet; updates: StepUpdates };
