/** Best references for one dataset (heavy_client.hv_best_references / rmap.get_best_references). */
import { conditionHeader, type RawValue } from "./conditioning.js";
import { type BestReferences, InstrumentContext, PipelineContext } from "./contexts.js";
import { minimizeHeader } from "./dataset-header.js";
import type { Mapping } from "./loader.js";

export interface BestRefsOptions {
  /** Filekinds to compute (any case); default: every filekind of the instrument's imap. */
  filekinds?: readonly string[];
  /** Values are conditioned unless this is false (condition_value is idempotent, so raw or conditioned both work). */
  condition?: boolean;
}

/**
 * The result for each filekind (lower case): a file name, "NOT FOUND n/a", "NOT FOUND <message>",
 * an array (tuple leaf / equal-weight files / Bracket pair) or an object (dict leaf); omitted types are absent.
 * Throws CrdsUnknownInstrumentError / CrdsError when the instrument cannot be determined.
 */
export function getBestReferences(
  context: Mapping,
  parameters: Readonly<Record<string, RawValue>>,
  options: BestRefsOptions = {},
): BestReferences {
  const header =
    options.condition === false ? { ...(parameters as Record<string, string>) } : conditionHeader(parameters);
  if (context instanceof PipelineContext) {
    const imap = context.getImap(context.getInstrument(header));
    const minimized = minimizeHeader(header, [...imap.requiredParkeys(), context.instrumentKey]);
    return imap.getBestReferences(minimized, options.filekinds);
  }
  if (context instanceof InstrumentContext) {
    return context.getBestReferences(minimizeHeader(header, context.requiredParkeys()), options.filekinds);
  }
  const ref = context.getBestRef(minimizeHeader(header, context.requiredParkeys));
  return ref === undefined ? {} : { [context.filekind]: ref };
}
