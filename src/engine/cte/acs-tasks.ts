/**
 * ACSCTE as a worker-thread task: the correction of one ACS/WFC chip, amp by amp (serial then parallel). The
 * worker reads the chip from the chip store (ACSCCD's `_blv_tmp`) and writes the corrected copy to its own file
 * there (hstcal's `_blc_tmp`): the main thread holds no pixels of either branch. The worker reads the PCTETAB
 * itself (once per thread) and applies the raw's overrides the main thread checked.
 */
import type { CteIterations } from "../../calib/common/cte/trap-model.js";
import { CalibrationError } from "../../calib/common/errors.js";
import type { ImageSet } from "../../calib/common/imset.js";
import { readStoredImageSet, writeStoredImageSet } from "../chip-store.js";
import { cachedReference } from "../program-files.js";
import { collectGarbage } from "../worker-pool.js";
import { type CteChipAmp, correctAcsWfcChip } from "./acs-wfc.js";
import { type CteAmp, type Pctetab, type PctetabSet, readPctetab } from "./pctetab.js";

/** The iteration settings of each set after the raw's overrides (withRawOverrides). */
export interface CteIterationOverrides {
  parallel: CteIterations;
  serial: Partial<Record<CteAmp, CteIterations>>;
}

export interface CteChipTaskArgs {
  /** The raw file's name and the chip's SCI extension, for errors. */
  raw: string;
  extver: number;
  pctetab: string;
  iterations: CteIterationOverrides;
  expstart: number;
  /** The CCDTAB's read noise of each amp (e-). */
  readNoise: Partial<Record<CteAmp, number>>;
  /** The chip's size, geometry and number (no pixels). */
  like: ImageSet;
  /** The chip store's files: the chip after ACSCCD, and where its corrected copy goes. */
  stored: string;
  store: string;
  amps: CteChipAmp[];
}

/** Total change of SCI (e-) per amp and direction, e.g. "C parallel", in the order of the corrections. */
export type CteChipTaskResult = Record<string, number>;

function withIterations(table: Pctetab, iterations: CteIterationOverrides): Pctetab {
  const set = (s: PctetabSet, i: CteIterations | undefined): PctetabSet => (i ? { ...s, iterations: i } : s);
  const serial: Partial<Record<CteAmp, PctetabSet>> = {};
  for (const [amp, s] of Object.entries(table.serial) as [CteAmp, PctetabSet][]) {
    serial[amp] = set(s, iterations.serial[amp]);
  }
  return { ...table, parallel: set(table.parallel, iterations.parallel), serial };
}

/** Corrects one chip into its copy in the chip store; a calibration error names the raw file and the extension. */
export function cteChipTask(args: CteChipTaskArgs): CteChipTaskResult {
  try {
    const table = cachedReference(`PCTETAB:${args.pctetab}`, () => readPctetab(args.pctetab, "ACS"));
    const run = { table: withIterations(table, args.iterations), expstart: args.expstart, readNoise: args.readNoise };
    const set = readStoredImageSet(args.stored, args.like);
    const chip = { sci: set.sci, err: set.err, width: set.nx, height: set.ny, amps: args.amps };
    // Each amp and direction allocates about 100 MB of work arrays: freed before the next, not after the chip.
    const changes = correctAcsWfcChip(chip, run, false, collectGarbage);
    writeStoredImageSet(args.store, set);
    return changes;
  } catch (e) {
    if (e instanceof CalibrationError) {
      throw new CalibrationError(e.code, `${args.raw}[SCI,${args.extver}]: ${e.message}`, { step: "PCTECORR" });
    }
    throw e;
  }
}
