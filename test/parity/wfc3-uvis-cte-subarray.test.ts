/**
 * calwf3.e 3.7.3 corrects a UVIS subarray taken with physical overscan (PCTECORR = PERFORM): our _flt, _flc, _crj
 * and _crc of a UVIS2 amp-C corner subarray CR-SPLIT ×2 with CTE trails against its recorded fingerprints
 * (fingerprints/wfc3-uvis-cte-subarray-crsplit2.json). The subarray is pasted into an empty full frame, so WF3CTE
 * still reads the PCTETAB and estimates the noise over the whole RAZ image, but only the subarray's columns are
 * corrected: seconds of CPU.
 */
import { parityTest } from "./parity-test.js";

parityTest("wfc3-uvis-cte-subarray-crsplit2");
