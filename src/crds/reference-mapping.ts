/** ReferenceMapping (.rmap): one filekind's selector tree plus its header rules (relevance, omit, hooks). */

import { type DatasetHeader, minimizeHeader } from "./dataset-header.js";
import { IrrelevantReferenceType, MappingFormatError, OmitReferenceType } from "./errors.js";
import { type CompiledExpression, compileExpression, type ExprEnv, truthy } from "./expressions.js";
import { doNotReprocess, findHook, type HeaderHook } from "./hst-hooks.js";
import type { MappingHeader } from "./mapping-header.js";
import { pythonStrRepr } from "./python-format.js";
import { PyCall, PyDict, PyList, PyTuple, type PyValue, pyStr } from "./python-values.js";
import { buildSelector } from "./selectors/build.js";
import type { Result, Selector } from "./selectors/selector.js";
import { SourceError } from "./tokenizer.js";

/** Result of one filekind: a file name (or tuple/dict), "NOT FOUND ...", or undefined when omitted. */
export type BestRef = Result | undefined;

export type WarningSink = (message: string) => void;

const NA_VALUES = new Set(["N/A", "TEMP_N/A", "n/a", "temp_n/a"]);
const OMIT_VALUES = new Set(["OMIT", "TEMP_OMIT", "omit", "temp_n/a"]);

export function isNaValue(value: unknown): boolean {
  return typeof value === "string" && NA_VALUES.has(value);
}
export function isOmitValue(value: unknown): boolean {
  return typeof value === "string" && OMIT_VALUES.has(value);
}

const DEFAULT_SUBSTITUTIONS: ReadonlyArray<[string, string, string]> = [
  ["META.SUBARRAY.NAME", "GENERIC", "N/A"],
  ["SUBARRAY", "GENERIC", "N/A"],
];

interface NamedExpression {
  source: string;
  evaluate: CompiledExpression;
}

/** Adds '.'->'_' aliases so JWST-style dotted keywords can appear in expressions. */
function expressionEnv(header: Readonly<DatasetHeader>): Record<string, string | boolean> {
  const env: Record<string, string | boolean> = { ...header };
  for (const [key, value] of Object.entries(header)) if (key.includes(".")) env[key.replaceAll(".", "_")] = value;
  return env;
}

export class ReferenceMapping {
  readonly kind = "reference";
  readonly observatory: string;
  readonly instrument: string;
  readonly filekind: string;
  readonly selector: Selector;
  readonly requiredParkeys: readonly string[];
  private readonly reffileRequired: string;
  private readonly relevance: NamedExpression;
  private readonly omit: NamedExpression;
  private readonly parkeyRelevance = new Map<string, NamedExpression>();
  private readonly precondition: HeaderHook | undefined;
  private readonly fallback: HeaderHook | undefined;

  constructor(
    readonly name: string,
    readonly path: string,
    readonly header: MappingHeader,
    selectorSource: PyValue,
    private readonly warn: WarningSink = () => {},
  ) {
    this.observatory = header.text("observatory", "");
    this.instrument = header.text("instrument", "");
    this.filekind = header.text("filekind", "");
    const reffileSwitch = header.text("reffile_switch", "NONE").toUpperCase();
    this.reffileRequired = header.text("reffile_required", "NONE").toUpperCase();
    const parkey = header.get("parkey");
    const levels = parkey instanceof PyTuple || parkey instanceof PyList ? parkey.items : [];
    const required = levels.flatMap((level) =>
      level instanceof PyTuple || level instanceof PyList ? level.items.map(pyStr) : [pyStr(level)],
    );
    if (reffileSwitch !== "NONE") required.push(reffileSwitch);
    required.push(...header.names("extra_keys"));
    this.requiredParkeys = required;

    if (!(selectorSource instanceof PyCall)) throw new MappingFormatError(`${name}: rmap selector must be a Selector`);
    this.selector = buildSelector(selectorSource, levels, this.selectorOptions(), name);

    this.relevance = this.expression(
      "rmap_relevance",
      header.text("rmap_relevance", "always").replaceAll("always", "True"),
    );
    this.omit = this.expression("rmap_omit", header.text("rmap_omit", "False"));
    const relevant = header.dictionary("parkey_relevance");
    for (const [key, expr] of relevant?.entries ?? []) {
      this.parkeyRelevance.set(pyStr(key).toLowerCase(), this.expression("parkey_relevance", pyStr(expr)));
    }
    for (const comment of header.names("comment_parkeys")) {
      this.parkeyRelevance.set(comment.toLowerCase(), this.expression("comment_parkeys", "keep_comments"));
    }
    this.precondition = this.hook("precondition_header");
    this.fallback = this.hook("fallback_header");
  }

  private selectorOptions() {
    const substitutions = new Map<string, PyDict>();
    for (const [keyword, meta, value] of DEFAULT_SUBSTITUTIONS) {
      const table = new PyDict();
      table.set(meta, value);
      substitutions.set(keyword, table);
    }
    for (const [keyword, table] of this.header.dictionary("substitutions")?.entries ?? []) {
      if (table instanceof PyDict) substitutions.set(pyStr(keyword), table);
    }
    const merge = this.header.get("merge_overlaps");
    const mergeOverlaps = merge === undefined || ["TRUE", "1"].includes(pyStr(merge).toUpperCase());
    return { substitutions, mergeOverlaps };
  }

  private expression(field: string, source: string): NamedExpression {
    try {
      return { source, evaluate: compileExpression(source) };
    } catch (error) {
      if (error instanceof SourceError) {
        throw new MappingFormatError(
          `${this.name}: invalid ${field} expression ${pythonStrRepr(source)}: ${error.detail} at column ${error.column}`,
        );
      }
      throw error;
    }
  }

  /** ReferenceMapping.get_hook: named in the header's `hooks`, else <name>_<instrument>_<filekind>_v1. */
  private hook(genericName: string): HeaderHook | undefined {
    const hooks = this.header.dictionary("hooks");
    const functionName =
      hooks !== undefined && hooks.entries.length > 0
        ? pyStr(hooks.get(genericName) ?? genericName)
        : `${genericName}_${this.instrument}_${this.filekind}_v1`;
    return findHook(this.observatory, this.instrument, functionName);
  }

  /** Reference file names of this rmap (special values excluded). */
  referenceNames(): string[] {
    const names = this.selector.leafNames().filter((n) => !isNaValue(n) && !isOmitValue(n));
    return [...new Set(names)].sort();
  }

  /** ReferenceMapping.get_best_ref: errors become "NOT FOUND <message>"; omitted types give undefined. */
  getBestRef(header: Readonly<DatasetHeader>): BestRef {
    try {
      return this.lookup(header);
    } catch (error) {
      if (error instanceof IrrelevantReferenceType) return "NOT FOUND n/a";
      if (error instanceof OmitReferenceType) return undefined;
      return `NOT FOUND ${(error as Error).message}`;
    }
  }

  private lookup(headerIn: Readonly<DatasetHeader>): Result {
    const env = expressionEnv(headerIn);
    if (this.evaluateLeniently(this.omit, env, "OMIT") === true) throw new OmitReferenceType();
    if (this.evaluateLeniently(this.relevance, env, "relevance") === false) throw new IrrelevantReferenceType();
    let header = this.precondition ? this.precondition(headerIn)! : { ...headerIn };
    header = this.mapIrrelevantParkeysToNa(header);
    let bestref: Result;
    try {
      bestref = this.selector.choose(header);
    } catch (error) {
      if (doNotReprocess(this.observatory, header)) throw new IrrelevantReferenceType();
      const fallback = this.fallback?.({ ...headerIn });
      try {
        if (!fallback) throw error;
        bestref = this.selector.choose(this.mapIrrelevantParkeysToNa(minimizeHeader(fallback, this.requiredParkeys)));
      } catch (fallbackError) {
        if (this.reffileRequired === "YES" || this.reffileRequired === "NONE") throw fallbackError;
        throw new IrrelevantReferenceType();
      }
    }
    if (isNaValue(bestref)) throw new IrrelevantReferenceType();
    if (isOmitValue(bestref)) throw new OmitReferenceType();
    return bestref;
  }

  /** rmap_omit / rmap_relevance: evaluation errors only warn (and leave the type included and relevant). */
  private evaluateLeniently(expr: NamedExpression, env: ExprEnv, what: string): boolean | undefined {
    try {
      return truthy(expr.evaluate(env));
    } catch (error) {
      this.warn(
        `Failed checking ${what} for ${pythonStrRepr(this.instrument)} ${pythonStrRepr(this.filekind)} with expr ${pythonStrRepr(expr.source)} : ${(error as Error).message}`,
      );
      return undefined;
    }
  }

  /** parkey_relevance: a parameter whose expression is false is matched as N/A. */
  private mapIrrelevantParkeysToNa(header: DatasetHeader): DatasetHeader {
    if (this.parkeyRelevance.size === 0) return header;
    const env: Record<string, string | boolean> = expressionEnv(header);
    for (const key of this.requiredParkeys) {
      if (!Object.hasOwn(header, key) || header[key] === "UNDEFINED") env[key] = "UNDEFINED";
    }
    env["keep_comments"] = false;
    const result = { ...header };
    for (const parkey of this.requiredParkeys) {
      const expr = this.parkeyRelevance.get(parkey.toLowerCase());
      if (expr !== undefined && !truthy(expr.evaluate(env))) result[parkey] = "N/A";
    }
    return result;
  }
}
