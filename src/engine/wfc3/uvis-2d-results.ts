/** WF32D's results into a UVIS product's headers, and a log line per step and image set. */
import { stepLogLine } from "../../calib/common/step-trailer.js";
import type { StepRecord } from "../../calib/common/steps.js";
import type { Wf32dResult } from "../../calib/wfc3/wf32d.js";
import { addHistory, applyKeywords } from "../headers.js";
import type { ImageSetFile } from "../imset-io.js";

/** The image sets, SCI/ERR keywords, primary switches, HISTORY and photometry; returns the warnings. */
export function applyWf32d(file: ImageSetFile, results: Wf32dResult[], history = results[0]?.history ?? []): string[] {
  const warnings: string[] = [];
  results.forEach((r, k) => {
    const hdus = file.imsets[k];
    hdus.set = r.set;
    applyKeywords(hdus.sci, r.sci);
    applyKeywords(hdus.err, r.err);
    warnings.push(...r.warnings);
  });
  applyKeywords(file.primary, results[0]?.primary ?? {});
  addHistory(file.primary, history);
  // The photometry of the first image set also goes into the primary header, as hstcal does.
  const phot = Object.fromEntries(
    Object.entries(results[0]?.sci ?? {}).filter(
      ([k]) => (k.startsWith("PHOT") && k !== "PHOTMODE") || k.startsWith("PHTF") || k === "PHTRATIO",
    ),
  );
  applyKeywords(file.primary, phot);
  return warnings;
}

export function logSteps(log: (line: string) => void, name: string, results: { steps: StepRecord[] }[]): void {
  results.forEach((r, k) => {
    for (const step of r.steps) log(stepLogLine(step, `${name} imset ${k + 1}`));
  });
}
