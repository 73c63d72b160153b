/**
 * The COS parity case: a simulated NUV TIME-TAG exposure (src/sim/cos-nuv.ts) calibrated by calcos 3.4.7 and by
 * `caldp calcos`; the fingerprints hold the _corrtag's EVENTS and GTI tables and the _counts / _flt images.
 * calcos' TIMELINE extension is not compared (not native yet).
 */
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { simulateCosNuv } from "../../src/sim/index.js";

export const COS_CASE = { name: "cos-nuv-timetag", dataset: "lsim01abq", seed: 5, sampleSeed: 19 } as const;
export const COS_TABLES = ["EVENTS", "GTI"] as const;

export function simulateCosCase(dir: string): { input: string; referenceDir: string } {
  const sim = simulateCosNuv({ dataset: COS_CASE.dataset, out: dir, seed: COS_CASE.seed });
  return { input: basename(sim.rawtag), referenceDir: sim.referenceDir };
}

export const cosFingerprintPath = join(import.meta.dirname, "fingerprints", `${COS_CASE.name}.json`);

/** The products a calcos run leaves in `dir`, sorted. */
export function cosProductsIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /_(corrtag|counts|flt)\.fits$/.test(f))
    .sort();
}
