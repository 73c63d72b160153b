/**
 * calcos on COS ACCUM exposures (`<root>_rawaccum.fits`): NUV spectroscopic ACCUM through the TIME-TAG steps on
 * its pseudo events (timetag.ts with obsmode ACCUM): `_corrtag`, `_counts`, `_flt`, `_x1d`. FUV ACCUM, NUV
 * imaging ACCUM and ACCUM associations (x1dsum) are refused by name, never half-calibrated.
 */
import { CalibrationError } from "../../calib/common/errors.js";
import type { Header } from "../../fits/index.js";
import { readRawPrimary } from "../program.js";
import {
  type DetectorProgram,
  type Exposure,
  type ProgramOptions,
  type ProgramResult,
  runProgram,
} from "../program-run.js";
import { anythingToDo, type CosSwitches, readCosSwitches } from "./switches.js";
import { calibrateNuvTimetag } from "./timetag.js";

const RAW_SUFFIX = "_rawaccum";

interface Member extends Exposure {
  switches: CosSwitches;
}

const text = (primary: Header, key: string) =>
  String(primary.get(key) ?? "")
    .trim()
    .toUpperCase();

/** Inputs that are all `_rawaccum` files: the ACCUM program takes them. */
export const isAccumInput = (inputs: readonly string[]) =>
  inputs.length > 0 && inputs.every((n) => n.endsWith(`${RAW_SUFFIX}.fits`));

function nuvAccum(calVer: string): DetectorProgram<Member> {
  return {
    accepts: (primary) =>
      text(primary, "DETECTOR") === "NUV" &&
      text(primary, "OBSMODE") === "ACCUM" &&
      text(primary, "OBSTYPE") === "SPECTROSCOPIC",
    prepare: (root, ctx) => {
      const primary = readRawPrimary(ctx.dir, root, RAW_SUFFIX);
      const switches = readCosSwitches(primary, `${root}${RAW_SUFFIX}.fits`);
      if (!anythingToDo(switches)) return undefined;
      return { root, switches, trailer: [`CALCOS (${calVer}) on ${root}${RAW_SUFFIX}.fits`] };
    },
    workers: () => 1,
    phases: [
      {
        name: "ACCUM",
        run: async (run, ctx) => {
          for (const m of run.members) {
            const result = calibrateNuvTimetag(ctx, m.root, m.switches, calVer, "ACCUM");
            m.trailer.push(...result.trailer);
            for (const name of result.outputs) ctx.wrote(name);
          }
        },
      },
    ],
  };
}

const NOT_NATIVE: DetectorProgram<Member> = {
  accepts: () => true,
  prepare: (root, ctx) => {
    const primary = readRawPrimary(ctx.dir, root, RAW_SUFFIX);
    const what = ["DETECTOR", "OBSMODE", "OBSTYPE"].map((k) => `${k} ${text(primary, k) || "missing"}`).join(", ");
    throw new CalibrationError(
      "INVALID_VALUE",
      `${root}${RAW_SUFFIX}.fits: ${what}: the native calcos calibrates NUV spectroscopic ACCUM only (use CALDP_ENGINE=hstcal)`,
    );
  },
  workers: () => 1,
  phases: [],
};

export function calcosAccum(inputs: string[], options: ProgramOptions, calVer: string): Promise<ProgramResult> {
  return runProgram(
    {
      name: "calcos",
      instrument: "COS",
      calVer,
      rawSuffix: RAW_SUFFIX,
      detectors: [nuvAccum(calVer), NOT_NATIVE],
    },
    inputs,
    options,
  );
}
