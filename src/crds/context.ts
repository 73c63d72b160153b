/** Which context (.pmap) to use: heavy_client.get_final_context and translate_date_based_context. */
import { join } from "node:path";
import type { CacheLayout, Env } from "./cache.js";
import { CrdsConfigError, CrdsError } from "./errors.js";

/** The server information that context selection needs (a get_server_info() result or the cached copy). */
export interface ContextInfo {
  observatory?: string;
  operational_context?: string;
  latest_context?: string;
  edit_context?: string;
  versions_context?: string;
}

export interface ResolveContextOptions {
  /** An explicit --context value (wins over everything). */
  context?: string;
  env?: Env;
  info: ContextInfo;
  observatory?: string;
  /** Translates a date-based spec ('hst-2019-01-01T00:00:00') through the server; absent when offline. */
  contextByDate?: (date: string, observatory: string) => Promise<string>;
}

const MAPPING_NAME = /\.(pmap|imap|rmap)$/;

/** No context was given and the server info (usually the cache's server_config) names none. */
export class NoContextError extends CrdsConfigError {}

function latestContext(info: ContextInfo): string {
  const latest = info.latest_context ?? info.operational_context;
  if (latest === undefined) throw new NoContextError("server info names no latest_context or operational_context");
  return latest;
}

/**
 * What an operator needs when no context can be chosen: where the cache's server info was looked for, the
 * settings that led there, and the ways to name a context. `config` is the caldp config in use, if any.
 */
export function noContextMessage(layout: CacheLayout, env: Env, config?: string): string {
  const serverConfig = join(layout.configDir, "server_config");
  const settings = [
    `CRDS_PATH=${env.CRDS_PATH ?? "(unset: /grp/crds/cache)"}`,
    ...(config ? [`config ${config}`] : []),
  ].join(", ");
  return (
    `No CRDS context: none was given (--context, CRDS_CONTEXT) and ${serverConfig} does not name one ` +
    `(missing or without operational_context/latest_context; ${settings}). Name a context with CRDS_CONTEXT=hst_NNNN.pmap ` +
    "(caldp bestrefs: --context), or point CRDS_PATH (a config file for caldp-process) at a CRDS cache " +
    "with config/hst/server_config"
  );
}

/** The context spec before symbolic/date translation: explicit > CRDS_CONTEXT > latest. */
export function selectContextSpec(options: ResolveContextOptions): string {
  const observatory = options.observatory ?? options.info.observatory ?? "hst";
  const env = options.env ?? process.env;
  if (options.context) {
    if (options.context === "build") throw new CrdsConfigError("the 'build' context applies only to JWST");
    return options.context === "latest" ? latestContext(options.info) : options.context;
  }
  const fromEnv = env.CRDS_CONTEXT;
  if (fromEnv) {
    if (["latest", `${observatory}-operational`, `${observatory}-latest`].includes(fromEnv)) {
      return latestContext(options.info);
    }
    if (fromEnv === "build" || fromEnv === `${observatory}-build`) {
      throw new CrdsConfigError("the 'build' context applies only to JWST");
    }
    if (MAPPING_NAME.test(fromEnv) && !fromEnv.endsWith(".pmap")) {
      throw new CrdsConfigError(`CRDS_CONTEXT must name a .pmap, not '${fromEnv}'`);
    }
    return fromEnv;
  }
  return latestContext(options.info);
}

/** The final .pmap name (or path) for the lookup. */
export async function resolveContext(options: ResolveContextOptions): Promise<string> {
  const observatory = options.observatory ?? options.info.observatory ?? "hst";
  const spec = selectContextSpec(options);
  if (MAPPING_NAME.test(spec)) return spec;
  if ([`${observatory}-operational`, `${observatory}-latest`, "latest"].includes(spec)) {
    return latestContext(options.info);
  }
  if (spec === `${observatory}-edit` || spec === `${observatory}-versions`) {
    const key = spec.endsWith("edit") ? "edit_context" : "versions_context";
    const value = options.info[key];
    if (value === undefined) throw new CrdsConfigError(`server info names no ${key}`);
    return value;
  }
  if (options.contextByDate === undefined) {
    throw new CrdsError(`Specified CRDS context by date '${spec}' and CRDS server is not reachable.`);
  }
  return options.contextByDate(spec, observatory);
}
