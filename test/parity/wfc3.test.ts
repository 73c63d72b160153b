/**
 * Our calwf3 against calwf3.e's recorded fingerprints for the full-frame and binned UVIS cases (the IR ones
 * are in wfc3-ir*.test.ts, the UVIS subarrays in wfc3-uvis-subarray.test.ts, the CTE cases in wfc3-uvis-cte*.test.ts).
 * Extensions listed in KNOWN_DIFFERENCES differ from calwf3.e today: their differences are printed as
 * diagnostics, not failures;
 * every other extension must agree (SCI/ERR within 1e-4 relative, DQ identical). The full-frame UVIS case
 * takes about 100 s here, so it runs in CI (CI=true) or with CALDP_PARITY_SLOW=1.
 */
import { PARITY_CASES } from "./cases.js";
import { parityTest } from "./parity-test.js";

/** Per case, the extensions (`file[EXTNAME,*]` or `file[EXTNAME,ver]`) that differ from calwf3.e today. */
const KNOWN_DIFFERENCES: Record<string, string[]> = {};
const SLOW = new Set(["wfc3-uvis-crsplit2"]);
const slowAllowed = process.env.CALDP_PARITY_SLOW === "1" || process.env.CI === "true";

const elsewhere = (name: string) =>
  name.startsWith("wfc3-ir-") || name.startsWith("wfc3-uvis-subarray") || name.startsWith("wfc3-uvis-cte");
for (const c of PARITY_CASES.filter((x) => x.program === "calwf3.e" && !elsewhere(x.name))) {
  const skip = SLOW.has(c.name) && !slowAllowed ? "set CALDP_PARITY_SLOW=1 (CI runs it)" : false;
  parityTest(c.name, { known: KNOWN_DIFFERENCES[c.name] ?? [], skip });
}
