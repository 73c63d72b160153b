/**
 * Primary-header HISTORY records of ACSCCD (hstcal acshist.c, tabhistory.c, imghistory.c): the switch
 * line, then the reference file name with its PEDIGREE and DESCRIP (empty values are not written).
 */
import { type SwitchState, switchUpdate } from "./switches.js";

export interface ReferenceNote {
  /** The header value, e.g. jref$x1234_ccd.fits. */
  name: string;
  pedigree?: string;
  descrip?: string;
  /** DESCRIP of the table row used (tables only). */
  rowDescrip?: string;
}

export function referenceLines(kind: "image" | "table", ref: ReferenceNote): string[] {
  const lines = [`  reference ${kind} ${ref.name}`];
  for (const text of [ref.pedigree, ref.descrip, kind === "table" ? ref.rowDescrip : undefined]) {
    if (text) lines.push(`    ${text}`);
  }
  return lines;
}

export interface SwitchRecord {
  /** New value of the switch keyword, if it changes. */
  value?: "COMPLETE" | "SKIPPED";
  history: string[];
  /** Whether the reference file should be recorded after the switch line (hstcal's "logit"). */
  logReference: boolean;
}

/** hstcal UpdateSwitch: PERFORM → COMPLETE, DUMMY/IGNORED → SKIPPED, anything else untouched. */
export function switchRecord(name: string, state: SwitchState): SwitchRecord {
  const update = switchUpdate(name, state);
  return {
    value: update.value,
    history: update.history ? [update.history] : [],
    logReference: update.value !== undefined,
  };
}

/** OMIT and COMPLETE mean the step was not attempted: no HISTORY at all (hstcal OmitStep). */
export function stepOmitted(state: SwitchState): boolean {
  return state === "OMIT" || state === "COMPLETE";
}
