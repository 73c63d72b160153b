import type { Command } from "commander";
import { CALSTIS_VERSION, calstis } from "../../engine/stis/calstis.js";
import { registerHstcalCommand } from "./hstcal-command.js";

export function registerCalstisCommand(program: Command): void {
  registerHstcalCommand(program, {
    program: "calstis",
    description:
      "calibrate STIS images like cs0.e: raw files → _flt (calstis1, CCD and FUV/NUV-MAMA), CR-SPLIT → _crj (calstis2) and the CR-flagged _flt, MAMA REPEATOBS → _sfl (calstis8), first-order CCD and MAMA long-slit spectra: WAVECORR from the _wav (calstis4/12 on its x2d), _sx2/_x2d (calstis7) and _sx1/_x1d (calstis6); MAMA echelle spectra (E140M checked against cs0.e): WAVECORR, an _x2d imset and an _x1d row per order; .tra (references from $oref); prism spectra are not native yet",
    calVer: CALSTIS_VERSION,
    examples: ["caldp calstis -v o8ab02abq_raw.fits", "caldp calstis -t o8ab01aaq_raw.fits o8ab01abq_raw.fits"],
    run: calstis,
  });
}
