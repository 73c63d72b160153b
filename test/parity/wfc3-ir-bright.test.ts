/**
 * Our calwf3 against calwf3.e's recorded fingerprints on a WFC3/IR full frame whose stars saturate from the
 * zeroth read on (ZSIGCORR's saturation in the zeroth and first reads, CRCORR's first-read path), with
 * charge before the zeroth read (ZEROSIG on ~1,700 pixels) and cosmic-ray jumps up to the last read.
 */
import { parityTest } from "./parity-test.js";

parityTest("wfc3-ir-bright");
