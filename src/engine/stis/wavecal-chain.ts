/**
 * cs0.e's wavecal processing for a first-order CCD or MAMA spectrum (calstis0.c): calstis1 of the `_wav` with its own
 * switches, calstis7 of it into a temporary `<root>_w2d_tmp.fits` (no science subtraction: that is for HITM lamps before
 * the shutter was closed), calstis4 of that rectified wavecal, then calstis12's shifts for the science image
 * sets (applyWavecalShifts). The wavecal itself is only read; the caller removes the temporary file.
 */
import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import { cs12History, type ScienceShifts } from "../../calib/stis/wavecal-shifts.js";
import { addHistory, setKeyword } from "../headers.js";
import { type ImageSetFile, readImageSetFile, writeImageSets } from "../imset-io.js";
import { type ReferenceNames, resolveReferenceNames } from "../program-files.js";
import type { Env } from "../reference-files.js";
import { dropHstioReserved, naming, performs, upper } from "./calstis-shared.js";
import { CS1_STEPS, calstis1 } from "./calstis1.js";
import { calstis1Mama, MAMA_STEPS } from "./calstis1-mama.js";
import { calstis4 } from "./calstis4.js";
import { CS7_REFERENCES, calstis7 } from "./calstis7.js";
import { wavecalShifts } from "./calstis12.js";
import { resolveStisReferences } from "./references.js";

/** The wavecal a science raw names (WAVECAL), beside it in `dir`: missing is an error naming raw and keyword. */
export function wavecalOf(primary: ImageSetFile["primary"], raw: string, dir: string): string {
  const name = String(primary.get("WAVECAL") ?? "").trim();
  if (name === "" || name.toUpperCase() === "N/A") {
    throw new CalibrationError("CAL_FILE_MISSING", `${raw}: WAVECORR = PERFORM but WAVECAL names no file`, {
      step: "WAVECORR",
    });
  }
  const path = join(dir, basename(name));
  if (!existsSync(path)) {
    throw new CalibrationError("CAL_FILE_MISSING", `${raw}: WAVECAL = '${name}': ${path} does not exist`, {
      step: "WAVECORR",
    });
  }
  return path;
}

export interface WavecalChain {
  trailer: string[];
}

/**
 * Runs calstis1, calstis7 and calstis4 on `wavecal` (a path) with the science's WCPTAB, LAMPTAB and APDESTAB
 * (cs0 passes calstis4 the science's references); the rectified wavecal is written to `w2d`.
 */
export function wavecalChain(wavecal: string, w2d: string, scienceRefs: ReferenceNames, env: Env) {
  const name = basename(wavecal);
  return naming(name, (): WavecalChain => {
    const file = readImageSetFile(wavecal);
    dropHstioReserved(file);
    const primary = file.primary;
    const detector = upper(primary, "DETECTOR");
    const trailer = [`CALSTIS (wavecal) processing ${name}`];
    if (detector === "CCD") {
      const steps = new Set(CS1_STEPS.filter((s) => s !== "PHOTCORR" && performs(primary, s)));
      if (steps.size > 0) trailer.push(...calstis1(file, steps, resolveStisReferences(primary, [...steps], env)));
    } else {
      const steps = new Set(MAMA_STEPS.filter((s) => s !== "PHOTCORR" && performs(primary, s)));
      const refs = resolveStisReferences(primary, [...steps], env, detector);
      if (steps.size > 0) trailer.push(...calstis1Mama(file, steps, refs));
    }
    const w2dName = basename(w2d);
    if (upper(primary, "OPT_ELEM").startsWith("E")) {
      // an echelle wavecal is not rectified: calstis4 reads its calstis1 output (cs0's fwv_tmp)
      writeImageSets(w2d, file);
    } else {
      const refs = resolveReferenceNames(primary, [...CS7_REFERENCES], () => false, env);
      const rectified = calstis7(file, refs, name, w2dName);
      trailer.push(...rectified.trailer);
      writeImageSets(w2d, rectified.file);
    }
    const { WCPTAB, LAMPTAB, APDESTAB, DISPTAB, INANGTAB, SPTRCTAB } = scienceRefs;
    if (!WCPTAB || !LAMPTAB || !APDESTAB) {
      throw new CalibrationError("CAL_FILE_MISSING", "WAVECORR needs WCPTAB, LAMPTAB and APDESTAB", {
        step: "WAVECORR",
      });
    }
    const shifts = calstis4(w2d, { WCPTAB, LAMPTAB, APDESTAB, DISPTAB, INANGTAB, SPTRCTAB });
    for (const s of shifts) trailer.push(`${w2dName}[SCI,${s.ver}]: SHIFTA1 ${s.shifta1}, SHIFTA2 ${s.shifta2}`);
    return { trailer };
  });
}

/** calstis12 in memory: the shifts of the rectified wavecal `w2d` into every image set of `science`. */
export function applyWavecalShifts(science: ImageSetFile, w2d: string, where: string): ScienceShifts {
  const sci = { primary: science.primary, sci: science.imsets.map((s) => ({ ver: s.ver, header: s.sci })) };
  const result = wavecalShifts(w2d, sci, where);
  science.imsets.forEach((s, i) => {
    for (const h of [s.sci, s.err, s.dq])
      h.set("SHIFTA1", result.shifts[i].shifta1).set("SHIFTA2", result.shifts[i].shifta2);
  });
  setKeyword(science.primary, "WAVECORR", "COMPLETE");
  addHistory(science.primary, cs12History(basename(w2d)));
  return result;
}
