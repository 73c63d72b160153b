import { parityTest } from "./parity-test.js";

parityTest("acs-hrc-crsplit2");
parityTest("acs-wfc-presm4-crsplit2");
// SBC: calacs.e scales the dark by 0 (it reads DARKTIME only for the CCDs); sbc-2d.ts keeps that for parity.
parityTest("acs-sbc-rptobs2");
