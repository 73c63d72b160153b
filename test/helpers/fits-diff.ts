import { DEFAULT_DIFF_OPTIONS, type DiffOptions, diffFiles, type FileDiff } from "../../src/fits/index.js";

/**
 * Compares two FITS products as `caldp fits diff` does (fitsdiff's rules); `options` adds ignore lists or
 * tolerances. Returns the differences, for an assertion message, or undefined when the files agree.
 */
export function fitsDifferences(a: string, b: string, options: Partial<DiffOptions> = {}): FileDiff | undefined {
  const result = diffFiles(a, b, { ...DEFAULT_DIFF_OPTIONS, ...options });
  return result.identical ? undefined : result;
}
