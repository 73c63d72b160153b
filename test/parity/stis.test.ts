/**
 * Our calstis against cs0.e's recorded fingerprints (hstcal 5c1c177, cs0.e 3.5.0): the STIS/CCD cases must
 * agree (SCI/ERR within 1e-4 relative, DQ identical, headers as recorded).
 */
import { PARITY_CASES } from "./cases.js";
import { parityTest } from "./parity-test.js";

for (const c of PARITY_CASES.filter((x) => x.program === "cs0.e")) parityTest(c.name);
