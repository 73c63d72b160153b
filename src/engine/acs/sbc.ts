/**
 * calacs for the SBC (MAMA) (calibration.md §2.0, §2.13, §7): ACS2D of each raw into `_flt` (no ACSCCD,
 * no ACSREJ: CRCORR is forced OMIT), then for an RPT-OBS association ACSSUM of the flts into the product's
 * `_sfl`. Image sets are calibrated on the program's pool (sbcTask), each flt written as soon as it is done;
 * their pixels are kept only when ACSSUM follows.
 */
import { join } from "node:path";
import { sumKeywords, sumRepeats, sumStatistics } from "../../calib/acs/acssum.js";
import { ACS_BPIXTAB_COLUMNS } from "../../calib/acs/dqicorr.js";
import type { SbcKeywords, SbcReferences, SbcSwitches } from "../../calib/acs/sbc-2d.js";
import { MLINTAB_COLUMNS } from "../../calib/acs/sbc-nonlin.js";
import { ACS_SBC_STEPS } from "../../calib/acs/steps.js";
import { CalibrationError } from "../../calib/common/errors.js";
import { stepLogLine, stepSections } from "../../calib/common/step-trailer.js";
import { anythingToDo, isOptionalReference, neededReferences } from "../../calib/common/steps.js";
import { effectiveSwitch, readSwitch } from "../../calib/common/switches.js";
import type { Header } from "../../fits/index.js";
import { VERSION } from "../../version.js";
import { addHistory, applyKeywords, applyPrimary } from "../headers.js";
import { type ImageSetFile, readImageSetFile } from "../imset-io.js";
import { dropPixels, runProductRound } from "../program.js";
import { cloneImageSetFile, resolveReferenceNames } from "../program-files.js";
import type { DetectorProgram, DetectorRun, Exposure, ProgramContext } from "../program-run.js";
import type { Env } from "../reference-files.js";
import { taskModule } from "../worker-pool.js";
import { readSwitches, twoDKeywords } from "./keywords.js";
import { LoadedReferences, type ReferenceNames } from "./references.js";
import type { SbcTaskArgs, SbcTaskResult } from "./sbc-tasks.js";

const sbcTask = taskModule<typeof import("./sbc-tasks.js")>(new URL("./sbc-tasks.js", import.meta.url))("sbcTask");

const isSbc = (primary: Header) =>
  String(primary.get("DETECTOR") ?? "")
    .trim()
    .toUpperCase() === "SBC";

export function sbcSwitches(primary: Header): SbcSwitches {
  const state = (name: string) => effectiveSwitch(name, readSwitch(name, primary.get(name)));
  return { ...readSwitches(primary), GLINCORR: state("GLINCORR"), LFLGCORR: state("LFLGCORR") };
}

function loadReferences(loaded: LoadedReferences, names: ReferenceNames): SbcReferences {
  return {
    bpixtab: loaded.table("BPIXTAB", names.BPIXTAB, ACS_BPIXTAB_COLUMNS),
    mlintab: loaded.table("MLINTAB", names.MLINTAB, MLINTAB_COLUMNS),
    dark: loaded.image("DARKFILE", names.DARKFILE),
    flats: { pflt: loaded.image("PFLTFILE", names.PFLTFILE) },
    imphttab: loaded.imphttab(names.IMPHTTAB),
  };
}

function keywordsOf(primary: Header, sci: Header): SbcKeywords {
  return {
    ...twoDKeywords(primary, sci),
    globrate: sci.has("GLOBRATE") ? sci.getNumber("GLOBRATE") : undefined,
    ccdamp: String(primary.get("CCDAMP") ?? "").trim(),
    ccdgain: primary.getNumber("CCDGAIN", 1),
  };
}

interface Flt extends Exposure {
  file: ImageSetFile;
  switches: SbcSwitches;
  references: ReferenceNames;
}

/** Reads an SBC raw and resolves its references; undefined when no switch is PERFORM. */
function prepare(root: string, { dir, env }: { dir: string; env: Env }): Flt | undefined {
  const file = readImageSetFile(join(dir, `${root}_raw.fits`));
  const switches = sbcSwitches(file.primary);
  if (!anythingToDo(ACS_SBC_STEPS, switches)) return undefined;
  const optional = (keyword: string) => isOptionalReference(ACS_SBC_STEPS, keyword, () => false);
  const references = resolveReferenceNames(file.primary, neededReferences(ACS_SBC_STEPS, switches), optional, env);
  return { root, file, switches, references, trailer: [`CALACS (caldp ${VERSION}) processing ${root}_raw.fits (SBC)`] };
}

function sbcTasks(flt: Flt, references: SbcReferences): SbcTaskArgs[] {
  return flt.file.imsets.map((hdus, k) => ({
    raw: `${flt.root}_raw.fits`,
    science: hdus.set,
    firstImset: k === 0,
    switches: flt.switches,
    keywords: keywordsOf(flt.file.primary, hdus.sci),
    references,
  }));
}

/** The results into the flt's headers; the trailer gets the steps' sections and the other HISTORY. */
function applySbc2d(flt: Flt, results: readonly SbcTaskResult[], log: (line: string) => void): void {
  results.forEach(({ science, updates }, k) => {
    const hdus = flt.file.imsets[k];
    hdus.set = science;
    applyPrimary(flt.file.primary, updates);
    applyKeywords(hdus.sci, updates.sci);
    applyKeywords(hdus.err, updates.err);
    applyKeywords(hdus.dq, updates.dq);
    const stepLines = new Set(updates.steps.flatMap((s) => s.history));
    flt.trailer.push(...updates.history.filter((line) => !stepLines.has(line)));
    if (updates.steps.length > 0) flt.trailer.push(`ACS2D imset ${k + 1}`, ...stepSections(updates.steps));
    flt.trailer.push(...updates.warnings);
    for (const step of updates.steps) log(stepLogLine(step, `${flt.root}_flt.fits imset ${k + 1}`));
  });
}

/** ACS2D of every image set of the members on the pool; each flt is written as soon as it is done. */
async function twoDPhase(run: DetectorRun<Flt>, ctx: ProgramContext): Promise<void> {
  const loaded = new LoadedReferences();
  const summed = sums(run);
  const round = run.members.map((flt) => ({
    args: sbcTasks(flt, loadReferences(loaded, flt.references)),
    finish: (results: SbcTaskResult[]) => {
      applySbc2d(flt, results, ctx.log);
      ctx.writeProduct(`${flt.root}_flt.fits`, flt.file);
      if (!summed) dropPixels(flt.file);
    },
  }));
  await runProductRound(ctx.pool, sbcTask, round);
}

/** Whether the association's product is an ACSSUM of the flts (RPT-OBS with RPTCORR = PERFORM). */
/** The association's EXP-RPT members decide, not the raws' RPTCORR (calacs.e acstable.c). */
function sums({ association, product, members }: DetectorRun<Flt>): boolean {
  return Boolean(association?.rptcorr && product && members.length >= 2);
}

/** ACSSUM of the flts (chips matched by CCDCHIP) into `<product>_sfl.fits`; returns its trailer lines. */
function sumProduct(flts: Flt[], product: { root: string; mtype: string }, ctx: ProgramContext): string[] {
  const first = flts[0]!.file;
  const sfl = cloneImageSetFile(first);
  const sdqflags = first.primary.getInt("SDQFLAGS", 65535);
  const updates = sumKeywords({
    exptimes: flts.map((f) => f.file.primary.getNumber("EXPTIME")),
    expends: flts.map((f) => f.file.primary.getNumber("EXPEND", 0)),
    nrptexp: first.primary.getInt("NRPTEXP", flts.length),
    nimsets: sfl.imsets.length,
    productRoot: product.root,
    asnMtyp: product.mtype,
  });
  for (const hdus of sfl.imsets) {
    const chips = flts.map((f) => {
      const match = f.file.imsets.find((h) => h.set.chip === hdus.set.chip);
      if (!match) throw new CalibrationError("SIZE_MISMATCH", `${f.root}_flt.fits has no CCDCHIP ${hdus.set.chip}`);
      return match.set;
    });
    hdus.set = sumRepeats(chips);
    const stats = sumStatistics(hdus.set, sdqflags);
    applyKeywords(hdus.sci, { ...stats.sci, ...updates.sci });
    applyKeywords(hdus.err, { ...stats.err, ...updates.err });
    applyKeywords(hdus.dq, updates.dq);
  }
  applyKeywords(sfl.primary, updates.primary);
  addHistory(sfl.primary, updates.history);
  ctx.writeProduct(`${product.root}_sfl.fits`, sfl);
  const from = flts.map((f) => `${f.root}_flt.fits`).join(" ");
  return [
    `CALACS (caldp ${VERSION}) ACSSUM ${from} -> ${product.root}_sfl.fits`,
    ...updates.history,
    ...updates.warnings,
  ];
}

/** ACSSUM of the flts into the product's `_sfl`. */
async function sumPhase(run: DetectorRun<Flt>, ctx: ProgramContext): Promise<void> {
  const trailer = sumProduct(run.members, run.product!, ctx);
  for (const line of trailer.slice(1)) if (line.includes("NRPTEXP")) ctx.log(`WARNING: ${line}`);
  run.productTrailer = trailer;
  for (const flt of run.members) dropPixels(flt.file);
}

/** The SBC (MAMA): ACS2D of each exposure, ACSSUM of an RPT-OBS association. */
export const ACS_SBC: DetectorProgram<Flt> = {
  accepts: isSbc,
  prepare,
  workers: (members) => members.reduce((n, m) => n + m.file.imsets.length, 0),
  phases: [
    { name: "ACS2D", run: twoDPhase },
    {
      name: "ACSSUM",
      when: sums,
      on: ({ members, product }) => `${members.map((m) => m.root).join(" ")} -> ${product!.root}_sfl.fits`,
      run: sumPhase,
    },
  ],
};
