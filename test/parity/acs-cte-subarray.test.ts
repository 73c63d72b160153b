/**
 * calacs.e 10.5.0 corrects ACS/WFC subarrays too (serial and parallel, PCTECORR = PERFORM set by the user):
 * our _flt, _flc, _crj and _crc of a WFC2C-512 CR-SPLIT ×2 of 2012, and of a WFC2D-512 exposure, against their
 * recorded fingerprints, headers included; the same on chip 1 (WFC1A-1K, WFC1B-512). 512 × 512 subarrays are small enough for every CI run (seconds of CPU).
 */
import { parityTest } from "./parity-test.js";

const KNOWN_HEADERS = [
  // As for the full frames (acs-cte-products.test.ts): calacs.e's ACS2D writes the CCD parameters table into
  // HISTORY again before DARKCORR, in _flt/_crj as in _flc/_crc (ACS2D's, not ACSCTE's).
  /header HISTORY line \d+: "DARKCORR complete \.\.\.", theirs "CCD parameters table:"/,
  // calacs.e leaves SIZAXIS1 of ERR and DQ at the raw's width (24 prescan columns included); ours is trimmed.
  /header SIZAXIS1 = 512, theirs 536$/,
  /header SIZAXIS1 = 1024, theirs 1048$/,
  // calacs.e names ACSREJ's products after their file (EXPNAME, the _crc's ROOTNAME its temporary name).
  /_cr[jc]\.fits header EXPNAME = /,
  /_crc\.fits header ROOTNAME = "J8CB070B1", theirs "J8CB070B1_CRC_TMP"$/,
];

parityTest("acs-wfc-cte-subarray-crsplit2", { knownHeaders: KNOWN_HEADERS });

// Amp D (WFC2D-512, off the chip's origin): the correction's placement and flips in x. Its SATUFILE covers the
// whole chip as the archive's do (a subarray-sized one sends calacs.e's full-well flagging past the image).
parityTest("acs-wfc-cte-subarray-d", { knownHeaders: KNOWN_HEADERS });

// Chip 1 (amps A and B, read out at the chip's top): with the whole-chip SATUFILE the archive has, calacs.e's
// ACSCCD and ours agree, and so do the corrections, flipped in y (A) and in x and y (B).
parityTest("acs-wfc-cte-subarray-a", { knownHeaders: KNOWN_HEADERS });
parityTest("acs-wfc-cte-subarray-b", { knownHeaders: KNOWN_HEADERS });
