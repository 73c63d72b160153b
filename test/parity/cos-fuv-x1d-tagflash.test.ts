// COS FUV x1d after TAGFLASH WAVECORR (DPIXEL1x moves the wavelengths, the flt already shifted) equal to calcos
// 3.4.7's: fingerprints/cos-fuv-x1d-tagflash.json, checks in cos-fuv-x1d-case.ts.
import { test } from "node:test";
import { COS_FUV_X1D_FLASH_CASE, simulateCosFuvX1dFlashCase } from "./cos-case.js";
import { fuvX1dParity, readX1dRecord } from "./cos-fuv-x1d-case.js";

const program = readX1dRecord(COS_FUV_X1D_FLASH_CASE).program;

test(`${COS_FUV_X1D_FLASH_CASE.name}: caldp calcos's FUV _x1d after TAGFLASH WAVECORR and product headers equal ${program}'s`, (t) =>
  fuvX1dParity(t, COS_FUV_X1D_FLASH_CASE, simulateCosFuvX1dFlashCase, false));
