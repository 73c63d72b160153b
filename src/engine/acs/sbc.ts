/**
 * calacs for the SBC (MAMA) (calibration.md §2.0, §2.13, §7): ACS2D of each raw into `_flt` (no ACSCCD,
 * no ACSREJ: CRCORR is forced OMIT), then for an RPT-OBS association ACSSUM of the flts into the product's
 * `_sfl`. The images are 1024 × 1024, so the work stays on the calling thread.
 */
import { join } from "node:path";
import { sumKeywords, sumRepeats, sumStatistics } from "../../calib/acs/acssum.js";
import { ACS_BPIXTAB_COLUMNS } from "../../calib/acs/dqicorr.js";
import { type SbcKeywords, type SbcReferences, type SbcSwitches, sbc2d } from "../../calib/acs/sbc-2d.js";
import { MLINTAB_COLUMNS } from "../../calib/acs/sbc-nonlin.js";
import { ACS_SBC_STEPS } from "../../calib/acs/steps.js";
import { CalibrationError } from "../../calib/common/errors.js";
import { stepLogLine, stepSections } from "../../calib/common/step-trailer.js";
import { anythingToDo, isOptionalReference, neededReferences, type StepRecord } from "../../calib/common/steps.js";
import { effectiveSwitch, readSwitch } from "../../calib/common/switches.js";
import type { Header } from "../../fits/index.js";
import { VERSION } from "../../version.js";
import { addHistory, applyKeywords, applyPrimary } from "../headers.js";
import { type ImageSetFile, readImageSetFile } from "../imset-io.js";
import { type ProductPlan, type ProgramPlan, readRawPrimary, writeTrailer } from "../program.js";
import { cloneImageSetFile, resolveReferenceNames, writeProduct } from "../program-files.js";
import type { Env } from "../reference-files.js";
import { readSwitches, twoDKeywords } from "./keywords.js";
import { LoadedReferences, type ReferenceNames } from "./references.js";

const CAL_VER = `caldp ${VERSION} (native calacs)`;

export interface SbcRunOptions {
  dir: string;
  env: Env;
  log: (line: string) => void;
}

/** Whether the planned exposures are SBC data (the first raw says DETECTOR = 'SBC'). */
export function isSbcInput(dir: string, roots: readonly string[]): boolean {
  if (roots.length === 0) return false;
  const detector = readRawPrimary(dir, roots[0]).get("DETECTOR");
  return (
    String(detector ?? "")
      .trim()
      .toUpperCase() === "SBC"
  );
}

export function sbcSwitches(primary: Header): SbcSwitches {
  const state = (name: string) => effectiveSwitch(name, readSwitch(name, primary.get(name)));
  return { ...readSwitches(primary), glincorr: state("GLINCORR"), lflgcorr: state("LFLGCORR") };
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

interface Flt {
  root: string;
  file: ImageSetFile;
  trailer: string[];
}

/** ACS2D of one SBC raw file into its flt (written) and trailer; the calibrated file is returned. */
function calibrateExposure(options: SbcRunOptions, root: string, loaded: LoadedReferences): Flt | undefined {
  const { dir, env, log } = options;
  const raw = join(dir, `${root}_raw.fits`);
  const file = readImageSetFile(raw);
  const switches = sbcSwitches(file.primary);
  const trailer = [`CALACS (caldp ${VERSION}) processing ${root}_raw.fits (SBC)`];
  if (!anythingToDo(ACS_SBC_STEPS, switches)) return undefined;
  const optional = (keyword: string) => isOptionalReference(ACS_SBC_STEPS, keyword, () => false);
  const names = resolveReferenceNames(file.primary, neededReferences(ACS_SBC_STEPS, switches), optional, env);
  const references = loadReferences(loaded, names);
  try {
    calibrateImageSets(file, switches, references, trailer).forEach((steps, k) => {
      for (const step of steps) log(stepLogLine(step, `${root}_flt.fits imset ${k + 1}`));
    });
  } catch (e) {
    if (e instanceof CalibrationError)
      throw new CalibrationError(e.code, `${root}_raw.fits: ${e.message}`, { step: e.step });
    throw e;
  }
  writeProduct(dir, `${root}_flt.fits`, file, CAL_VER);
  writeTrailer(dir, `${root}.tra`, trailer);
  return { root, file, trailer };
}

/** ACS2D of every image set; the trailer gets the steps' sections and the other HISTORY; returns the steps. */
function calibrateImageSets(
  file: ImageSetFile,
  switches: SbcSwitches,
  references: SbcReferences,
  trailer: string[],
): StepRecord[][] {
  return file.imsets.map((hdus, k) => {
    const updates = sbc2d({
      science: hdus.set,
      firstImset: k === 0,
      switches,
      keywords: keywordsOf(file.primary, hdus.sci),
      references,
    });
    applyPrimary(file.primary, updates);
    applyKeywords(hdus.sci, updates.sci);
    applyKeywords(hdus.err, updates.err);
    applyKeywords(hdus.dq, updates.dq);
    const stepLines = new Set(updates.steps.flatMap((s) => s.history));
    trailer.push(...updates.history.filter((line) => !stepLines.has(line)));
    if (updates.steps.length > 0) trailer.push(`ACS2D imset ${k + 1}`, ...stepSections(updates.steps));
    trailer.push(...updates.warnings);
    return updates.steps;
  });
}

/** ACSSUM of the flts (chips matched by CCDCHIP) into `<product>_sfl.fits`; returns its trailer lines. */
function sumProduct(dir: string, flts: Flt[], product: ProductPlan): string[] {
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
  writeProduct(dir, `${product.root}_sfl.fits`, sfl, CAL_VER);
  const from = flts.map((f) => `${f.root}_flt.fits`).join(" ");
  return [
    `CALACS (caldp ${VERSION}) ACSSUM ${from} -> ${product.root}_sfl.fits`,
    ...updates.history,
    ...updates.warnings,
  ];
}

/** The SBC path of calacs; returns the products written and the exposures with nothing to do. */
export function calacsSbc(plan: ProgramPlan, options: SbcRunOptions): { outputs: string[]; nothingToDo: string[] } {
  const { dir, log } = options;
  const { association, roots } = plan;
  const outputs: string[] = [];
  const nothingToDo: string[] = [];
  const loaded = new LoadedReferences();
  const flts: Flt[] = [];
  for (const root of roots) {
    log(`ACS2D (SBC): ${root}_raw.fits`);
    const flt = calibrateExposure(options, root, loaded);
    if (!flt) {
      log(`${root}: no calibration switch is PERFORM: nothing to do`);
      nothingToDo.push(root);
      continue;
    }
    flts.push(flt);
    outputs.push(`${root}_flt.fits`);
  }
  const product = association?.product;
  // The association's EXP-RPT members decide, not the raws' RPTCORR (calacs.e acstable.c).
  if (association?.rptcorr && product && flts.length >= 2) {
    log(`ACSSUM: ${flts.map((f) => f.root).join(" ")} -> ${product.name}_sfl.fits`);
    const trailer = sumProduct(dir, flts, { root: product.name, mtype: product.type.toUpperCase() });
    for (const line of trailer.slice(1)) if (line.includes("NRPTEXP")) log(`WARNING: ${line}`);
    writeTrailer(dir, `${product.name}.tra`, trailer);
    outputs.push(`${product.name}_sfl.fits`);
  }
  for (const name of outputs) log(`wrote ${name}`);
  return { outputs, nothingToDo };
}
