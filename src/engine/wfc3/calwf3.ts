/**
 * calwf3: calibrates WFC3 exposures and associations like hstcal's calwf3.e (calibration.md §4, §5, §7).
 * IR exposures go through WF3IR (`_ima`, `_flt`); UVIS exposures through WF3CCD and WF32D (`_flt`), and a
 * CR-SPLIT / REPEAT association also through WF3REJ (`_crj`). The skeleton (program-run.ts) plans, refuses
 * other instruments, runs both detectors' phases on one worker pool and writes the trailers.
 */
import { historySections, stepLogLine } from "../../calib/common/step-trailer.js";
import { anythingToDo, type StepRecord } from "../../calib/common/steps.js";
import { IR_STEPS } from "../../calib/wfc3/steps.js";
import { IR_SWITCHES } from "../../calib/wfc3/wf3ir.js";
import { VERSION } from "../../version.js";
import { readRawPrimary } from "../program.js";
import {
  type DetectorProgram,
  type DetectorRun,
  type Exposure,
  type ProgramContext,
  type ProgramOptions,
  type ProgramResult,
  runProgram,
} from "../program-run.js";
import { calibrateIr } from "./ir.js";
import { detectorOf, switchesOf } from "./keywords.js";
import { UVIS } from "./uvis.js";

export const CAL_VER = `caldp ${VERSION} (native calwf3)`;

export type Calwf3Options = ProgramOptions;
export type Calwf3Result = ProgramResult;

/** An IR exposure: WF3IR reads its raw in its phase. */
function prepareIr(root: string, { dir }: { dir: string }): Exposure | undefined {
  if (!anythingToDo(IR_STEPS, switchesOf(readRawPrimary(dir, root), IR_SWITCHES))) return undefined;
  return { root, trailer: [`CALWF3 (caldp ${VERSION}) processing ${root}_raw.fits`] };
}

/** WF3IR of one exposure (the phase runs once per exposure); its log lines also go to its trailer. */
async function irPhase(run: DetectorRun<Exposure>, ctx: ProgramContext): Promise<void> {
  const { root, trailer } = run.members[0]!;
  const tee = (line: string) => {
    trailer.push(line);
    ctx.log(line);
  };
  const steps = (history: readonly string[], records: readonly StepRecord[]) => {
    for (const record of records) ctx.log(stepLogLine(record, `${root}_raw.fits`));
    trailer.push(...historySections(history, records));
  };
  const names = await calibrateIr(root, { dir: ctx.dir, env: ctx.env, calVer: CAL_VER, log: tee, steps }, ctx.pool);
  for (const name of names) ctx.wrote(name);
}

/** WFC3/IR: WF3IR of each exposure, its CRCORR on all threads. */
const IR: DetectorProgram<Exposure> = {
  accepts: (primary) => detectorOf(primary) === "IR",
  prepare: prepareIr,
  workers: () => Number.POSITIVE_INFINITY,
  phases: [{ name: "WF3IR", each: "exposure", run: irPhase }],
};

export function calwf3(inputs: string[], options: Calwf3Options): Promise<Calwf3Result> {
  return runProgram({ name: "calwf3", instrument: "WFC3", calVer: CAL_VER, detectors: [IR, UVIS] }, inputs, options);
}
