import { parityTest } from "./parity-test.js";

parityTest("acs-wfc-postsm4-crsplit2");
