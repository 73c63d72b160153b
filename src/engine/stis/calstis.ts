/**
 * calstis (cs0.e) for the STIS CCD on the program skeleton (program-run.ts): calstis1 of each raw file
 * into `_flt`; for a CR-SPLIT file (CRCORR = PERFORM, two image sets or more) calstis1's DQICORR, BLEVCORR,
 * BIASCORR, then calstis2 into the `_crj`, then calstis1's other steps on it (and, with EXPSCORR, on the
 * CR-flagged image sets into `_flt`). A first-order spectrum also gets the wavecal's shifts and calstis7
 * (calstis-spectro.ts); x1d is still to come. The MAMAs are calstis-mama.ts.
 */
import { join } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import type { Header } from "../../fits/index.js";
import { VERSION } from "../../version.js";
import { type ImageSetFile, readImageSetAt, readImageSetHeaders } from "../imset-io.js";
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
import { STIS_MAMA } from "./calstis-mama.js";
import { dropHstioReserved, naming, performs, upper } from "./calstis-shared.js";
import {
  hasWavecal,
  hasX1d,
  hasX2d,
  prepareSpectroscopy,
  type Spectroscopy,
  wavecalPhase,
  withWavecalShifts,
  x1dPhase,
  x2dPhase,
} from "./calstis-spectro.js";
import { CS1_STEPS, type Cs1Step, calstis1 } from "./calstis1.js";
import { calstis2 } from "./calstis2.js";
import { checkCalstis6Tables } from "./calstis6.js";
import { ReferenceCache, resolveStisReferences } from "./references.js";

export const CALSTIS_VERSION = `caldp ${VERSION} (native calstis)`;

/** Steps of the STIS tables that change pixels and are not native yet: PERFORM is refused, naming them. */
const NOT_NATIVE = ["ATODCORR", "SHADCORR", "DOPPCORR", "LORSCORR", "GLINCORR", "LFLGCORR", "RPTCORR", "GEOCORR"];

interface StisExposure extends Exposure {
  file: ImageSetFile;
  steps: Set<Cs1Step>;
  references: ReferenceNames;
  /** CRCORR = PERFORM on two image sets or more: calstis1 before and after calstis2 (cs0 calstis0.c). */
  crcorr: boolean;
  /** EXPSCORR = PERFORM: the CR-flagged image sets are calibrated into `_flt` too. */
  expscorr: boolean;
  /** calstis2's product, between the two calstis1 passes. */
  crj?: ImageSetFile;
  /** WAVECORR, X2DCORR of a spectrum. */
  spectro?: Spectroscopy;
  /** X1DCORR = PERFORM: calstis6 on the `_crj` (→ `_sx1`) or the `_flt` (→ `_x1d`). */
  x1dcorr: boolean;
}

/** The steps calstis1 runs before calstis2 (cs0 SetCs1Sw's cs1a switches); the others run after it. */
const BEFORE_CRCORR: ReadonlySet<Cs1Step> = new Set(["DQICORR", "BLEVCORR", "BIASCORR"]);
const split = (steps: ReadonlySet<Cs1Step>, before: boolean) =>
  new Set([...steps].filter((s) => BEFORE_CRCORR.has(s) === before));

const isCcd = (primary: Header) => upper(primary, "DETECTOR") === "CCD";

function prepare(root: string, { dir, env }: { dir: string; env: Env }): StisExposure | undefined {
  const raw = `${root}_raw.fits`;
  // the pixels are read by calstis1 (readPixels), after the wavecal's chain: not held through its peak
  const file = readImageSetHeaders(join(dir, raw));
  dropHstioReserved(file);
  const primary = file.primary;
  // PHOTCORR applies to images only (cs1 getflags1.c checkPhot).
  const imaging = upper(primary, "OBSTYPE") === "IMAGING";
  const steps = new Set(
    CS1_STEPS.filter((s) => s !== "STATFLAG" && (s !== "PHOTCORR" || imaging) && performs(primary, s)),
  );
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
  const trailer = [`CALSTIS (caldp ${VERSION}) processing ${raw} (CCD)`];
  const spectro = prepareSpectroscopy(primary, raw, dir, env);
  const x1dcorr = performs(primary, "X1DCORR");
  if (x1dcorr) naming(raw, () => checkCalstis6Tables(primary, env));
  const references = naming(raw, () => resolveStisReferences(primary, [...steps, ...(crcorr ? ["CRCORR"] : [])], env));
  const expscorr = crcorr && performs(primary, "EXPSCORR");
  return { root, file, steps, references, trailer, crcorr, expscorr, spectro, x1dcorr };
}

function runCs1(
  member: StisExposure,
  file: ImageSetFile,
  steps: ReadonlySet<Cs1Step>,
  ctx: ProgramContext,
  cache?: ReferenceCache,
): void {
  member.trailer.push(...naming(`${member.root}_raw.fits`, () => calstis1(file, steps, member.references, cache)));
  for (const step of steps) ctx.log(`${member.root}: ${step} COMPLETE`);
}

/** The raw's pixels into the image sets whose headers prepare read. */
function readPixels(member: StisExposure, dir: string): void {
  const path = join(dir, `${member.root}_raw.fits`);
  member.file.imsets.forEach((hdus, k) => {
    hdus.set = readImageSetAt(path, k);
  });
}

/** calstis1 of each member: all its steps into `_flt`, or for a CR-SPLIT those before calstis2. */
async function basic2dPhase(run: DetectorRun<StisExposure>, ctx: ProgramContext): Promise<void> {
  for (const member of run.members) {
    readPixels(member, ctx.dir);
    if (member.crcorr) {
      runCs1(member, member.file, split(member.steps, true), ctx);
      continue;
    }
    runCs1(member, member.file, member.steps, ctx);
    withWavecalShifts(member, member.file, `${member.root}_flt.fits`);
    ctx.writeProduct(`${member.root}_flt.fits`, member.file);
    dropPixels(member.file);
  }
}

const crSplits = (run: DetectorRun<StisExposure>) => run.members.some((m) => m.crcorr);

/** calstis2 of each CR-SPLIT member. */
async function rejectionPhase(run: DetectorRun<StisExposure>): Promise<void> {
  for (const member of run.members.filter((m) => m.crcorr)) {
    const { crj, trailer } = calstis2(member.file, member.references.CRREJTAB!, `${member.root}_raw.fits`);
    member.crj = crj;
    member.trailer.push(...trailer);
  }
}

/** calstis1's remaining steps on the `_crj`, and with EXPSCORR on the CR-flagged image sets into `_flt`. */
async function afterRejectionPhase(run: DetectorRun<StisExposure>, ctx: ProgramContext): Promise<void> {
  for (const member of run.members.filter((m) => m.crcorr)) {
    const after = split(member.steps, false);
    const cache = new ReferenceCache();
    runCs1(member, member.crj!, after, ctx, cache);
    withWavecalShifts(member, member.crj!, `${member.root}_crj.fits`);
    ctx.writeProduct(`${member.root}_crj.fits`, member.crj!);
    dropPixels(member.crj!);
    if (member.expscorr) {
      runCs1(member, member.file, after, ctx, cache);
      withWavecalShifts(member, member.file, `${member.root}_flt.fits`);
      ctx.writeProduct(`${member.root}_flt.fits`, member.file);
    }
    dropPixels(member.file);
  }
}

export const STIS_CCD: DetectorProgram<StisExposure> = {
  accepts: isCcd,
  prepare,
  workers: () => 1,
  phases: [
    { name: "WAVECAL", when: hasWavecal, run: wavecalPhase },
    { name: "CALSTIS1", run: basic2dPhase },
    { name: "CALSTIS2", when: crSplits, run: rejectionPhase },
    { name: "CALSTIS1", when: crSplits, run: afterRejectionPhase },
    { name: "CALSTIS7", when: hasX2d, run: x2dPhase },
    { name: "CALSTIS6", when: hasX1d, run: x1dPhase },
  ],
};

export const CALSTIS: ProgramDescription = {
  name: "calstis",
  instrument: "STIS",
  calVer: CALSTIS_VERSION,
  detectors: [STIS_CCD, STIS_MAMA],
};

/** Calibrates STIS raw files (or an association) in `options.dir`, like cs0.e. */
export function calstis(inputs: readonly string[], options: ProgramOptions): Promise<ProgramResult> {
  return runProgram(CALSTIS, inputs, options);
}
