/** Loads mapping files (.pmap/.imap/.rmap) and their closure, verifying checksums. */
import { readFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { verifyMappingChecksum } from "./checksum.js";
import { InstrumentContext, PipelineContext } from "./contexts.js";
import { MappingError, MappingFormatError, MissingHeaderKeyError } from "./errors.js";
import { MappingHeader } from "./mapping-header.js";
import { parseMapping } from "./parser.js";
import { PyDict, pyStr } from "./python-values.js";
import { isNaValue, isOmitValue, ReferenceMapping, type WarningSink } from "./reference-mapping.js";

export type Mapping = PipelineContext | InstrumentContext | ReferenceMapping;

export interface LoadOptions {
  /** Accept mappings whose sha1sum is missing or wrong (default: env CRDS_IGNORE_MAPPING_CHECKSUM). */
  ignoreChecksum?: boolean;
  /** Load every nested mapping from this directory, by basename (the client's `path=` option). */
  mappingDir?: string;
  /** Where a bare mapping name lives (e.g. the cache's mappings/hst); default: beside the parent mapping. */
  locateMapping?: (name: string) => string;
  /** Receives the client's warnings (e.g. rmap_omit expressions that fail to evaluate). */
  onWarning?: WarningSink;
}

const REQUIRED_FIELDS: Record<string, readonly string[]> = {
  pipeline: ["mapping", "parkey", "name", "derived_from", "observatory"],
  instrument: ["mapping", "parkey", "name", "derived_from", "observatory", "instrument"],
  reference: ["mapping", "parkey", "name", "derived_from", "observatory", "instrument", "filekind"],
};

function envFlag(name: string): boolean {
  const value = (process.env[name] ?? "").trim().toLowerCase();
  return ["1", "true", "t", "yes", "y"].includes(value);
}

function mappingKind(path: string, header: MappingHeader): string {
  if (path.endsWith(".pmap")) return "pipeline";
  if (path.endsWith(".imap")) return "instrument";
  if (path.endsWith(".rmap")) return "reference";
  return header.text("mapping", "reference");
}

/** Loads mappings once each; nested mappings are resolved relative to their parent. */
export class MappingLoader {
  private readonly loaded = new Map<string, Mapping>();

  constructor(private readonly options: LoadOptions = {}) {}

  /** Loads `nameOrPath` and, for contexts, the whole closure it selects. */
  load(nameOrPath: string, parentDir = process.cwd()): Mapping {
    const path = this.resolvePath(nameOrPath, parentDir);
    const cached = this.loaded.get(path);
    if (cached !== undefined) return cached;
    const mapping = this.read(path);
    this.loaded.set(path, mapping);
    return mapping;
  }

  private resolvePath(name: string, parentDir: string): string {
    if (this.options.mappingDir !== undefined) return resolve(this.options.mappingDir, basename(name));
    if (isAbsolute(name)) return name;
    if (name.includes("/")) return resolve(name);
    if (this.options.locateMapping !== undefined) return this.options.locateMapping(name);
    return join(parentDir, name);
  }

  private read(path: string): Mapping {
    const name = basename(path);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      throw new MappingError(`${name}: cannot read mapping ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    }
    const parsed = parseMapping(text, name);
    const header = new MappingHeader(parsed.header);
    const kind = mappingKind(path, header);
    for (const field of REQUIRED_FIELDS[kind] ?? REQUIRED_FIELDS.reference) {
      if (!header.has(field)) throw new MissingHeaderKeyError(`${name}: Required header key '${field}' is missing.`);
    }
    const mapping = this.build(kind, name, path, header, parsed.selector);
    const ignore = this.options.ignoreChecksum ?? envFlag("CRDS_IGNORE_MAPPING_CHECKSUM");
    if (!ignore) {
      const recorded = header.raw("sha1sum");
      verifyMappingChecksum(text, recorded === undefined ? undefined : pyStr(recorded), name);
    }
    return mapping;
  }

  private build(kind: string, name: string, path: string, header: MappingHeader, selector: unknown): Mapping {
    if (kind === "reference") {
      return new ReferenceMapping(name, path, header, selector as never, this.options.onWarning);
    }
    if (!(selector instanceof PyDict)) throw new MappingFormatError(`${name}: a context's selector must be a dict`);
    const children = new Map<string, string>();
    for (const [key, value] of selector.entries) children.set(pyStr(key).toLowerCase(), pyStr(value));
    const dir = dirname(path);
    if (kind === "pipeline") {
      const imaps = new Map<string, InstrumentContext | string>();
      for (const [instrument, child] of children) {
        imaps.set(instrument, isSpecial(child) ? child : this.expect(this.load(child, dir), InstrumentContext, name));
      }
      return new PipelineContext(name, path, header, imaps);
    }
    const rmaps = new Map<string, ReferenceMapping | string>();
    for (const [filekind, child] of children) {
      rmaps.set(filekind, isSpecial(child) ? child : this.expect(this.load(child, dir), ReferenceMapping, name));
    }
    return new InstrumentContext(name, path, header, rmaps);
  }

  private expect<T>(mapping: Mapping, type: abstract new (...args: never[]) => T, parent: string): T {
    if (!(mapping instanceof type)) {
      throw new MappingFormatError(`${parent}: ${mapping.name} is a ${mapping.kind} mapping, not the expected kind`);
    }
    return mapping;
  }
}

function isSpecial(value: string): boolean {
  return isNaValue(value) || isOmitValue(value);
}

/** Loads one mapping (and its closure) with a fresh loader. */
export function loadMapping(nameOrPath: string, options: LoadOptions = {}): Mapping {
  return new MappingLoader(options).load(nameOrPath);
}
