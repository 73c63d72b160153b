import { basename } from "node:path";
import type { Command } from "commander";
import {
  bestrefsForFile,
  cacheLayout,
  fileParameters,
  loadContext,
  NoContextError,
  noContextMessage,
  planHeaderUpdates,
  readServerConfig,
  resolveContext,
  writeBestrefsHeader,
} from "../../crds/index.js";
import { VERSION } from "../../version.js";

interface BestrefsOptions {
  files: string[];
  context?: string;
  updateBestrefs?: boolean;
  json?: boolean;
}

/** The server info cached in CRDS_PATH, or nothing when the cache has none (an explicit context needs none). */
function cachedServerInfo(layout: ReturnType<typeof cacheLayout>): Record<string, unknown> {
  try {
    return readServerConfig(layout);
  } catch {
    return {};
  }
}

export function registerBestrefsCommand(program: Command): void {
  program
    .command("bestrefs")
    .description("choose CRDS best reference files for datasets (and write them into their headers)")
    .requiredOption("--files <files...>", "dataset FITS files")
    .option(
      "--context <pmap>",
      "CRDS context, e.g. hst_0729.pmap (default: CRDS_CONTEXT, else the cache's operational one)",
    )
    .option("--update-bestrefs", "write the reference keywords, CRDS_CTX and CRDS_VER into each primary header")
    .option("--json", 'print {"<file>": {"<filekind>": "<result>"}}')
    .action(async (options: BestrefsOptions) => {
      const layout = cacheLayout(process.env);
      const info = cachedServerInfo(layout);
      const name = await resolveContext({ context: options.context, env: process.env, info }).catch((error) => {
        throw error instanceof NoContextError ? new NoContextError(noContextMessage(layout, process.env)) : error;
      });
      const context = loadContext(name, { layout });
      const all: Record<string, Record<string, unknown>> = {};
      let failed = false;
      for (const file of options.files) {
        const results = bestrefsForFile(context, file);
        all[basename(file)] = results;
        if (!options.json) {
          for (const [filekind, result] of Object.entries(results))
            console.log(`${file} ${filekind} ${String(result)}`);
        }
        if (!options.updateBestrefs) continue;
        const instrument = fileParameters(file).INSTRUME ?? "";
        const plan = planHeaderUpdates(results, instrument);
        for (const e of plan.errors) console.error(`caldp bestrefs: ${file}: ${e.filekind}: ${e.message}`);
        failed ||= plan.errors.length > 0;
        writeBestrefsHeader(file, plan, name, `caldp ${VERSION}`);
      }
      if (options.json) console.log(JSON.stringify(all, null, 2));
      if (failed) process.exitCode = 1;
    });
}
