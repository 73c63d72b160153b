/**
 * The bestrefs stage of caldp-process (CALDP's assign_bestrefs): CRDS best references written into the
 * raw files' headers, and missing references fetched into the cache unless it is read-only.
 */
import { existsSync } from "node:fs";
import { BestrefsError } from "../core/errors.js";
import type { Logger } from "../core/log.js";
import {
  bestrefsForFile,
  CrdsServerClient,
  cacheLayout,
  fileParameters,
  loadContext,
  planHeaderUpdates,
  readServerConfig,
  referencePath,
  resolveContext,
  serverClientOptionsFromEnv,
  writeBestrefsHeader,
} from "../crds/index.js";
import { VERSION } from "../version.js";

type Env = Readonly<Record<string, string | undefined>>;

function cachedInfo(layout: ReturnType<typeof cacheLayout>): Record<string, unknown> {
  try {
    return readServerConfig(layout);
  } catch {
    return {};
  }
}

function syncEnabled(env: Env): boolean {
  const url = env.CRDS_SERVER_URL ?? "";
  return env.CRDS_READONLY_CACHE !== "1" && url !== "" && !url.includes("serverless");
}

/** The S3 mirror of the references (caldp-config-aws: CRDS_REFERENCE_URI=${CRDSBUCKET}/references/hst/). */
function s3Mirror(env: Env): string | undefined {
  const uri = env.CRDS_REFERENCE_URI ?? "";
  return env.CRDS_READONLY_CACHE !== "1" && uri.startsWith("s3://") ? uri.replace(/\/?$/, "/") : undefined;
}

/** Size and sha1 of a file from the cached server info's download metadata, when it lists the file. */
function expected(info: Record<string, unknown>, name: string): { size?: number; sha1?: string } {
  const entry = (info.download_metadata as Record<string, { size?: unknown; sha1sum?: unknown }> | undefined)?.[name];
  if (!entry) return {};
  return {
    size: entry.size === undefined ? undefined : Number(entry.size),
    sha1: typeof entry.sha1sum === "string" ? entry.sha1sum : undefined,
  };
}

interface FetchContext {
  env: Env;
  info: Record<string, unknown>;
  layout: ReturnType<typeof cacheLayout>;
  client: CrdsServerClient | undefined;
  log: Logger;
}

/** A missing reference from the S3 mirror, else the CRDS server, else only a warning (the cache is not synced). */
async function fetchReference(name: string, path: string, { env, info, layout, client, log }: FetchContext) {
  const mirror = s3Mirror(env);
  if (mirror) {
    log.info(`fetching ${name} from ${mirror} into the CRDS cache`);
    const { downloadS3Object } = await import("../io/s3-download.js");
    await downloadS3Object(`${mirror}${name}`, path, expected(info, name), { log });
  } else if (client) {
    log.info(`fetching ${name} into the CRDS cache`);
    await client.downloadReference(name, layout, undefined, env);
  } else {
    log.warning(`${name} is not in the CRDS cache, and the cache is not synced`);
  }
}

/** Returns the number of lookup errors (CALDP logs them and goes on; a missing reference fails calibration). */
export async function assignBestrefs(files: readonly string[], env: Env, log: Logger): Promise<number> {
  const layout = cacheLayout(env);
  const info = cachedInfo(layout);
  const context = await resolveContext({ context: env.CRDS_CONTEXT || undefined, env, info });
  log.info(`CRDS context ${context}, mappings in ${layout.mappingDir}`);
  const pmap = loadContext(context, { layout });
  const client = syncEnabled(env) ? new CrdsServerClient(serverClientOptionsFromEnv(env)) : undefined;
  let errors = 0;
  for (const file of files) {
    const results = bestrefsForFile(pmap, file);
    const instrument = fileParameters(file).INSTRUME ?? "";
    const plan = planHeaderUpdates(results, instrument);
    for (const e of plan.errors) log.warning(`bestrefs ${file} ${e.filekind}: ${e.message}`);
    errors += plan.errors.length;
    writeBestrefsHeader(file, plan, context, `caldp ${VERSION}`);
    for (const [keyword, value] of plan.updates) {
      if (value === "N/A") continue;
      const name = value.slice(value.indexOf("$") + 1);
      const path = referencePath(layout, name, env);
      if (existsSync(path)) continue;
      await fetchReference(name, path, { env, info, layout, client, log }).catch((error: Error) => {
        // a reference that cannot be fetched is a bestrefs failure (27), whichever transport failed
        throw new BestrefsError(`cannot fetch ${keyword} ${name}: ${error.message}`, { cause: error });
      });
    }
  }
  return errors;
}
