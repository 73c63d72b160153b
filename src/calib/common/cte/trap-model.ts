/**
 * The charge-trap model of one pixel-based CTE correction (hstcal ctegen2, "Par/Serial PixelCTE 2023"): one
 * set per correction (parallel, or the serial one of an amp), as a PCTETAB's QPROF/RPROF/CPROF describe it.
 * Algorithms follow hstcal (BSD-3-Clause, AURA); the code is this repository's own.
 */
export interface TrapModel {
  /** QLEV_Q of each trap: the charge (e-) a pixel needs to reach the trap; ascending. */
  readonly chargeLevels: Float64Array;
  /** DPDE_W of each trap: the charge it holds when full (1 in every released table). */
  readonly trapCharges: Float64Array;
  /** How many leading traps are usable (QLEV_Q < 999999), hstcal's cte_traps. */
  readonly trapCount: number;
  /** RPROF: fraction of a trap's charge released on the t-th transfer after capture, at [trap * profileLength + t]. */
  readonly releaseProfile: Float32Array;
  /** CPROF: the charge still held after t transfers, handed back when the trap is refilled, same layout. */
  readonly heldProfile: Float32Array;
  /** Transfers each profile covers (the image's NAXIS2); the trail length may not exceed it. */
  readonly profileLength: number;
}

/** The iteration settings of a correction (PCTETLEN, PCTENFOR, PCTENPAR, FIXROCR, PCTETRSH). */
export interface CteIterations {
  /** PCTETLEN: transfers after capture during which a trap releases charge. */
  readonly trailLength: number;
  /** PCTENFOR: forward-model iterations of the inversion. */
  readonly forwardIterations: number;
  /** PCTENPAR: transfers each readout is divided into (each releases 1/PCTENPAR of a trap's charge). */
  readonly parallelTransfers: number;
  /** FIXROCR: lower the trap density where readout cosmic rays would be over-subtracted. */
  readonly fixReadoutCosmicRays: boolean;
  /** PCTETRSH: the pixel value (e-) below which a corrected pixel counts as over-subtracted. */
  readonly overSubtractionThreshold: number;
}

/** A model with every trap usable and cumulative profiles consistent with the release profile (tests, sim). */
export function trapModelFromProfiles(
  chargeLevels: readonly number[],
  release: readonly (readonly number[])[],
  trapCharges: readonly number[] = chargeLevels.map(() => 1),
): TrapModel {
  const profileLength = release[0]?.length ?? 0;
  const releaseProfile = new Float32Array(chargeLevels.length * profileLength);
  const heldProfile = new Float32Array(chargeLevels.length * profileLength);
  for (let w = 0; w < chargeLevels.length; w++) {
    let held = 1;
    for (let t = 0; t < profileLength; t++) {
      releaseProfile[w * profileLength + t] = release[w][t];
      held -= release[w][t];
      heldProfile[w * profileLength + t] = held;
    }
  }
  return {
    chargeLevels: Float64Array.from(chargeLevels),
    trapCharges: Float64Array.from(trapCharges),
    trapCount: chargeLevels.length,
    releaseProfile,
    heldProfile,
    profileLength,
  };
}

export type CteAmp = "A" | "B" | "C" | "D";
