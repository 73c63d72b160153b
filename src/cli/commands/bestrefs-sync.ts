import { existsSync } from "node:fs";
import {
  type CacheLayout,
  CrdsServerClient,
  cacheLayout,
  referencePath,
  serverClientOptionsFromEnv,
} from "../../crds/index.js";

type Env = NodeJS.ProcessEnv;

/** Why references cannot be fetched with these settings, or undefined when they can. */
function cannotSync(layout: CacheLayout, env: Env): string | undefined {
  if (layout.readonly) return "the CRDS cache is read-only (CRDS_READONLY_CACHE=1)";
  const url = env.CRDS_SERVER_URL ?? "";
  if (!url) return "no CRDS_SERVER_URL is set";
  if (url.includes("serverless") || url.includes("server-less")) return `CRDS_SERVER_URL=${url} is server-less`;
  return undefined;
}

export interface SyncResult {
  fetched: string[];
  errors: string[];
}

/**
 * `--sync-references`: every named reference missing from the cache is downloaded from the CRDS server (size and
 * sha1 checked against its file info, written under a temporary name). Each failure is one error naming the file.
 */
export async function syncReferences(names: Iterable<string>, env: Env): Promise<SyncResult> {
  const layout = cacheLayout(env);
  const result: SyncResult = { fetched: [], errors: [] };
  const missing = [...new Set(names)].filter((name) => !existsSync(referencePath(layout, name, env))).sort();
  if (missing.length === 0) return result;
  const reason = cannotSync(layout, env);
  if (reason) {
    result.errors.push(...missing.map((name) => `cannot fetch ${name}: ${reason}`));
    return result;
  }
  const client = new CrdsServerClient(serverClientOptionsFromEnv(env));
  for (const name of missing) {
    try {
      const path = await client.downloadReference(name, layout, undefined, env);
      result.fetched.push(path);
    } catch (error) {
      result.errors.push(`cannot fetch ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return result;
}
