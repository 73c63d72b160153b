/**
 * calstis (cs0.e) for the STIS CCD on the program skeleton (program-run.ts): calstis1 of each raw file
 * into `_flt`. A CR-SPLIT file (CRCORR = PERFORM, two image sets or more) needs calstis2 (ocrreject) and
 * is refused until it is native. MAMA, wavecal, x2d and x1d are phases still to come.
 */
import { join } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import { effectiveSwitch, readSwitch } from "../../calib/common/switches.js";
import type { Header } from "../../fits/index.js";
import { VERSION } from "../../version.js";
import { type ImageSetFile, readImageSetFile } from "../imset-io.js";
import { dropPixels } from "../program.js";
import type { ReferenceNames } from "../program-files.js";
import {
  type DetectorProgram,
  type DetectorRun,
  type Exposure,
  type ProgramContext,
  type ProgramDescription,
  type ProgramOptions,
  type ProgramResult,
  runProgram,
} from "../program-run.js";
import type { Env } from "../reference-files.js";
import { CS1_STEPS, type Cs1Step, calstis1 } from "./calstis1.js";
import { resolveStisReferences } from "./references.js";

export const CALSTIS_VERSION = `caldp ${VERSION} (native calstis)`;

/** Steps of the STIS tables that change pixels and are not native yet: PERFORM is refused, naming them. */
const NOT_NATIVE = ["ATODCORR", "SHADCORR", "DOPPCORR", "LORSCORR", "GLINCORR", "LFLGCORR", "GEOCORR", "X2DCORR"];

interface StisExposure extends Exposure {
  file: ImageSetFile;
  steps: Set<Cs1Step>;
  references: ReferenceNames;
}

const upper = (h: Header, k: string) =>
  String(h.get(k) ?? "")
    .trim()
    .toUpperCase();
const isCcd = (primary: Header) => upper(primary, "DETECTOR") === "CCD";

function performs(primary: Header, name: string): boolean {
  if (name === "STATFLAG") return primary.get("STATFLAG") !== false;
  return effectiveSwitch(name, readSwitch(name, primary.get(name))) === "PERFORM";
}

function prepare(root: string, { dir, env }: { dir: string; env: Env }): StisExposure | undefined {
  const raw = `${root}_raw.fits`;
  const file = readImageSetFile(join(dir, raw));
  const primary = file.primary;
  const steps = new Set(CS1_STEPS.filter((s) => s !== "STATFLAG" && performs(primary, s)));
  const crcorr = performs(primary, "CRCORR") && file.imsets.length > 1;
  if (steps.size === 0 && !crcorr) return undefined;
  if (performs(primary, "STATFLAG")) steps.add("STATFLAG");
  const other = NOT_NATIVE.filter((s) => performs(primary, s));
  if (other.length > 0) {
    throw new CalibrationError(
      "CAL_STEP_NOT_DONE",
      `${raw}: ${other.join(", ")} = PERFORM is not in the native calstis yet`,
    );
  }
  if (crcorr) {
    throw new CalibrationError(
      "CAL_STEP_NOT_DONE",
      `${raw}: CRCORR = PERFORM on ${file.imsets.length} image sets: calstis2 (ocrreject, _crj) is not in the native engine yet`,
      { step: "CRCORR" },
    );
  }
  let references: ReferenceNames;
  try {
    references = resolveStisReferences(primary, [...steps], env);
  } catch (e) {
    if (e instanceof CalibrationError) throw new CalibrationError(e.code, `${raw}: ${e.message}`, { step: e.step });
    throw e;
  }
  const trailer = [`CALSTIS (caldp ${VERSION}) processing ${raw} (CCD)`];
  if (performs(primary, "PHOTCORR")) trailer.push("PHOTCORR: not in the native calstis yet: no PHOTFLAM keywords");
  return { root, file, steps, references, trailer };
}

/** calstis1 of each member into its `_flt`, written as soon as it is done. */
async function basic2dPhase(run: DetectorRun<StisExposure>, ctx: ProgramContext): Promise<void> {
  for (const member of run.members) {
    member.trailer.push(...calstis1(member.file, member.steps, member.references));
    for (const step of member.steps) ctx.log(`${member.root}: ${step} COMPLETE`);
    ctx.writeProduct(`${member.root}_flt.fits`, member.file);
    dropPixels(member.file);
  }
}

export const STIS_CCD: DetectorProgram<StisExposure> = {
  accepts: isCcd,
  prepare,
  workers: () => 1,
  phases: [{ name: "CALSTIS1", run: basic2dPhase }],
};

export const CALSTIS: ProgramDescription = {
  name: "calstis",
  instrument: "STIS",
  calVer: CALSTIS_VERSION,
  detectors: [STIS_CCD],
};

/** Calibrates STIS raw files (or an association) in `options.dir`, like cs0.e. */
export function calstis(inputs: readonly string[], options: ProgramOptions): Promise<ProgramResult> {
  return runProgram(CALSTIS, inputs, options);
}
