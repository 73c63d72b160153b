/**
 * ACSCTE on one ACS/WFC chip of the trimmed image (the blv_tmp calacs.e corrects): for each amp, the serial
 * correction (data from SM4 on) and then the parallel one, as hstcal's doPCTEGen3 orders them, with the amp's
 * read noise from the CCDTAB and the trap densities grown to EXPSTART.
 */
import { type CteSettings, correctAmp, forwardAmp } from "../../calib/common/cte/amp.js";
import { acsWfcCorrections, acsWfcOrientation, extractAmp, insertAmp } from "../../calib/common/cte/orientation.js";
import { cteScaleFraction } from "../../calib/common/cte/trap-map.js";
import type { CteAmp } from "../../calib/common/cte/trap-model.js";
import type { Pctetab, PctetabSet } from "./pctetab.js";

/** SCLBYCOL numbers the 4 amps side by side, CDAB: chip 1's amps (A, B) start at column 4096. */
const CHIP1_COLUMN_OFFSET = 4096;

export interface CteChipAmp {
  amp: CteAmp;
  /** First column of the amp in the trimmed chip, and its width. */
  x0: number;
  width: number;
}

export interface CteChip {
  sci: Float32Array;
  err: Float32Array;
  width: number;
  height: number;
  amps: CteChipAmp[];
}

export interface CteRun {
  table: Pctetab;
  expstart: number;
  /** The CCDTAB's read noise of each amp (e-). */
  readNoise: Partial<Record<CteAmp, number>>;
}

/** The settings of one amp's correction in one direction. */
export function ampSettings(run: CteRun, set: PctetabSet, amp: CteChipAmp): CteSettings {
  const where = `PCTETAB ${run.table.path} extension ${set.extension}`;
  const readNoise = run.readNoise[amp.amp];
  if (readNoise === undefined) throw new Error(`no read noise for amp ${amp.amp}`);
  if (set.scaling === undefined) throw new Error(`${where}: no SCLBYCOL`);
  return {
    model: set.model,
    iterations: set.iterations,
    scaling: set.scaling,
    columnOffset: amp.x0 + (amp.amp === "A" || amp.amp === "B" ? CHIP1_COLUMN_OFFSET : 0),
    scaleFraction: cteScaleFraction(run.expstart, set.date0, set.date1, where),
    readNoise,
  };
}

/**
 * Corrects the chip's SCI and ERR in place, or with `forward` adds the trails the model predicts (hstcal's
 * forward-model mode: no smoothing, same order of directions); returns the total change of SCI per amp and
 * direction (e-). `afterEach` runs after each amp and direction (a worker frees that one's arrays there).
 */
export function correctAcsWfcChip(
  chip: CteChip,
  run: CteRun,
  forward = false,
  afterEach?: () => void,
): Record<string, number> {
  const changes: Record<string, number> = {};
  for (const amp of chip.amps) {
    for (const direction of acsWfcCorrections(run.expstart)) {
      const set = direction === "parallel" ? run.table.parallel : run.table.serial[amp.amp];
      if (set === undefined) throw new Error(`PCTETAB ${run.table.path}: no serial set for amp ${amp.amp}`);
      const region = { chipWidth: chip.width, x0: amp.x0, width: amp.width, height: chip.height };
      const orientation = acsWfcOrientation(amp.amp, direction);
      const sci = extractAmp(chip.sci, region, orientation);
      const err = extractAmp(chip.err, region, orientation);
      const rows = orientation.transpose ? region.width : region.height;
      const image = { rows, columns: sci.length / rows, sci, err };
      const settings = ampSettings(run, set, amp);
      changes[`${amp.amp} ${direction}`] = forward ? forwardAmp(image, settings) : correctAmp(image, settings);
      insertAmp(chip.sci, region, orientation, sci);
      insertAmp(chip.err, region, orientation, err);
      afterEach?.();
    }
  }
  return changes;
}
