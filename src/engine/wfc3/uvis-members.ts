/**
 * A UVIS exposure ready for calwf3: its raw file, switches (from the step table), references resolved,
 * CCDTAB parameters per chip and ATODTAB choice; the optional SATUFILE as hstcal getflags.c treats it.
 */
import { join } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import { anythingToDo, switchKeywords } from "../../calib/common/steps.js";
import type { SwitchState } from "../../calib/common/switches.js";
import { selectWf3CcdParameters, type Wf3CcdParameters } from "../../calib/wfc3/ccdtab.js";
import { UVIS_STEPS } from "../../calib/wfc3/steps.js";
import type { Wf3CcdSwitches } from "../../calib/wfc3/wf3ccd.js";
import type { Wf32dSwitches } from "../../calib/wfc3/wf32d.js";
import { VERSION } from "../../version.js";
import { type ImageSetFile, readImageSetHeaders } from "../imset-io.js";
import { resolveReferenceNames } from "../program-files.js";
import type { Env } from "../reference-files.js";
import { ccdSelection, switchesOf } from "./keywords.js";
import { type ReferenceNames, resolveReferences, tableOf } from "./references.js";
import { type AtodChoice, chooseAtod } from "./uvis-atod.js";
import { limitCte } from "./uvis-cte-limit.js";
import { checkUvisFiletypes } from "./uvis-filetypes.js";

/** The UVIS table's switches by keyword: WF3CCD's and WF32D's (typed by their steps), the rejection's and CTE's. */
export type UvisSwitches = Required<Wf3CcdSwitches> &
  Wf32dSwitches &
  Record<"CRCORR" | "RPTCORR" | "PCTECORR", SwitchState>;
const UVIS_SWITCHES = switchKeywords(UVIS_STEPS) as (keyof UvisSwitches)[];

export interface Member {
  root: string;
  /** The raw file; its pixels are read chip by chip by the WF3CCD workers. */
  raw: string;
  /** The raw's headers (image sets without pixels until WF3CCD gives them its results). */
  file: ImageSetFile;
  switches: UvisSwitches;
  references: ReferenceNames;
  params: Wf3CcdParameters[];
  trailer: string[];
  atod?: AtodChoice;
}

export function prepare(dir: string, root: string, env: Env): Member | undefined {
  const raw = join(dir, `${root}_raw.fits`);
  const file = readImageSetHeaders(raw);
  const switches: UvisSwitches = switchesOf(file.primary, UVIS_SWITCHES);
  const trailer = [`CALWF3 (caldp ${VERSION}) processing ${root}_raw.fits`];
  limitCte(`${root}_raw.fits`, file, switches, trailer);
  if (!anythingToDo(UVIS_STEPS, switches)) return undefined;
  const perform = (name: string) => (switches as Record<string, string>)[name] === "PERFORM";
  const references = resolveReferences(file.primary, "UVIS", perform, env);
  checkUvisFiletypes(references);
  if (perform("BIASCORR")) Object.assign(references, fullWellMap(file.primary, env, trailer));
  const ccdtab = tableOf("CCDTAB", references.CCDTAB);
  if (!ccdtab) throw new CalibrationError("CAL_FILE_MISSING", "CCDTAB is needed");
  const params = file.imsets.map((hdus) =>
    selectWf3CcdParameters(ccdtab.rows, ccdSelection(file.primary, hdus.sci, "UVIS"), ccdtab.name),
  );
  let atod: AtodChoice | undefined;
  if (switches.ATODCORR === "PERFORM") {
    atod = chooseAtod(file.primary, file.imsets[0].sci, references.ATODTAB);
    if (atod.dummy) switches.ATODCORR = "DUMMY";
  }
  return { root, raw, file, switches, references, params, trailer, atod };
}

/**
 * The optional SATUFILE: named and present, it flags the full well per pixel; otherwise (N/A, absent or
 * missing on disk) calwf3 carries on with the CCDTAB SATURATE, as hstcal getflags.c does.
 */
function fullWellMap(primary: ImageSetFile["primary"], env: Env, trailer: string[]): ReferenceNames {
  try {
    const found = resolveReferenceNames(primary, ["SATUFILE"], () => true, env);
    if (!found.SATUFILE)
      trailer.push("SATUFILE: none, a single threshold value is used for full-well saturation flagging");
    return found;
  } catch (e) {
    trailer.push(`${(e as Error).message}: a single threshold value is used for full-well saturation flagging`);
    return {};
  }
}
