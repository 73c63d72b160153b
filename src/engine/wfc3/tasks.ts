/** IR pixel work as worker-thread tasks: CRCORR on a band of rows, FLATCORR of reads (UVIS tasks are in uvis-tasks.ts). */
import type { Section } from "../../calib/common/imset.js";
import { type CrBandInput, type CrBandOutput, rejectBand } from "../../calib/wfc3/ir-crcorr.js";
import { divideFlatInside } from "../../calib/wfc3/ir-flat.js";
import type { Border, MultiAccumRead } from "../../calib/wfc3/multiaccum.js";
import { collectGarbage } from "../worker-pool.js";

export function irCrBandTask(args: CrBandInput): CrBandOutput {
  return rejectBand(args);
}

/** Frees what the worker's last exposure left (a pool shared by exposures does not end between them). */
export function collectGarbageTask(_args: Record<string, never>): void {
  collectGarbage();
}

export interface IrFlatArgs {
  /** Reads (and the CR image) in shared memory, divided in place. */
  targets: Pick<MultiAccumRead, "sci" | "err" | "dq">[];
  nx: number;
  ny: number;
  border: Border;
  /** The PFLTFILE's placement, its pixels in shared memory. */
  flat: Section;
  gain: number;
}

export function irFlatTask(a: IrFlatArgs): void {
  for (const target of a.targets) divideFlatInside(target, a.nx, a.ny, a.border, a.flat, a.gain);
}
