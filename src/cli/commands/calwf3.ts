import type { Command } from "commander";
import { CAL_VER, calwf3 } from "../../engine/wfc3/calwf3.js";
import { registerHstcalCommand } from "./hstcal-command.js";

export function registerCalwf3Command(program: Command): void {
  registerHstcalCommand(program, {
    program: "calwf3",
    description:
      "calibrate WFC3 data like calwf3.e: an association (_asn.fits) or raw files → UVIS _flt/_crj, IR _ima/_flt, .tra (references from $iref)",
    calVer: CAL_VER,
    examples: ["caldp calwf3 -v ib1f23qjq_raw.fits", "caldp calwf3 -tq --nthreads 2 iacr51010_asn.fits"],
    run: calwf3,
  });
}
