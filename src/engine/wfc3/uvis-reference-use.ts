/**
 * Which reference pixels a UVIS phase's tasks are handed: the references they read by rows themselves (the
 * headers only), and the SNKCFILE image sets a round of chips uses (hstcal picks them by number).
 */

import { readImageSetHeaders } from "../imset-io.js";
import { rowReferenceFile } from "../reference-rows-file.js";
import type { SharedImages } from "../shared-references.js";
import type { Member } from "./uvis-members.js";

/** The member's references `keywords` that its tasks read by rows (headers only; a compressed one is not). */
export function rowReadReferences(m: Member, keywords: readonly string[]): SharedImages {
  const rows: SharedImages = {};
  for (const keyword of keywords) {
    const ref = m.references[keyword];
    const file = ref && rowReferenceFile(ref);
    if (file) rows[keyword] = file;
  }
  return rows;
}

export function withoutKeys(references: Member["references"], drop: SharedImages): Member["references"] {
  return Object.fromEntries(Object.entries(references).filter(([k]) => !(k in drop)));
}

/** CCDCHIP of each image set of each SNKCFILE the members name (headers only). */
export function sinkImsetChips(members: Member[]): Map<string, number[]> {
  const chips = new Map<string, number[]>();
  for (const m of members) {
    const path = m.switches.DQICORR === "PERFORM" ? m.references.SNKCFILE?.path : undefined;
    if (path && !chips.has(path))
      chips.set(
        path,
        readImageSetHeaders(path).imsets.map((h) => h.set.chip),
      );
  }
  return chips;
}

/**
 * The CCDCHIPs of the SNKCFILE image sets the member's chip `chip` uses: hstcal picks them by number
 * (uvis-sink.ts sinkPlacement), not by CCDCHIP.
 */
export function sinkChipsOf(m: Member, chip: number, sinks: Map<string, number[]>): number[] {
  const all = m.references.SNKCFILE && sinks.get(m.references.SNKCFILE.path);
  if (!all) return [];
  const subarray = m.file.primary.get("SUBARRAY") === true;
  return m.file.imsets.flatMap((h, k) => {
    const number = subarray ? 1 : k + 1;
    return h.set.chip === chip && all[number - 1] !== undefined ? [all[number - 1]!] : [];
  });
}
