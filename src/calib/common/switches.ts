/** Calibration switches (calibration.md §0.1): how header values are read and what is written back. */
import { CalibrationError } from "./errors.js";

export type SwitchState = "PERFORM" | "OMIT" | "COMPLETE" | "SKIPPED" | "DUMMY" | "IGNORED";

/** Reads a switch keyword: PERFORM, OMIT/SKIPPED/absent → OMIT, COMPLETE; anything else is a header problem. */
export function readSwitch(name: string, value: unknown): SwitchState {
  if (value === undefined || value === null) return "OMIT";
  const text = String(value).trim().toUpperCase();
  if (text === "PERFORM") return "PERFORM";
  if (text === "OMIT" || text === "SKIPPED") return "OMIT";
  if (text === "COMPLETE") return "COMPLETE";
  throw new CalibrationError("HEADER_PROBLEM", `${name} = '${String(value)}' is not PERFORM, OMIT or COMPLETE`);
}

/** What the step will do: a COMPLETE step is not redone, except DQICORR (OR-ing flags twice is harmless). */
export function effectiveSwitch(name: string, state: SwitchState): SwitchState {
  if (state === "COMPLETE") return name.toUpperCase() === "DQICORR" ? "PERFORM" : "OMIT";
  return state;
}

/** A reference file whose PEDIGREE starts with DUMMY turns PERFORM into DUMMY (the step is skipped). */
export function withPedigree(state: SwitchState, pedigree: string | undefined): SwitchState {
  return state === "PERFORM" && pedigree?.trim().toUpperCase().startsWith("DUMMY") ? "DUMMY" : state;
}

export interface SwitchUpdate {
  /** The value written to the switch keyword, or undefined when the keyword is left alone. */
  value?: "COMPLETE" | "SKIPPED";
  history?: string;
}

/** The keyword value and HISTORY line after a step ran in the given state. */
export function switchUpdate(name: string, state: SwitchState): SwitchUpdate {
  switch (state) {
    case "PERFORM":
      return { value: "COMPLETE", history: `${name} complete ...` };
    case "DUMMY":
      return { value: "SKIPPED", history: `${name} skipped due to dummy reference file ...` };
    case "IGNORED":
      return { value: "SKIPPED", history: `${name} not performed ...` };
    default:
      return {};
  }
}

/** HISTORY lines naming the reference file a step used. */
export function referenceHistory(
  kind: "image" | "table",
  name: string,
  pedigree: string,
  descrip: string,
  rowDescrip?: string,
): string[] {
  const lines = [`  reference ${kind} ${name}`, `    ${pedigree}`, `    ${descrip}`];
  if (rowDescrip) lines.push(`    ${rowDescrip}`);
  return lines;
}
