/**
 * Our calacs with PCTECORR = PERFORM against calacs.e's recorded fingerprints: _flt, _flc, _crj and _crc of a
 * full-frame ACS/WFC CR-SPLIT ×2 after SM4 (serial and parallel correction) and in mid-2008 (parallel only),
 * headers included. The header differences listed are calacs.e's and ours outside ACSCTE, each explained; the
 * CTE keywords and the whole ACSCTE HISTORY must agree. The cases make 16 and 8 amp corrections (about 5 and
 * 3 min of CPU), so they run in CI (CI=true) or with CALDP_PARITY_SLOW=1.
 */
import { slowTestSkip } from "../helpers/slow.js";
import { parityTest } from "./parity-test.js";

const skip = slowTestSkip();

const KNOWN_HEADERS = [
  // calacs.e writes the gain and read noise of the first image set's chip (2: amps C, D; A and B are 0) into
  // the primary header; our ACS2D writes chip 1's (A, B). In every ACS/WFC product, _flt and _crj too.
  /header (ATODGN|READNSE)[A-D] = /,
  // calacs.e leaves SIZAXIS1/2 of ERR and DQ at the untrimmed 4144 × 2068; ours has the trimmed size.
  /header SIZAXIS[12] = (4096|2048), theirs (4144|2068)$/,
  // calacs.e's ACS2D writes the CCD parameters table into HISTORY again before DARKCORR (and EXPSCORR's line
  // once where ours has it twice): the same in _flt/_crj as in _flc/_crc; ACS2D's, not ACSCTE's.
  /header HISTORY line \d+: "DARKCORR complete \.\.\.", theirs "CCD parameters table:"/,
  // calacs.e names the products of ACSREJ after their file: EXPNAME j8cb050b1 (_crj) or j8cb050b1_crc_tmp, and
  // ROOTNAME J8CB050B1_CRC_TMP (_crc, its temporary file); ours keep the first member's EXPNAME and J8CB050B1.
  /_cr[jc]\.fits header EXPNAME = /,
  /_crc\.fits header ROOTNAME = "J8CB0[56]0B1", theirs "J8CB0[56]0B1_CRC_TMP"$/,
];

parityTest("acs-wfc-cte-postsm4-crsplit2", { knownHeaders: KNOWN_HEADERS, skip });
parityTest("acs-wfc-cte-presm4-crsplit2", { knownHeaders: KNOWN_HEADERS, skip });
