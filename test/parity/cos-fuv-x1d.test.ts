// COS FUV x1d (BOXCAR, background, FLUXCORR, TDSCORR, HELCORR) equal to calcos 3.4.7's (fingerprints/cos-fuv-x1d.json,
// cos-fuv-x1d-case.ts) and, per segment, NET against the simulated source in bins of 256 columns (χ²/n with the
// variances calcos writes; the simulator records every event and does not imprint the flat, so FLATCORR and
// DEADCORR are expected to raise each event to 1 / (flat × LIVETM)).
import { test } from "node:test";
import { COS_FUV_X1D_CASE, simulateCosFuvX1dCase } from "./cos-case.js";
import { fuvX1dParity, readX1dRecord } from "./cos-fuv-x1d-case.js";

const program = readX1dRecord(COS_FUV_X1D_CASE).program;

test(`${COS_FUV_X1D_CASE.name}: caldp calcos's FUV _x1d and product headers equal ${program}'s; NET equals the simulated source`, (t) =>
  fuvX1dParity(t, COS_FUV_X1D_CASE, simulateCosFuvX1dCase, true));
