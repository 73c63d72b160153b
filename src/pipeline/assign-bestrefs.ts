/**
 * The bestrefs stage of caldp-process (CALDP's assign_bestrefs): CRDS best references written into the
 * raw files' headers, missing references fetched into the cache unless it is read-only, and then every
 * selected reference checked (present, size and sha1 as CRDS records them, sound FITS), so that a missing or
 * damaged reference fails here (27, naming keyword and file) rather than deep in calibration.
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
  NoContextError,
  noContextMessage,
  planHeaderUpdates,
  readServerConfig,
  referencePath,
  resolveContext,
  serverClientOptionsFromEnv,
  writeBestrefsHeader,
} from "../crds/index.js";
import { checkReferenceFile, downloadMetadata } from "../crds/reference-check.js";
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

interface FetchContext {
  env: Env;
  info: Record<string, unknown>;
  layout: ReturnType<typeof cacheLayout>;
  client: CrdsServerClient | undefined;
  log: Logger;
}

/** A missing reference from the S3 mirror, else the CRDS server; false when the cache is not synced. */
async function fetchReference(
  name: string,
  path: string,
  { env, info, layout, client, log }: FetchContext,
): Promise<boolean> {
  const mirror = s3Mirror(env);
  if (mirror) {
    log.info(`fetching ${name} from ${mirror} into the CRDS cache`);
    const { downloadS3Object } = await import("../io/s3-download.js");
    await downloadS3Object(`${mirror}${name}`, path, downloadMetadata(info, name), { log });
  } else if (client) {
    log.info(`fetching ${name} into the CRDS cache`);
    await client.downloadReference(name, layout, undefined, env);
  } else {
    return false;
  }
  return true;
}

function notSyncedReason(env: Env): string {
  if (env.CRDS_READONLY_CACHE === "1") return "CRDS_READONLY_CACHE=1";
  return env.CRDS_SERVER_URL ? `CRDS_SERVER_URL=${env.CRDS_SERVER_URL} is server-less` : "no CRDS_SERVER_URL";
}

/** Returns the number of lookup errors (CALDP logs them and goes on; a missing reference fails calibration). */
export async function assignBestrefs(files: readonly string[], env: Env, log: Logger): Promise<number> {
  const layout = cacheLayout(env);
  const info = cachedInfo(layout);
  const context = await resolveContext({ context: env.CRDS_CONTEXT || undefined, env, info }).catch((error) => {
    if (error instanceof NoContextError) throw new BestrefsError(noContextMessage(layout, env, env.CALDP_CONFIG));
    throw error;
  });
  log.info(`CRDS context ${context}, mappings in ${layout.mappingDir}`);
  const pmap = loadContext(context, { layout });
  const client = syncEnabled(env) ? new CrdsServerClient(serverClientOptionsFromEnv(env)) : undefined;
  let errors = 0;
  const checked = new Set<string>();
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
      const which = `${keyword} ${name} (selected for ${file})`;
      if (!existsSync(path)) {
        const fetched = await fetchReference(name, path, { env, info, layout, client, log }).catch((error: Error) => {
          // a reference that cannot be fetched is a bestrefs failure (27), whichever transport failed; the
          // message carries the cause, as the fatal report shows only one error
          throw new BestrefsError(`cannot fetch ${which}: ${error.name}: ${error.message}`);
        });
        if (!fetched) {
          throw new BestrefsError(
            `reference ${which} is not in the CRDS cache (${path}), and the cache is not synced (${notSyncedReason(env)})`,
          );
        }
      }
      if (checked.has(path)) continue;
      await checkReferenceFile(path, downloadMetadata(info, name)).catch((error: Error) => {
        throw new BestrefsError(`reference ${which}: ${error.message}`);
      });
      checked.add(path);
    }
  }
  return errors;
}
