/**
 * ACS2D's tasks of one file's image sets for the worker pool, and their results applied to its headers. Image
 * sets kept in the chip store are read there by their task, and their results kept there until the product
 * is written.
 */
import type { Acs2dReferences } from "../../calib/acs/acs2d.js";
import type { AcsCcdResult } from "../../calib/acs/acsccd.js";
import type { ImageSet } from "../../calib/common/imset.js";
import type { StepUpdates } from "../../calib/common/steps.js";
import { applyKeywords, applyPrimary } from "../headers.js";
import type { ImageSetFile } from "../imset-io.js";
import { type AcsSwitches, twoDKeywords } from "./keywords.js";
import type { TwoDTaskArgs } from "./tasks.js";

export type TwoDResult = { science: ImageSet; updates: StepUpdates };

/** ACS2D's tasks of a file's image sets; those kept in the chip store are read there and their results kept there. */
export function twoDTasks(
  file: ImageSetFile,
  switches: AcsSwitches,
  references: Acs2dReferences,
  ccd: AcsCcdResult | undefined,
  store: (k: number) => string,
): TwoDTaskArgs[] {
  return file.imsets.map((hdus, k) => ({
    science: hdus.set,
    stored: hdus.stored,
    store: hdus.stored && store(k),
    firstImset: k === 0,
    switches,
    keywords: twoDKeywords(file.primary, hdus.sci),
    references,
    ccd: ccd?.imsets[k]?.parameters,
  }));
}

/** The results of a file's image sets into its headers (stored image sets: now their results' files); the warnings. */
export function applyTwoD(file: ImageSetFile, results: TwoDResult[], store: (k: number) => string): string[] {
  const warnings: string[] = [];
  results.forEach(({ science, updates }, k) => {
    const hdus = file.imsets[k];
    hdus.set = science;
    if (hdus.stored) hdus.stored = store(k);
    applyPrimary(file.primary, updates);
    applyKeywords(hdus.sci, updates.sci);
    applyKeywords(hdus.err, updates.err);
    applyKeywords(hdus.dq, updates.dq);
    warnings.push(...updates.warnings);
  });
  return warnings;
}
