/**
 * The bestrefs stage of caldp-process (CALDP's assign_bestrefs): CRDS best references written into the
 * raw files' headers, and missing references fetched into the cache unless it is read-only.
 */
import { existsSync } from "node:fs";
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
import type { Logger } from "./log.js";

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

/** Returns the number of lookup errors (CALDP logs them and goes on; a missing reference fails calibration). */
export async function assignBestrefs(files: readonly string[], env: Env, log: Logger): Promise<number> {
  const layout = cacheLayout(env);
  const context = await resolveContext({ context: env.CRDS_CONTEXT || undefined, env, info: cachedInfo(layout) });
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
      if (existsSync(referencePath(layout, name, env))) continue;
      if (!client) {
        log.warning(`${keyword} ${name} is not in the CRDS cache, and the cache is not synced`);
        continue;
      }
      log.info(`fetching ${name} into the CRDS cache`);
      await client.downloadReference(name, layout, undefined, env);
    }
  }
  return errors;
}
