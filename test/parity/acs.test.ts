import { parityTest } from "./parity-test.js";

parityTest("acs-hrc-crsplit2");
parityTest("acs-wfc-presm4-crsplit2");
