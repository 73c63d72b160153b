/**
 * calstis (cs0.e) for the STIS MAMAs on the program skeleton: calstis1 of each raw image into `_flt`
 * (calstis1-mama.ts), and with RPTCORR on two image sets or more calstis8's sum into `_sfl` (calstis8.ts).
 * CRCORR is omitted with a warning, as cs0 does for a MAMA. Doppler convolution, high-res images and the
 * spectroscopic steps are refused by name when PERFORM.
 */
import { join } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import { VERSION } from "../../version.js";
import type { ImageSetFile } from "../imset-io.js";
import { readImageSetFile } from "../imset-io.js";
import { dropPixels } from "../program.js";
import type { ReferenceNames } from "../program-files.js";
import type { DetectorProgram, DetectorRun, Exposure, ProgramContext } from "../program-run.js";
import type { Env } from "../reference-files.js";
import { dropHstioReserved, naming, performs, upper } from "./calstis-shared.js";
import { calstis1Mama, MAMA_STEPS, type MamaStep } from "./calstis1-mama.js";
import { calstis8 } from "./calstis8.js";
import { resolveStisReferences } from "./references.js";

/** Switches a MAMA image may carry that change pixels and are not native (or not MAMA steps): PERFORM is refused. */
const NOT_NATIVE = ["ATODCORR", "BLEVCORR", "BIASCORR", "SHADCORR", "DOPPCORR"].concat([
  "WAVECORR",
  "X2DCORR",
  "X1DCORR",
  "GEOCORR",
]);

interface MamaExposure extends Exposure {
  file: ImageSetFile;
  steps: Set<MamaStep>;
  references: ReferenceNames;
  /** RPTCORR = PERFORM on two image sets or more: the flt's image sets summed into `_sfl`. */
  rptcorr: boolean;
}

const isMama = (primary: import("../../fits/index.js").Header) => upper(primary, "DETECTOR").endsWith("-MAMA");

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
  if (steps.size === 0 && !rptcorr) return undefined;
  if (performs(primary, "STATFLAG")) steps.add("STATFLAG");
  const other = NOT_NATIVE.filter((s) => performs(primary, s));
  if (other.length > 0) {
    throw new CalibrationError(
      "CAL_STEP_NOT_DONE",
      `${raw}: ${other.join(", ")} = PERFORM is not in the native calstis for the ${detector} yet`,
    );
  }
  const references = naming(raw, () => resolveStisReferences(primary, [...steps], env, detector));
  const trailer = [`CALSTIS (caldp ${VERSION}) processing ${raw} (${detector})`];
  if (performs(primary, "CRCORR")) trailer.push("Warning  CRCORR will be omitted because detector is MAMA.");
  if (performs(primary, "RPTCORR") && !rptcorr)
    trailer.push("Warning  RPTCORR will be omitted because there's only one imset.");
  return { root, file, steps, references, trailer, rptcorr };
}

async function basic2dPhase(run: DetectorRun<MamaExposure>, ctx: ProgramContext): Promise<void> {
  for (const member of run.members) {
    const raw = `${member.root}_raw.fits`;
    const lines = naming(raw, () => calstis1Mama(member.file, member.steps, member.references));
    member.trailer.push(...lines);
    for (const line of lines.filter((l) => l.startsWith("Warning"))) ctx.log(`${raw}: ${line}`);
    for (const step of member.steps) ctx.log(`${member.root}: ${step} COMPLETE`);
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
  phases: [{ name: "CALSTIS1", run: basic2dPhase }],
};
