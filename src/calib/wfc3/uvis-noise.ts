/**
 * ERR initialisation on a raw UVIS image in DN (calibration.md §4; hstcal donoise.c): where ERR is all
 * zero, per amp ERR = sqrt(max((SCI − CCDBIAS)·g, 0) + RN²)/g. The raw amp boundary is the trimmed one
 * moved by the prescan and the serial virtual overscan. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import type { ImageSet } from "../common/imset.js";
import type { Wf3CcdParameters } from "./ccdtab.js";
import type { Wf3Overscan } from "./oscntab.js";
import { ampsOfChip } from "./uvis-amps.js";

const f = Math.fround;

export function errorIsEmpty(set: ImageSet): boolean {
  return set.err.every((e) => e === 0);
}

/** Column of the raw image where the second amp starts. */
export function rawAmpBoundary(p: Pick<Wf3CcdParameters, "ampx">, o: Wf3Overscan): number {
  return o.trimx[0] + p.ampx + o.trimx3;
}

export function initUvisErrors(set: ImageSet, p: Wf3CcdParameters, o: Wf3Overscan): void {
  const amps = ampsOfChip(p.ccdamp, p.ccdchip);
  const boundary = amps.length > 1 ? rawAmpBoundary(p, o) : set.nx;
  for (let i = 0; i < set.nx; i++) {
    const amp = amps[i < boundary ? 0 : amps.length - 1].index;
    const g = p.atodgain[amp];
    const bias = p.ccdbias[amp];
    const rn2 = f(p.readnoise[amp] * p.readnoise[amp]);
    for (let j = 0; j < set.ny; j++) {
      const k = j * set.nx + i;
      const signal = Math.max(f(f(set.sci[k] - bias) * g), 0);
      set.err[k] = f(f(Math.sqrt(f(signal + rn2))) / g);
    }
  }
}
