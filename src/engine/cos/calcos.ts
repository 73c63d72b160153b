/**
 * calcos: COS calibration like STScI's calcos 3.4 (`calcos [-o DIR] rawtag`), on the program skeleton
 * (program-run.ts). Native so far: NUV TIME-TAG through `_corrtag`, `_counts` and `_flt` (timetag.ts). FUV
 * and ACCUM exposures are refused with an error naming the file and what is missing, never half-calibrated.
 */
import { CalibrationError } from "../../calib/common/errors.js";
import type { Header } from "../../fits/index.js";
import { VERSION } from "../../version.js";
import { readRawPrimary } from "../program.js";
import {
  type DetectorProgram,
  type Exposure,
  type ProgramContext,
  type ProgramOptions,
  type ProgramResult,
  runProgram,
} from "../program-run.js";
import { calcosFuv, fuvRawtags } from "./fuv-program.js";
import { anythingToDo, type CosSwitches, readCosSwitches } from "./switches.js";
import { calibrateNuvTimetag } from "./timetag.js";

export const CAL_VER = `caldp ${VERSION} (native calcos)`;
const RAW_SUFFIX = "_rawtag";

interface Member extends Exposure {
  switches: CosSwitches;
}

const text = (primary: Header, key: string) =>
  String(primary.get(key) ?? "")
    .trim()
    .toUpperCase();

function prepare(root: string, ctx: Omit<ProgramContext, "pool">): Member | undefined {
  const switches = readCosSwitches(readRawPrimary(ctx.dir, root, RAW_SUFFIX), `${root}${RAW_SUFFIX}.fits`);
  if (!anythingToDo(switches)) return undefined;
  return { root, switches, trailer: [`CALCOS (${CAL_VER}) on ${root}${RAW_SUFFIX}.fits`] };
}

export const COS_NUV_TIMETAG: DetectorProgram<Member> = {
  accepts: (primary) => text(primary, "DETECTOR") === "NUV" && text(primary, "OBSMODE") === "TIME-TAG",
  prepare,
  workers: () => 1,
  phases: [
    {
      name: "TIMETAG",
      run: async (run, ctx) => {
        for (const m of run.members) {
          const result = calibrateNuvTimetag(ctx, m.root, m.switches, CAL_VER);
          m.trailer.push(...result.trailer);
          for (const name of result.outputs) ctx.wrote(name);
        }
      },
    },
  ],
};

/** Every other COS exposure: refused by name until its program is native. */
const COS_NOT_NATIVE: DetectorProgram<Member> = {
  accepts: () => true,
  prepare: (root, ctx) => {
    const primary = readRawPrimary(ctx.dir, root, RAW_SUFFIX);
    const what = `DETECTOR ${text(primary, "DETECTOR") || "missing"}, OBSMODE ${text(primary, "OBSMODE") || "missing"}`;
    throw new CalibrationError(
      "INVALID_VALUE",
      `${root}${RAW_SUFFIX}.fits: ${what}: the native calcos calibrates NUV TIME-TAG only (use CALDP_ENGINE=hstcal)`,
    );
  },
  workers: () => 1,
  phases: [],
};

export function calcos(inputs: string[], options: ProgramOptions): Promise<ProgramResult> {
  const fuv = fuvRawtags(inputs, options.dir);
  if (fuv) return calcosFuv(fuv, options, CAL_VER);
  return runProgram(
    {
      name: "calcos",
      instrument: "COS",
      calVer: CAL_VER,
      rawSuffix: RAW_SUFFIX,
      detectors: [COS_NUV_TIMETAG, COS_NOT_NATIVE],
    },
    inputs,
    options,
  );
}
