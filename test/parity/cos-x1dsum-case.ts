/**
 * The COS x1dsum parity case: a simulated NUV FP-POS association of four TIME-TAG exposures (FPOFFSET −1, 0, 1,
 * 1: FPPOS 2, 3, 4, 4; src/sim/cos-nuv-asn.ts) calibrated by calcos 3.4.7 and by `caldp calcos` on its `_asn`.
 * The fingerprints hold the products `_x1dsum` (all four averaged on one wavelength grid), `_x1dsum3` (one input
 * copied) and `_x1dsum4` (two averaged), and the keywords fpavg sets in every spectrum file.
 */
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { FitsFile } from "../../src/fits/index.js";
import { simulateCosNuvAsn } from "../../src/sim/cos-nuv-asn.js";

export const COS_X1DSUM_CASE = { name: "cos-nuv-x1dsum", asnId: "lsim03010", seed: 5, sampleSeed: 29 } as const;

export function simulateX1dsumCase(dir: string): { input: string; referenceDir: string } {
  const sim = simulateCosNuvAsn({ asnId: COS_X1DSUM_CASE.asnId, out: dir, seed: COS_X1DSUM_CASE.seed });
  return { input: basename(sim.asn), referenceDir: sim.referenceDir };
}

/** The spectra a run writes: each member's `_x1d` and the association's `_x1dsum*`, sorted. */
export const spectraIn = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => /_(x1d|x1dsum\d?)\.fits$/.test(f))
    .sort();

/**
 * The products fingerprinted: all four averaged, one input copied (FPPOS 3), two averaged (FPPOS 4); the
 * members' `_x1d` are those of the NUV parity case at other FPOFFSETs (the file holds their keywords only).
 */
export const FINGERPRINTED = ["_x1dsum.fits", "_x1dsum3.fits", "_x1dsum4.fits"].map(
  (s) => `${COS_X1DSUM_CASE.asnId}${s}`,
);

/** The keywords fpavg writes or changes, per header, recorded beside the tables. */
const KEYWORDS = {
  PRIMARY: ["FILENAME", "MFPPOS", "MFPOFSET", "MCENWAVE", "CENWAVE", "FPPOS", "FPOFFSET", "MINWAVE", "MAXWAVE"],
  SCI: ["EXPTIME", "EXPSTART", "EXPEND", "EXPSTRTJ", "EXPENDJ", "PLANTIME", "GLOBRATE", "ASN_MTYP", "SHIFT1A"],
};

export type KeywordPrint = Record<string, Record<string, string | number | boolean | null>>;

export function keywordPrint(path: string): KeywordPrint {
  const file = FitsFile.open(path);
  try {
    const out: KeywordPrint = {};
    for (const [hdu, keys] of Object.entries(KEYWORDS)) {
      const header = file.hdus[hdu === "PRIMARY" ? 0 : 1].header;
      out[hdu] = Object.fromEntries(keys.map((k) => [k, (header.get(k) as string | number | boolean) ?? null]));
    }
    return out;
  } finally {
    file.close();
  }
}

export const x1dsumFingerprintPath = join(import.meta.dirname, "fingerprints", `${COS_X1DSUM_CASE.name}.json`);
