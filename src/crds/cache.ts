/** The CRDS cache layout (config._std_cache_path, ref_cache_subdir_mode, hst locate_file). */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { CacheError, CrdsConfigError } from "./errors.js";
import { parsePythonLiteral } from "./parser.js";
import { toPlain } from "./python-values.js";

export type Env = Readonly<Record<string, string | undefined>>;
export type SubdirMode = "flat" | "instrument" | "legacy";

export interface CacheLayout {
  observatory: string;
  mappingDir: string;
  referenceDir: string;
  configDir: string;
  pickleDir: string;
  /** CRDS_READONLY_CACHE: never write into the cache. */
  readonly: boolean;
}

function clean(path: string): string {
  return path.replace(/\/+$/, "");
}

/** _std_cache_path: <ROOT>_SINGLE, <ROOT>/<obs>, CRDS_PATH_SINGLE/<subdir>, CRDS_PATH/<subdir>/<obs>, default. */
function standardPath(env: Env, observatory: string, rootEnv: string, subdir: string): string {
  const single = env[`${rootEnv}_SINGLE`];
  if (single !== undefined) return clean(single);
  const root = env[rootEnv];
  if (root !== undefined) return clean(join(root, observatory));
  if (env.CRDS_PATH_SINGLE !== undefined) return clean(join(env.CRDS_PATH_SINGLE, subdir));
  const base = env.CRDS_PATH ?? env.CRDS_DEFAULT_CACHE ?? "/grp/crds/cache";
  return clean(join(base, subdir, observatory));
}

/** config.env_to_bool. */
export function envBoolean(env: Env, name: string, fallback = false): boolean {
  const value = env[name];
  if (value === undefined) return fallback;
  if (["False", "false", "FALSE", "F", "f", "0"].includes(value)) return false;
  if (["True", "true", "TRUE", "T", "t", "1"].includes(value)) return true;
  throw new CrdsConfigError(`Invalid value '${value}' for boolean env var '${name}'`);
}

export function cacheLayout(env: Env = process.env, observatory = "hst"): CacheLayout {
  return {
    observatory,
    mappingDir: standardPath(env, observatory, "CRDS_MAPPATH", "mappings"),
    referenceDir: standardPath(env, observatory, "CRDS_REFPATH", "references"),
    configDir: standardPath(env, observatory, "CRDS_CFGPATH", "config"),
    pickleDir: standardPath(env, observatory, "CRDS_PICKLEPATH", "pickles"),
    readonly: envBoolean(env, "CRDS_READONLY_CACHE"),
  };
}

/** A mapping's cache path (a name with a directory part is used as given). */
export function mappingPath(layout: CacheLayout, name: string): string {
  return name.includes("/") ? name : join(layout.mappingDir, name);
}

/** Writes `contents` atomically (temporary name, then rename), unless the cache is read-only. */
export function cacheAtomicWrite(layout: CacheLayout, path: string, contents: string): void {
  if (layout.readonly) throw new CacheError(`cannot write ${path}: the CRDS cache is read-only (CRDS_READONLY_CACHE)`);
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

/** config.get_crds_ref_subdir_mode: the config file, else guessed (>20 references = flat) and recorded. */
export function refSubdirMode(layout: CacheLayout): SubdirMode {
  const modeFile = join(layout.configDir, "ref_cache_subdir_mode");
  let mode: string;
  if (existsSync(modeFile)) mode = readFileSync(modeFile, "utf8").trim();
  else {
    const count = existsSync(layout.referenceDir) ? readdirSync(layout.referenceDir).length : 0;
    mode = count > 20 ? "flat" : "instrument";
    if (!layout.readonly) cacheAtomicWrite(layout, modeFile, mode);
  }
  if (mode !== "flat" && mode !== "instrument" && mode !== "legacy") {
    throw new CrdsConfigError(`Invalid CRDS cache subdirectory mode = '${mode}' in ${modeFile}`);
  }
  return mode;
}

const ID_CHAR_TO_INSTRUMENT: Readonly<Record<string, string>> = {
  j: "acs",
  o: "stis",
  n: "nicmos",
  u: "wfpc2",
  i: "wfc3",
  l: "cos",
  m: "synphot",
};
const IRAF_PREFIX: Readonly<Record<string, string>> = {
  acs: "jref",
  stis: "oref",
  nicmos: "nref",
  wfpc2: "uref",
  wfc3: "iref",
  cos: "lref",
  synphot: "ttab",
};

/** The instrument of an HST reference file from its name (new-style hst_<instr>_..., else the CDBS letter). */
export function instrumentFromReferenceName(name: string): string {
  const base = basename(name);
  const newStyle = /^hst_([a-z0-9]+)_/i.exec(base);
  if (newStyle) return newStyle[1].toLowerCase();
  const parts = base.split(/[_.]/);
  const tail = parts.slice(-2).map((p) => p.toLowerCase());
  if (parts.length > 2 && (tail[0] === "syn" || tail[0] === "th")) return "synphot";
  if (parts.length > 1 && (tail[1] === "syn" || tail[1] === "th")) return "synphot";
  const instrument = ID_CHAR_TO_INSTRUMENT[parts[0].slice(-1).toLowerCase()];
  if (instrument === undefined) throw new CacheError(`Cannot determine instrument for filename '${base}'`);
  return instrument;
}

/** The IRAF-style prefix written into FITS headers, e.g. 'jref$' for ACS. */
export function irafPrefix(instrument: string): string {
  const prefix = IRAF_PREFIX[instrument.toLowerCase()];
  if (prefix === undefined) throw new CacheError(`No reference prefix for instrument '${instrument}'`);
  return `${prefix}$`;
}

/** config.locate_reference for HST: where reference `name` lives (or would be stored) in the cache. */
export function referencePath(layout: CacheLayout, name: string, env: Env = process.env): string {
  if (name.includes("/") || name === "N/A") return name;
  const mode = refSubdirMode(layout);
  if (mode === "flat") return join(layout.referenceDir, name);
  const instrument = instrumentFromReferenceName(name);
  if (mode === "instrument") return join(layout.referenceDir, instrument, name);
  const prefix = irafPrefix(instrument);
  const root = env[prefix] ?? env[prefix.slice(0, -1)];
  if (root === undefined) {
    throw new CacheError(`Reference location not defined for '${instrument}'.  Did you configure '${prefix}'?`);
  }
  return join(root, name);
}

/** The cached get_server_info() result (config/<obs>/server_config, a Python literal). */
export function readServerConfig(layout: CacheLayout): Record<string, unknown> {
  const path = join(layout.configDir, "server_config");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new CrdsConfigError(`CRDS server connection and cache load FAILED: no server_config at ${path}`);
  }
  const info = toPlain(parsePythonLiteral(text, "server_config"));
  if (info === null || typeof info !== "object" || Array.isArray(info)) {
    throw new CrdsConfigError(`${path}: server_config is not a dict`);
  }
  return info as Record<string, unknown>;
}
