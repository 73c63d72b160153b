/**
 * Our calstis against cs0.e's recorded fingerprints (hstcal 5c1c177, cs0.e 3.5.0): the STIS/CCD cases must
 * agree (SCI/ERR within 1e-4 relative, DQ identical, headers as recorded), except the known differences.
 */
import { PARITY_CASES } from "./cases.js";
import { parityTest } from "./parity-test.js";

/**
 * stis-ccd-real-empty: cs0.e keeps the raw's NEXTEND = 4 (it counts the PEAKUP extension, which it does not
 * write); ours says 3, the extensions the file has. That is the only card of the primary header that differs.
 */
const KNOWN_DIFFERENCES: Record<string, string[]> = {
  "stis-ccd-real-empty": ["o4er06llq_flt.fits[PRIMARY,0]"],
};

for (const c of PARITY_CASES.filter((x) => x.program === "cs0.e")) {
  parityTest(c.name, { known: KNOWN_DIFFERENCES[c.name] ?? [] });
}
