/**
 * ACSCTE as a worker-thread task: the correction of one amp of an ACS/WFC chip (serial then parallel). The
 * chip's SCI and ERR are in shared memory, corrected in place: the amps of a chip are separate tasks that write
 * disjoint columns, so nothing is copied to or from a worker. The worker reads the PCTETAB itself (once per
 * thread) and applies the raw's overrides the main thread checked.
 */
import type { CteIterations } from "../../calib/common/cte/trap-model.js";
import { CalibrationError } from "../../calib/common/errors.js";
import { cachedReference } from "../program-files.js";
import { collectGarbage } from "../worker-pool.js";
import { type CteChipAmp, correctAcsWfcChip } from "./acs-wfc.js";
import { type CteAmp, type Pctetab, type PctetabSet, readPctetab } from "./pctetab.js";

/** The iteration settings of each set after the raw's overrides (withRawOverrides). */
export interface CteIterationOverrides {
  parallel: CteIterations;
  serial: Partial<Record<CteAmp, CteIterations>>;
}

export interface CteAmpTaskArgs {
  /** The raw file's name and the chip's SCI extension, for errors. */
  raw: string;
  extver: number;
  pctetab: string;
  iterations: CteIterationOverrides;
  expstart: number;
  /** The CCDTAB's read noise of each amp (e-). */
  readNoise: Partial<Record<CteAmp, number>>;
  /** The whole chip, backed by SharedArrayBuffers. */
  sci: Float32Array;
  err: Float32Array;
  width: number;
  height: number;
  amp: CteChipAmp;
}

/** Total change of SCI (e-) per amp and direction, e.g. "C parallel". */
export type CteAmpTaskResult = Record<string, number>;

function withIterations(table: Pctetab, iterations: CteIterationOverrides): Pctetab {
  const set = (s: PctetabSet, i: CteIterations | undefined): PctetabSet => (i ? { ...s, iterations: i } : s);
  const serial: Partial<Record<CteAmp, PctetabSet>> = {};
  for (const [amp, s] of Object.entries(table.serial) as [CteAmp, PctetabSet][]) {
    serial[amp] = set(s, iterations.serial[amp]);
  }
  return { ...table, parallel: set(table.parallel, iterations.parallel), serial };
}

/** Corrects one amp of a chip; a calibration error names the raw file and the extension. */
export function cteAmpTask(args: CteAmpTaskArgs): CteAmpTaskResult {
  try {
    const table = cachedReference(`PCTETAB:${args.pctetab}`, () => readPctetab(args.pctetab, "ACS"));
    const run = { table: withIterations(table, args.iterations), expstart: args.expstart, readNoise: args.readNoise };
    const { sci, err, width, height, amp } = args;
    // Each direction allocates about 100 MB of work arrays: freed before the next, not after the amp.
    return correctAcsWfcChip({ sci, err, width, height, amps: [amp] }, run, false, collectGarbage);
  } catch (e) {
    if (e instanceof CalibrationError) {
      throw new CalibrationError(e.code, `${args.raw}[SCI,${args.extver}]: ${e.message}`, { step: "PCTECORR" });
    }
    throw e;
  }
}
