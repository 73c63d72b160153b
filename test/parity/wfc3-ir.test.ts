/**
 * Our calwf3 against calwf3.e's recorded fingerprints for WFC3/IR: a full-frame NSAMP=16 ramp and a
 * subarray (the bright full frame is in wfc3-ir-bright.test.ts, to keep each file short). Every extension
 * of the `_ima` and `_flt` must agree (SCI/ERR within 1e-4 relative, DQ identical).
 */
import { parityTest } from "./parity-test.js";

parityTest("wfc3-ir-nsamp16");
parityTest("wfc3-ir-subarray");
