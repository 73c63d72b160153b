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
  const { err } = set;
  for (let k = 0; k < err.length; k++) if (err[k] !== 0) return false;
  return true;
}

/** Column of the raw image where the second amp starts. */
export function rawAmpBoundary(p: Pick<Wf3CcdParameters, "ampx">, o: Wf3Overscan): number {
  return o.trimx[0] + p.ampx + o.trimx3;
}

export function initUvisErrors(set: ImageSet, p: Wf3CcdParameters, o: Wf3Overscan): void {
  const amps = ampsOfChip(p.ccdamp, p.ccdchip);
  const boundary = amps.length > 1 ? rawAmpBoundary(p, o) : set.nx;
  const { sci, err, nx, ny } = set;
  // Gain, bias and read noise² of the amp of each column, then one pass in memory order.
  const gain = new Float64Array(nx);
  const bias = new Float64Array(nx);
  const rn2 = new Float64Array(nx);
  for (let i = 0; i < nx; i++) {
    const amp = amps[i < boundary ? 0 : amps.length - 1].index;
    gain[i] = p.atodgain[amp];
    bias[i] = p.ccdbias[amp];
    rn2[i] = f(p.readnoise[amp] * p.readnoise[amp]);
  }
  for (let j = 0; j < ny; j++) {
    const row = j * nx;
    for (let i = 0; i < nx; i++) {
      const k = row + i;
      const g = gain[i];
      const signal = Math.max(f(f(sci[k] - bias[i]) * g), 0);
      err[k] = f(f(Math.sqrt(f(signal + rn2[i]))) / g);
    }
  }
}
