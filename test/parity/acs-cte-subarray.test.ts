/**
 * calacs.e 10.5.0 corrects ACS/WFC subarrays too (serial and parallel, PCTECORR = PERFORM set by the user):
 * our _flt, _flc, _crj and _crc of a WFC2C-512 CR-SPLIT ×2 of 2012, and of a WFC2D-512 exposure, against their
 * recorded fingerprints, headers included. 512 × 512 subarrays are small enough for every CI run (seconds of CPU).
 */
import { parityTest } from "./parity-test.js";

const KNOWN_HEADERS = [
  // As for the full frames (acs-cte-products.test.ts): calacs.e's ACS2D writes the CCD parameters table into
  // HISTORY again before DARKCORR, in _flt/_crj as in _flc/_crc (ACS2D's, not ACSCTE's).
  /header HISTORY line \d+: "DARKCORR complete \.\.\.", theirs "CCD parameters table:"/,
  // calacs.e leaves SIZAXIS1 of ERR and DQ at the raw's 536 (prescan included); ours has the trimmed 512.
  /header SIZAXIS1 = 512, theirs 536$/,
  // calacs.e names ACSREJ's products after their file (EXPNAME, the _crc's ROOTNAME its temporary name).
  /_cr[jc]\.fits header EXPNAME = /,
  /_crc\.fits header ROOTNAME = "J8CB070B1", theirs "J8CB070B1_CRC_TMP"$/,
];

parityTest("acs-wfc-cte-subarray-crsplit2", { knownHeaders: KNOWN_HEADERS });

// Amp D (WFC2D-512, off the chip's origin): SCI and ERR of _flt and _flc equal calacs.e's, so the correction's
// placement and flips are right; the DQ of both differs in the 36 pixels of one saturated star, which calacs.e
// flags 256 (full well) and our ACSCCD does not: an ACSCCD difference on subarrays with LTV1 < 0, not ACSCTE's.
// The good-pixel statistics of SCI and ERR (NGOODPIX, GOOD*, SNR*) differ by those pixels.
parityTest("acs-wfc-cte-subarray-d", {
  knownHeaders: [...KNOWN_HEADERS, /^j8cb08s1q_fl[tc]\.fits header (NGOODPIX|GOODMAX|GOODMEAN|SNRMAX|SNRMEAN) = /],
  known: ["j8cb08s1q_flt.fits[DQ,1]", "j8cb08s1q_flc.fits[DQ,1]"],
});
