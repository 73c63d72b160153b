/**
 * Our calwf3 against calwf3.e's recorded fingerprints on UVIS2 amp-C subarrays with post-flash, shutter
 * shading and a SATUFILE: a corner exposure with the physical prescan, and a CR-SPLIT pair of inner subarrays
 * (WF3REJ applies the SHADFILE itself there). Both simulations carry the full-chip SNKCFILE calwf3.e needs.
 */
import { parityTest } from "./parity-test.js";

parityTest("wfc3-uvis-subarray");
parityTest("wfc3-uvis-subarray-crsplit2");
