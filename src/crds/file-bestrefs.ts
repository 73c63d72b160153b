/**
 * Best references for FITS files and the header updates `crds bestrefs --update-bestrefs` makes
 * (crds.md §4): dataset parameters from every HDU header, results screened into keyword values,
 * then written into the primary header (new keywords appended as astropy appends them).
 */
import { type Card, FitsFile, rewriteHeaders } from "../fits/index.js";
import { getBestReferences } from "./bestrefs.js";
import { irafPrefix } from "./cache.js";
import type { BestReferences } from "./contexts.js";
import { datasetParameters, type HeaderCard } from "./dataset-params.js";
import type { Mapping } from "./loader.js";
import { pythonFloatRepr } from "./python-format.js";

/** Python's str() of a complex number: '(1+2j)', '(1.5-2.25j)'. */
function pythonComplex(re: number, im: number): string {
  const part = (x: number) => pythonFloatRepr(x).replace(/\.0$/, "");
  return `(${part(re)}${im < 0 || Object.is(im, -0) ? "-" : "+"}${part(Math.abs(im))}j)`;
}

function toHeaderCard(card: Card): HeaderCard | undefined {
  if (card.kind === "commentary") {
    return card.keyword === "" ? undefined : { keyword: card.keyword, value: card.comment, kind: "string" };
  }
  if (card.kind === "invalid") return { keyword: card.keyword, value: String(card.value), kind: "string" };
  if (card.kind === "complex") {
    const { re, im } = card.value as { re: number; im: number };
    return { keyword: card.keyword, value: pythonComplex(re, im), kind: "complex" };
  }
  return { keyword: card.keyword, value: card.value as HeaderCard["value"], kind: card.kind };
}

/** The dataset parameters of a FITS file: the union of all its headers, first value wins. */
export function fileParameters(path: string): Record<string, string> {
  const fits = FitsFile.open(path);
  try {
    return datasetParameters(fits.hdus.map((hdu) => hdu.header.cards.flatMap((c) => toHeaderCard(c) ?? [])));
  } finally {
    fits.close();
  }
}

export function bestrefsForFile(context: Mapping, path: string, filekinds?: readonly string[]): BestReferences {
  return getBestReferences(context, fileParameters(path), { filekinds });
}

export interface HeaderUpdatePlan {
  /** KEYWORD → value to write ('N/A' or '<prefix>$<name>'), in filekind order. */
  updates: [string, string][];
  /** Filekinds whose lookup failed: not updated, and the run fails. */
  errors: { filekind: string; message: string }[];
}

const UNDEFINED_RESULTS = new Set(["NOT FOUND NO MATCH FOUND.", "UNDEFINED", "NONE", "", "*"]);

/** Screens results as the client's handle_na_and_not_found does, into header keyword values. */
export function planHeaderUpdates(results: BestReferences, instrument: string): HeaderUpdatePlan {
  const plan: HeaderUpdatePlan = { updates: [], errors: [] };
  for (const filekind of Object.keys(results).sort()) {
    const result = results[filekind];
    if (typeof result !== "string") {
      plan.errors.push({
        filekind,
        message: `several references ${JSON.stringify(result)} cannot go into one keyword`,
      });
      continue;
    }
    const value = result.replace(/^[a-z]+\$/i, "").replace(/^crds:\/\//, "");
    const upper = value.toUpperCase();
    if (upper.startsWith("NOT FOUND N/A") || UNDEFINED_RESULTS.has(upper)) {
      plan.updates.push([filekind.toUpperCase(), "N/A"]);
    } else if (upper.startsWith("NOT FOUND")) {
      plan.errors.push({ filekind, message: value.replace(/^NOT FOUND\s?/, "") });
    } else {
      plan.updates.push([filekind.toUpperCase(), `${irafPrefix(instrument)}${value}`.toLowerCase()]);
    }
  }
  return plan;
}

/**
 * Writes CRDS_CTX, CRDS_VER and the planned keywords into the primary header (atomically; data and
 * extension headers untouched). Existing keywords keep their place and comment; new ones get an empty comment.
 */
export function writeBestrefsHeader(path: string, plan: HeaderUpdatePlan, context: string, version: string): void {
  rewriteHeaders(path, (header, hdu) => {
    if (hdu.index !== 0) return;
    for (const [keyword, value] of [["CRDS_CTX", context], ["CRDS_VER", version], ...plan.updates]) {
      header.set(keyword, value);
    }
  });
}
