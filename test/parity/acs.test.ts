import { acsParityTest } from "./acs-test-case.js";

acsParityTest("acs-hrc-crsplit2");
acsParityTest("acs-wfc-presm4-crsplit2");
