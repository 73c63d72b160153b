import type { Command } from "commander";
import { CAL_VER, calacs } from "../../engine/acs/calacs.js";
import { registerHstcalCommand } from "./hstcal-command.js";

export function registerCalacsCommand(program: Command): void {
  registerHstcalCommand(program, {
    program: "calacs",
    description:
      "calibrate ACS data like calacs.e: an association (_asn.fits) or raw files → _flt, _crj, .tra, and _flc, _crc with PCTECORR=PERFORM (references from $jref)",
    calVer: CAL_VER,
    examples: ["caldp calacs -v j8cb010b0_asn.fits", "caldp calacs -t -1 j8cb01a1q_raw.fits"],
    run: calacs,
  });
}
