/**
 * The simulated datasets whose products are compared with hstcal's C programs (calacs.e, calwf3.e), and
 * how each is run. The fingerprints of the C programs' products are in fingerprints/<name>.json, written by
 * scripts/parity-fingerprints.ts; the parity tests run our engine on the same simulations.
 */
import { readdirSync } from "node:fs";
import type { SimulateOptions } from "../../src/sim/index.js";

export interface ParityCase {
  name: string;
  program: "calacs.e" | "calwf3.e";
  /** The environment variable naming the reference folder, as the program reads it. */
  referenceVariable: "jref" | "iref";
  simulation: Omit<SimulateOptions, "out">;
  /** Seed of the sampled pixel positions. */
  sampleSeed: number;
}

export const PARITY_CASES: readonly ParityCase[] = [
  {
    name: "acs-hrc-crsplit2",
    program: "calacs.e",
    referenceVariable: "jref",
    simulation: { dataset: "j8cb010b0", detector: "HRC", exposures: 2, seed: 101 },
    sampleSeed: 1,
  },
  {
    name: "acs-wfc-presm4-crsplit2",
    program: "calacs.e",
    referenceVariable: "jref",
    simulation: { dataset: "j8cb020b0", detector: "WFC", exposures: 2, seed: 102, epoch: "pre-sm4" },
    sampleSeed: 2,
  },
];

/** The calibrated products a run leaves in `dir` (flt, crj, ima, sfl), sorted by name. */
export function productsIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /_(flt|crj|ima|sfl)\.fits$/.test(f))
    .sort();
}
