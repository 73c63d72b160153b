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
import { calcosAccum, isAccumInput } from "./accum-program.js";
import { calcosFuv, fuvRawtags } from "./fuv-program.js";
import { anythingToDo, type CosSwitches, readCosSwitches } from "./switches.js";
import { calibrateNuvTimetag } from "./timetag.js";
import { markAssociation, x1dsumProducts } from "./x1dsum-product.js";

export const CAL_VER = `caldp ${VERSION} (native calcos)`;
const RAW_SUFFIX = "_rawtag";

interface Member extends Exposure {
  switches: CosSwitches;
  fppos: number;
  /** The `_x1d` the TIMETAG phase wrote, if any. */
  x1d?: string;
}

const text = (primary: Header, key: string) =>
  String(primary.get(key) ?? "")
    .trim()
    .toUpperCase();

function prepare(root: string, ctx: Omit<ProgramContext, "pool">): Member | undefined {
  const primary = readRawPrimary(ctx.dir, root, RAW_SUFFIX);
  const switches = readCosSwitches(primary, `${root}${RAW_SUFFIX}.fits`);
  if (!anythingToDo(switches)) return undefined;
  const fppos = primary.getInt("FPPOS", 0);
  return { root, switches, fppos, trailer: [`CALCOS (${CAL_VER}) on ${root}${RAW_SUFFIX}.fits`] };
}

/** In an association, an error that does not name the member's raw file is prefixed with it. */
function namingMember<T>(root: string, calibrate: () => T): T {
  try {
    return calibrate();
  } catch (e) {
    const raw = `${root}${RAW_SUFFIX}.fits`;
    if (!(e instanceof CalibrationError) || e.message.includes(raw)) throw e;
    throw new CalibrationError(e.code, `${raw}: ${e.message}`, e.step === undefined ? {} : { step: e.step });
  }
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
          const calibrate = () => calibrateNuvTimetag(ctx, m.root, m.switches, CAL_VER);
          const result = run.association ? namingMember(m.root, calibrate) : calibrate();
          m.trailer.push(...result.trailer);
          for (const name of result.outputs) ctx.wrote(name);
          m.x1d = result.outputs.find((name) => name.endsWith("_x1d.fits"));
        }
      },
    },
    {
      // calcos' combineToProduct: an association with a product, X1DCORR PERFORM in its first exposure
      name: "X1DSUM",
      when: (run) => run.association?.product !== undefined && run.members[0]?.switches.X1DCORR === "PERFORM",
      on: (run) =>
        `${run.association?.product?.name}: ${run.members.map((m) => m.x1d ?? `${m.root} (no x1d)`).join(" ")}`,
      run: async (run, ctx) => {
        const association = run.association;
        const product = association?.product?.name;
        if (!association || !product) return;
        const spectra = run.members.flatMap((m) => (m.x1d ? [{ x1d: m.x1d, fppos: m.fppos }] : []));
        const result = x1dsumProducts(product, spectra, ctx);
        for (const name of result.outputs) ctx.wrote(name);
        for (const m of run.members) m.trailer.push(...result.trailer);
        const marked = markAssociation(association.path, ctx.outDir);
        if (marked) ctx.wrote(marked);
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
  if (isAccumInput(inputs)) return calcosAccum(inputs, options, CAL_VER);
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
