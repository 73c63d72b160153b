import { acsParityTest } from "./acs-test-case.js";

acsParityTest("acs-wfc-postsm4-crsplit2");
