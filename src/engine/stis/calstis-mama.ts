/**
 * calstis (cs0.e) for the STIS MAMAs on the program skeleton: calstis1 of each raw image into `_flt`
 * (calstis1-mama.ts), and with RPTCORR on two image sets or more calstis8's sum into `_sfl` (calstis8.ts).
 * CRCORR is omitted with a warning, as cs0 does for a MAMA. A first-order spectrum (a G… grating) gets, in
 * cs0's order, the wavecal chain on its MAMA `_wav` (calstis1, calstis7, calstis4), the shifts in the `_flt`
 * (calstis12), calstis7 into `_x2d` and calstis6 into `_x1d` (calstis-spectro.ts). Doppler convolution,
 * high-res images and prism spectra are refused by name when asked for; an echelle spectrum gets its WAVECORR
 * (calstis-echelle.ts), its X2DCORR and X1DCORR are refused by name.
 */
import { join } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import type { Header } from "../../fits/index.js";
import { VERSION } from "../../version.js";
import type { ImageSetFile } from "../imset-io.js";
import { readImageSetFile } from "../imset-io.js";
import { dropPixels } from "../program.js";
import type { ReferenceNames } from "../program-files.js";
import type { DetectorProgram, DetectorRun, Exposure, ProgramContext } from "../program-run.js";
import type { Env } from "../reference-files.js";
import { prepareEchelle } from "./calstis-echelle.js";
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
import { calstis1Mama, MAMA_STEPS, type MamaStep } from "./calstis1-mama.js";
import { checkCalstis6Tables } from "./calstis6.js";
import { checkEchelleTables } from "./calstis6-echelle.js";
import { calstis8 } from "./calstis8.js";
import { mamaDoppler } from "./mama-doppler.js";
import { resolveStisReferences } from "./references.js";

/** Switches a MAMA raw may carry that change pixels and are not native (or not MAMA steps): PERFORM is refused. */
const NOT_NATIVE = ["ATODCORR", "BLEVCORR", "BIASCORR", "SHADCORR", "GEOCORR"];

interface MamaExposure extends Exposure {
  file: ImageSetFile;
  steps: Set<MamaStep>;
  references: ReferenceNames;
  /** RPTCORR = PERFORM on two image sets or more: the flt's image sets summed into `_sfl`. */
  rptcorr: boolean;
  /** WAVECORR, X2DCORR of a first-order spectrum. */
  spectro?: Spectroscopy;
  x1dcorr: boolean;
  /** An echelle: calstis6 extracts one row per order (calstis6-echelle.ts). */
  echelle?: boolean;
  /** Never: a MAMA has no CR-SPLIT (calstis-spectro.ts reads the `_flt`). */
  crcorr: false;
}

const isMama = (primary: Header) => upper(primary, "DETECTOR").endsWith("-MAMA");

/** The spectroscopic steps of a MAMA raw: first-order gratings only (G140L, G140M, G230L, G230M). */
function prepareMamaSpectroscopy(primary: Header, raw: string, dir: string, env: Env) {
  const spectroscopic = upper(primary, "OBSTYPE") === "SPECTROSCOPIC";
  const optElem = upper(primary, "OPT_ELEM");
  const asked = ["WAVECORR", "X2DCORR", "X1DCORR"].filter((s) => performs(primary, s));
  if (spectroscopic && optElem.startsWith("E")) {
    const spectro = prepareEchelle(primary, raw, dir, env);
    const x1dcorr = performs(primary, "X1DCORR");
    if (x1dcorr) naming(raw, () => checkEchelleTables(primary, env));
    return { spectro, x1dcorr, echelle: true };
  }
  if (spectroscopic && asked.length > 0 && !optElem.startsWith("G")) {
    throw new CalibrationError(
      "CAL_STEP_NOT_DONE",
      `${raw}: OPT_ELEM = '${optElem}': ${asked.join(", ")} of a MAMA echelle or prism spectrum is not native yet`,
      { step: asked[0] },
    );
  }
  const spectro = prepareSpectroscopy(primary, raw, dir, env);
  const x1dcorr = spectroscopic && performs(primary, "X1DCORR");
  if (x1dcorr) naming(raw, () => checkCalstis6Tables(primary, env));
  return { spectro, x1dcorr };
}

function prepare(root: string, { dir, env }: { dir: string; env: Env }): MamaExposure | undefined {
  const raw = `${root}_raw.fits`;
  const file = readImageSetFile(join(dir, raw));
  dropHstioReserved(file);
  const primary = file.primary;
  const detector = upper(primary, "DETECTOR");
  const imaging = upper(primary, "OBSTYPE") === "IMAGING";
  const steps = new Set(
    MAMA_STEPS.filter((s) => s !== "STATFLAG" && (s !== "PHOTCORR" || imaging) && performs(primary, s)),
  );
  const rptcorr = performs(primary, "RPTCORR") && file.imsets.length > 1;
  const { spectro, x1dcorr, echelle } = prepareMamaSpectroscopy(primary, raw, dir, env);
  if (steps.size === 0 && !rptcorr && !spectro && !x1dcorr) return undefined;
  if (performs(primary, "STATFLAG")) steps.add("STATFLAG");
  const other = NOT_NATIVE.filter((s) => performs(primary, s));
  if (other.length > 0) {
    throw new CalibrationError(
      "CAL_STEP_NOT_DONE",
      `${raw}: ${other.join(", ")} = PERFORM is not in the native calstis for the ${detector} yet`,
    );
  }
  // the Doppler keywords checked before anything is written (calstis1 reads them per image set)
  if (performs(primary, "DOPPCORR")) for (const i of file.imsets) naming(raw, () => mamaDoppler(primary, i.sci));
  const references = naming(raw, () => resolveStisReferences(primary, [...steps], env, detector));
  const trailer = [`CALSTIS (caldp ${VERSION}) processing ${raw} (${detector})`];
  if (performs(primary, "CRCORR")) trailer.push("Warning  CRCORR will be omitted because detector is MAMA.");
  if (performs(primary, "RPTCORR") && !rptcorr)
    trailer.push("Warning  RPTCORR will be omitted because there's only one imset.");
  return { root, file, steps, references, trailer, rptcorr, spectro, x1dcorr, echelle, crcorr: false };
}

async function basic2dPhase(run: DetectorRun<MamaExposure>, ctx: ProgramContext): Promise<void> {
  for (const member of run.members) {
    const raw = `${member.root}_raw.fits`;
    const lines = naming(raw, () => calstis1Mama(member.file, member.steps, member.references));
    member.trailer.push(...lines);
    for (const line of lines.filter((l) => l.startsWith("Warning"))) ctx.log(`${raw}: ${line}`);
    for (const step of member.steps) ctx.log(`${member.root}: ${step} COMPLETE`);
    withWavecalShifts(member, member.file, `${member.root}_flt.fits`);
    ctx.writeProduct(`${member.root}_flt.fits`, member.file);
    if (member.rptcorr) {
      const { sfl, trailer } = calstis8(member.file);
      member.trailer.push(...trailer);
      if (sfl) ctx.writeProduct(`${member.root}_sfl.fits`, sfl);
    }
    dropPixels(member.file);
  }
}

export const STIS_MAMA: DetectorProgram<MamaExposure> = {
  accepts: isMama,
  prepare,
  workers: () => 1,
  phases: [
    { name: "WAVECAL", when: hasWavecal, run: wavecalPhase },
    { name: "CALSTIS1", run: basic2dPhase },
    { name: "CALSTIS7", when: hasX2d, run: x2dPhase },
    { name: "CALSTIS6", when: hasX1d, run: x1dPhase },
  ],
};
