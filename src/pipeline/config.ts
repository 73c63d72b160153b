import { existsSync, readFileSync, statSync } from "node:fs";
import { CmdlineError } from "../core/errors.js";

export type Env = Readonly<Record<string, string | undefined>>;
export type EnvMap = Record<string, string>;

export const CONFIG_PRESETS = ["caldp-config-onsite", "caldp-config-offsite", "caldp-config-aws"] as const;

const REF_DIR_VARS = ["iref", "jref", "oref", "lref", "nref", "uref"] as const;
// Per-instrument subdirectories of a CRDS cache, as CALDP's scripts set them ("wfcpc2" is CALDP's spelling).
const INSTRUMENT_DIRS: Readonly<Record<(typeof REF_DIR_VARS)[number], string>> = {
  iref: "wfc3",
  jref: "acs",
  oref: "stis",
  lref: "cos",
  nref: "nicmos",
  uref: "wfcpc2",
};

// The presets as the scripts write them; `${...}` expands against the environment seen so far, and
// single-quoted values stay literal (CRDS expands the plugin's variables itself).
const PRESET_TEXT: Readonly<Record<(typeof CONFIG_PRESETS)[number], string>> = {
  "caldp-config-onsite": `
CRDS_PATH=/grp/crds/cache
CRDS_SERVER_URL=https://hst-serverless-mode.stsci.edu
CRDS_READONLY_CACHE=1`,
  "caldp-config-offsite": `
CRDS_SERVER_URL=https://hst-crds.stsci.edu
CRDS_READONLY_CACHE=0
CRDS_PATH=\${CRDS_PATH:-\${HOME}/crds_cache}`,
  "caldp-config-aws": `
CRDS_PATH=\${HOME}/crds_cache
CRDS_CONFIG_URI=\${CRDSBUCKET}/config/hst/
CRDS_REFERENCE_URI=\${CRDSBUCKET}/references/hst/
CRDS_PICKLE_URI=\${CRDSBUCKET}/pickles/hst/
CRDS_SERVER_URL=https://hst-crds-serverless.stsci.edu
CRDS_DOWNLOAD_MODE=plugin
CRDS_DOWNLOAD_PLUGIN='/home/developer/crds_s3_get \${SOURCE_URL} \${OUTPUT_PATH} --file-size \${FILE_SIZE} --file-sha1sum \${FILE_SHA1SUM}'
CRDS_USE_PICKLED_CONTEXTS=1
CRDS_S3_ENABLED=1
CRDS_S3_RETURN_URI=0
CRDS_CLIENT_RETRY_COUNT=4
CRDS_CLIENT_RETRY_DELAY_SECONDS=10`,
};

function expand(value: string, env: Env): string {
  return value.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-((?:[^{}]|\$\{[^}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_m, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
      const current = env[(braced ?? bare)!];
      if (fallback !== undefined && !current) return expand(fallback, env);
      return current ?? "";
    },
  );
}

/**
 * Parses KEY=VALUE lines (optional `export `, `#` comments, blank lines; '…' literal, "…" or bare values with
 * `$VAR`, `${VAR}` and `${VAR:-default}` expanded against `env` and the lines before). Returns the variables set.
 */
export function parseConfigText(text: string, env: Env, source = "config"): EnvMap {
  const vars: EnvMap = {};
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) throw new CmdlineError(`${source}:${i + 1}: not a KEY=VALUE line: '${line}'`);
    const [, key, value] = m;
    const seen = { ...env, ...vars };
    if (/^'.*'$/.test(value)) vars[key] = value.slice(1, -1);
    else if (/^".*"$/.test(value)) vars[key] = expand(value.slice(1, -1), seen);
    else vars[key] = expand(value, seen);
  });
  return vars;
}

/** A KEY=VALUE config file's text; a folder, FIFO or device (a read would fail or block) is refused. */
function readConfigFile(path: string): string {
  try {
    if (!statSync(path).isFile()) throw new CmdlineError(`CALDP config ${path} is not a regular file`);
    return readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof CmdlineError) throw error;
    throw new CmdlineError(`Cannot read CALDP config ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
}

/**
 * The environment `caldp-process` gives the calibration programs: `env` plus the config preset (or a custom
 * KEY=VALUE file) plus caldp-process's own rules: CRDS_PATH=/grp/crds/cache when CALDP_DOCKER is set, and the
 * IRAF-style reference directories, flat for a read-only cache, else per instrument; CALDP_CONFIG names the
 * config (unless already set). `env` is not modified.
 */
export function loadConfig(config: string, env: Env): EnvMap {
  const base: EnvMap = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  let vars: EnvMap;
  if ((CONFIG_PRESETS as readonly string[]).includes(config)) {
    const preset = config as (typeof CONFIG_PRESETS)[number];
    vars = parseConfigText(PRESET_TEXT[preset], base, preset);
    if (preset === "caldp-config-offsite" && base.CALDP_DOCKER === "1") vars.CRDS_PATH = "/grp/crds/cache";
  } else if (existsSync(config)) {
    vars = parseConfigText(readConfigFile(config), base, config);
  } else {
    throw new CmdlineError(
      `Unknown CALDP config '${config}': expected ${CONFIG_PRESETS.join(", ")} or the path of a KEY=VALUE file`,
    );
  }
  // the config's name, for messages that must say where a setting came from
  const result: EnvMap = { CALDP_CONFIG: config, ...base, ...vars };
  if (base.CALDP_DOCKER) result.CRDS_PATH = "/grp/crds/cache";
  const references = `${result.CRDS_PATH ?? ""}/references/hst/`;
  const flat = result.CRDS_READONLY_CACHE === "1";
  for (const name of REF_DIR_VARS) result[name] = flat ? references : `${references}${INSTRUMENT_DIRS[name]}/`;
  result.uref_linux = result.uref;
  return result;
}
