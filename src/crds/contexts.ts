/** Context mappings: .imap (filekind -> rmap) and .pmap (instrument -> imap). */

import type { DatasetHeader } from "./dataset-header.js";
import { CrdsError, CrdsUnknownInstrumentError } from "./errors.js";
import type { MappingHeader } from "./mapping-header.js";
import { pythonStrRepr } from "./python-format.js";
import { type BestRef, isNaValue, isOmitValue, type ReferenceMapping } from "./reference-mapping.js";
import { compareStrings } from "./selectors/selector.js";

/** Filekind -> result, encoded as in the reference client; omitted filekinds are absent. */
export type BestReferences = Record<string, Exclude<BestRef, undefined>>;

/** The instrument keywords the client tries, in order, after the pmap's own parkey. */
export const INSTRUMENT_KEYWORDS = [
  "INSTRUME",
  "META.INSTRUMENT.NAME",
  "META_INSTRUMENT_NAME",
  "INSTRUMENT",
  "ROMAN.META.INSTRUMENT.NAME",
  "META.INSTRUMENT.TYPE",
  "META_INSTRUMENT_TYPE",
];

export class InstrumentContext {
  readonly kind = "instrument";
  readonly instrument: string;
  readonly observatory: string;
  private cachedParkeys: string[] | undefined;

  constructor(
    readonly name: string,
    readonly path: string,
    readonly header: MappingHeader,
    /** filekind (lower case) -> rmap, or a special value such as N/A or OMIT. */
    readonly selections: ReadonlyMap<string, ReferenceMapping | string>,
  ) {
    this.instrument = header.text("instrument", "");
    this.observatory = header.text("observatory", "");
  }

  get filekinds(): string[] {
    return [...this.selections.keys()];
  }

  rmaps(): ReferenceMapping[] {
    return [...this.selections.values()].filter((v): v is ReferenceMapping => typeof v !== "string");
  }

  /** Sorted union of the imap parkey and extra_keys and every rmap's required parameters. */
  requiredParkeys(): string[] {
    if (this.cachedParkeys === undefined) {
      const keys = new Set<string>([...this.header.names("parkey"), ...this.header.names("extra_keys")]);
      for (const rmap of this.rmaps()) for (const key of rmap.requiredParkeys) keys.add(key);
      this.cachedParkeys = [...keys].sort(compareStrings);
    }
    return this.cachedParkeys;
  }

  /** InstrumentContext.get_best_references over a minimised, conditioned header. */
  getBestReferences(header: Readonly<DatasetHeader>, filekinds?: readonly string[]): BestReferences {
    const include = filekinds && filekinds.length > 0 ? filekinds : this.filekinds;
    const refs: BestReferences = {};
    for (const requested of include) {
      const filekind = requested.toLowerCase();
      const ref = this.bestRefFor(filekind, header);
      if (ref !== undefined) refs[filekind] = ref;
    }
    return refs;
  }

  private bestRefFor(filekind: string, header: Readonly<DatasetHeader>): BestRef {
    const selection = this.selections.get(filekind);
    if (selection === undefined) return `NOT FOUND Unknown reference type ${pythonStrRepr(filekind)}`;
    if (typeof selection === "string") {
      if (isNaValue(selection)) return "NOT FOUND n/a";
      if (isOmitValue(selection)) return undefined;
      return `NOT FOUND 'str' object has no attribute 'get_best_ref'`;
    }
    try {
      return selection.getBestRef(header);
    } catch (error) {
      return `NOT FOUND ${(error as Error).message}`;
    }
  }
}

export class PipelineContext {
  readonly kind = "pipeline";
  readonly observatory: string;
  /** The dataset keyword naming the instrument (parkey[0], upper case): INSTRUME for HST. */
  readonly instrumentKey: string;

  constructor(
    readonly name: string,
    readonly path: string,
    readonly header: MappingHeader,
    /** instrument (lower case) -> imap, or a special value. */
    readonly selections: ReadonlyMap<string, InstrumentContext | string>,
  ) {
    this.observatory = header.text("observatory", "");
    this.instrumentKey = (header.names("parkey")[0] ?? "INSTRUME").toUpperCase();
  }

  imaps(): InstrumentContext[] {
    return [...this.selections.values()].filter((v): v is InstrumentContext => typeof v !== "string");
  }

  /** PipelineContext.get_instrument. */
  getInstrument(header: Readonly<DatasetHeader>): string {
    const keys = [this.instrumentKey.toUpperCase(), this.instrumentKey.toLowerCase(), ...INSTRUMENT_KEYWORDS];
    for (const key of keys) {
      if (Object.hasOwn(header, key) && header[key].toUpperCase() !== "UNDEFINED") return header[key].toUpperCase();
    }
    throw new CrdsError(`Missing '${this.instrumentKey}' keyword in header for determining instrument.`);
  }

  /** PipelineContext.get_imap (WFII is WFPC2). */
  getImap(instrument: string): InstrumentContext {
    let key = instrument.toLowerCase();
    if (key === "wfii") key = "wfpc2";
    const imap = this.selections.get(key);
    if (imap === undefined || typeof imap === "string") {
      throw new CrdsUnknownInstrumentError(
        `Unknown instrument ${pythonStrRepr(key)} for context ${pythonStrRepr(this.name)}`,
      );
    }
    return imap;
  }
}
